"""Shared writer for clipguard model bundles (see models/README.md for the format).

A bundle is a directory holding

    image_encoder.pt     TorchScript  pixel_values float32 [N,3,S,S] -> image_embeds float32 [N,D]
    text_encoder.pt      TorchScript  input_ids    int64   [N,77]    -> text_embeds  float32 [N,D]
    image_encoder.onnx   ONNX         same image encoder, dynamic batch axis 0 (TensorRT/ORT input)
    tokenizer.json       Hugging Face tokenizers file
    manifest.json        what the Java loader reads first: shapes, pre-processing, checksums

Embeddings are NOT L2-normalised (the consumer normalises them and multiplies cosine
similarities by ``logit_scale``).

Everything here is shared by train_tiny_clip.py, export_hf_clip.py and build_bench_vitb32.py,
so the real-CLIP path runs the same wrappers, tracing, export and verification as the tiny model.
Needs torch and onnx; onnxruntime is used for a numeric check of the ONNX file when importable,
otherwise only onnx.checker and the graph's input/output signature are checked.
"""
import datetime
import hashlib
import inspect
import json
import os
import re
import shutil
import sys
from typing import Dict, List, Optional, Sequence

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # before torch starts OpenMP
import torch
import torch.nn as nn

FORMAT = "clipguard-bundle"
FORMAT_VERSION = 1
CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073]
CLIP_STD = [0.26862954, 0.26130258, 0.27577711]
DEFAULT_OPSET = 17
IMAGE_INPUT, IMAGE_OUTPUT = "pixel_values", "image_embeds"
TEXT_INPUT, TEXT_OUTPUT = "input_ids", "text_embeds"
ONNX_SINGLE_FILE_LIMIT = 1_800_000_000  # protobuf's hard limit is 2 GiB; above this use external data


# ---------------------------------------------------------------------------------------------
# Wrappers: the exact computation that gets traced into the bundle.
# ---------------------------------------------------------------------------------------------
class ImageEncoderWrapper(nn.Module):
    """pixel_values [N,3,S,S] -> projection(backbone(pixel_values)) [N,D], not normalised.

    ``backbone`` returns the pooled image feature [N,W] (CLS token after the final LayerNorm for
    ViTs); ``projection`` maps it to the joint space (Linear without bias in CLIP).
    """

    def __init__(self, backbone: nn.Module, projection: nn.Module):
        super().__init__()
        self.backbone = backbone
        self.projection = projection

    def forward(self, pixel_values: torch.Tensor) -> torch.Tensor:
        return self.projection(self.backbone(pixel_values))


class TextEncoderWrapper(nn.Module):
    """input_ids [N,L] int64 -> projection(hidden at the FIRST end-of-text token) [N,D].

    ``backbone`` returns the final hidden states [N,L,W] (after the final LayerNorm). Pooling is
    at the first position whose id == eos_token_id, which is CLIP's EOT pooling; with a causal
    text transformer, whatever follows the EOT token (padding with 0 or with EOT itself) cannot
    change the result.
    """

    def __init__(self, backbone: nn.Module, projection: nn.Module, eos_token_id: int):
        super().__init__()
        self.backbone = backbone
        self.projection = projection
        self.eos_token_id = int(eos_token_id)

    def forward(self, input_ids: torch.Tensor) -> torch.Tensor:
        hidden = self.backbone(input_ids)                                  # [N, L, W]
        eot = (input_ids == self.eos_token_id).int().argmax(-1)           # first EOT position
        index = eot.reshape(-1, 1, 1).expand(-1, 1, hidden.shape[2])
        pooled = hidden.gather(1, index).squeeze(1)                        # [N, W]
        return self.projection(pooled)


# ---------------------------------------------------------------------------------------------
# WordLevel tokenizer (hand-written tokenizer.json + the identical rule in Python).
# ---------------------------------------------------------------------------------------------
WORDLEVEL_SPECIALS = ["[PAD]", "<|startoftext|>", "<|endoftext|>", "[UNK]"]  # ids 0, 1, 2, 3
# HF tokenizers' "Whitespace" pre-tokenizer: runs of word characters, or runs of characters
# that are neither word characters nor whitespace (punctuation), everything else dropped.
_WHITESPACE_PRETOKENIZER = re.compile(r"\w+|[^\w\s]+")


class WordLevelTokenizer:
    """The Python twin of wordlevel_tokenizer_json(): same ids as HF tokenizers for that file.

    lowercase -> split into \\w+ / punctuation runs -> vocab lookup ([UNK]=3 when missing)
    -> truncate to context_length-2 words -> [BOS] words [EOS] -> pad with [PAD]=0 to context_length.
    """

    def __init__(self, words: Sequence[str], context_length: int = 77):
        self.vocab: Dict[str, int] = {t: i for i, t in enumerate(WORDLEVEL_SPECIALS)}
        for w in words:
            if w in self.vocab:
                raise ValueError(f"duplicate vocab entry {w!r}")
            if w != w.lower() or _WHITESPACE_PRETOKENIZER.fullmatch(w) is None:
                raise ValueError(f"vocab entry {w!r} cannot come out of the pre-tokenizer")
            self.vocab[w] = len(self.vocab)
        self.context_length = context_length
        self.pad_id, self.bos_id, self.eos_id, self.unk_id = 0, 1, 2, 3

    def words(self, text: str) -> List[str]:
        return _WHITESPACE_PRETOKENIZER.findall(text.lower())

    def encode(self, text: str, pad: bool = True) -> List[int]:
        ids = [self.vocab.get(w, self.unk_id) for w in self.words(text)][: self.context_length - 2]
        ids = [self.bos_id] + ids + [self.eos_id]
        if pad:
            ids += [self.pad_id] * (self.context_length - len(ids))
        return ids

    def encode_batch(self, texts: Sequence[str]) -> torch.Tensor:
        return torch.tensor([self.encode(t) for t in texts], dtype=torch.int64)

    def to_json(self) -> dict:
        return wordlevel_tokenizer_json(self.vocab, self.context_length)


def wordlevel_tokenizer_json(vocab: Dict[str, int], context_length: int = 77) -> dict:
    """A Hugging Face tokenizers file: Lowercase normalizer, Whitespace pre-tokenizer, WordLevel
    model, TemplateProcessing (<|startoftext|> $A <|endoftext|>), padding to a fixed
    context_length with [PAD]=0, truncation to context_length."""
    special = lambda i, tok: {"id": i, "content": tok, "single_word": False, "lstrip": False,
                              "rstrip": False, "normalized": False, "special": True}
    bos, eos = "<|startoftext|>", "<|endoftext|>"
    return {
        "version": "1.0",
        "truncation": {"direction": "Right", "max_length": context_length,
                       "strategy": "LongestFirst", "stride": 0},
        "padding": {"strategy": {"Fixed": context_length}, "direction": "Right",
                    "pad_to_multiple_of": None, "pad_id": vocab["[PAD]"], "pad_type_id": 0,
                    "pad_token": "[PAD]"},
        "added_tokens": [special(vocab[t], t) for t in WORDLEVEL_SPECIALS],
        "normalizer": {"type": "Lowercase"},
        "pre_tokenizer": {"type": "Whitespace"},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": bos, "type_id": 0}},
                       {"Sequence": {"id": "A", "type_id": 0}},
                       {"SpecialToken": {"id": eos, "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": bos, "type_id": 0}},
                     {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": eos, "type_id": 0}},
                     {"Sequence": {"id": "B", "type_id": 1}},
                     {"SpecialToken": {"id": eos, "type_id": 1}}],
            "special_tokens": {
                bos: {"id": bos, "ids": [vocab[bos]], "tokens": [bos]},
                eos: {"id": eos, "ids": [vocab[eos]], "tokens": [eos]},
            },
        },
        "decoder": None,
        "model": {"type": "WordLevel", "vocab": dict(sorted(vocab.items(), key=lambda kv: kv[1])),
                  "unk_token": "[UNK]"},
    }


# ---------------------------------------------------------------------------------------------
# Tracing, export, verification, manifest.
# ---------------------------------------------------------------------------------------------
def sha256_file(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _max_abs_diff(a: torch.Tensor, b: torch.Tensor) -> float:
    return float((a.float() - b.float()).abs().max())


def _check_close(what: str, diff: float, ref: torch.Tensor, rtol: float = 1e-4) -> None:
    bound = rtol * max(1.0, float(ref.abs().max()))
    print(f"[bundle] verify {what}: max abs diff {diff:.3e} (bound {bound:.1e})", flush=True)
    if not diff <= bound:
        raise RuntimeError(f"{what} does not match the eager model: max abs diff {diff} > {bound}")


def trace(module: nn.Module, example: torch.Tensor) -> torch.jit.ScriptModule:
    module.eval()
    with torch.no_grad():
        return torch.jit.trace(module, (example,), check_trace=False)


def export_onnx(module: nn.Module, example: torch.Tensor, path: str, input_name: str,
                output_name: str, opset: int = DEFAULT_OPSET) -> List[str]:
    """Export with a dynamic batch axis. Returns the files written (the .onnx, plus a single
    ``<name>.data`` external-data file when the model is too large for one protobuf)."""
    import onnx

    module.eval()
    out_dir = os.path.dirname(os.path.abspath(path))
    tmp_dir = os.path.join(out_dir, ".onnx_export_tmp")
    shutil.rmtree(tmp_dir, ignore_errors=True)
    os.makedirs(tmp_dir)
    try:
        tmp_path = os.path.join(tmp_dir, os.path.basename(path))
        kwargs = {}
        if "dynamo" in inspect.signature(torch.onnx.export).parameters:
            kwargs["dynamo"] = False  # the TorchScript-based exporter (default before torch 2.9)
        with torch.no_grad():
            torch.onnx.export(module, (example,), tmp_path, input_names=[input_name],
                              output_names=[output_name], opset_version=opset,
                              do_constant_folding=True,
                              dynamic_axes={input_name: {0: "batch"}, output_name: {0: "batch"}},
                              **kwargs)
        model = onnx.load(tmp_path)  # also pulls in external data torch may have scattered
        weight_bytes = sum(len(t.raw_data) for t in model.graph.initializer)
        data_name = os.path.basename(path) + ".data"
        for stale in (path, os.path.join(out_dir, data_name)):
            if os.path.exists(stale):
                os.remove(stale)
        if weight_bytes < ONNX_SINGLE_FILE_LIMIT:
            onnx.save_model(model, path)
            return [path]
        onnx.save_model(model, path, save_as_external_data=True, all_tensors_to_one_file=True,
                        location=data_name, size_threshold=1024)
        return [path, os.path.join(out_dir, data_name)]
    finally:
        shutil.rmtree(tmp_dir, ignore_errors=True)


def verify_torchscript(path: str, eager: nn.Module, x: torch.Tensor, what: str) -> float:
    loaded = torch.jit.load(path, map_location="cpu")
    loaded.eval()
    with torch.no_grad():
        ref = eager(x)
        got = loaded(x)
    diff = _max_abs_diff(ref, got)
    _check_close(f"{what} (TorchScript, batch {x.shape[0]})", diff, ref)
    return diff


def verify_onnx(path: str, eager: nn.Module, x: torch.Tensor, input_name: str, output_name: str,
                what: str) -> Dict[str, object]:
    import onnx

    onnx.checker.check_model(path)  # path form: works with external data too
    model = onnx.load(path, load_external_data=False)
    inputs = [i for i in model.graph.input if i.name not in {t.name for t in model.graph.initializer}]
    if [i.name for i in inputs] != [input_name] or [o.name for o in model.graph.output] != [output_name]:
        raise RuntimeError(f"ONNX signature {[i.name for i in inputs]} -> "
                           f"{[o.name for o in model.graph.output]}, expected {input_name} -> {output_name}")
    for v in (inputs[0], model.graph.output[0]):
        d0 = v.type.tensor_type.shape.dim[0]
        if not d0.dim_param:
            raise RuntimeError(f"ONNX {v.name}: batch axis is not dynamic ({d0})")
    opset = max(o.version for o in model.opset_import if o.domain in ("", "ai.onnx"))
    result: Dict[str, object] = {"onnx_checker": "ok", "onnx_opset": opset}
    try:
        import onnxruntime as ort  # optional
    except ImportError:
        print(f"[bundle] verify {what} (ONNX): onnx.checker ok, opset {opset}, dynamic batch; "
              "onnxruntime not importable, no numeric check", flush=True)
        result["onnxruntime"] = "not available"
        return result
    sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    got = torch.from_numpy(sess.run([output_name], {input_name: x.numpy()})[0])
    with torch.no_grad():
        ref = eager(x)
    diff = _max_abs_diff(ref, got)
    _check_close(f"{what} (ONNX Runtime {ort.__version__}, batch {x.shape[0]})", diff, ref)
    result["onnxruntime_max_abs_diff"] = diff
    return result


def _file_entry(out_dir: str, role: str, fmt: str, name: str) -> dict:
    p = os.path.join(out_dir, name)
    return {"role": role, "format": fmt, "path": name, "sha256": sha256_file(p), "bytes": os.path.getsize(p)}


def image_config(size: int = 224, mean: Sequence[float] = CLIP_MEAN, std: Sequence[float] = CLIP_STD) -> dict:
    """CLIP pre-processing: resize the shorter side to ``size`` (Pillow bicubic, antialiased),
    centre crop size x size, x/255, (x - mean) / std per channel, RGB, NCHW."""
    return {"size": int(size), "resize": "shorter_side", "interpolation": "bicubic", "crop": "center",
            "rescale": 1.0 / 255.0, "mean": [float(m) for m in mean], "std": [float(s) for s in std],
            "channels": "RGB", "layout": "NCHW"}


def write_bundle(out_dir: str, *, image_encoder: nn.Module, text_encoder: nn.Module,
                 tokenizer_json: Optional[dict] = None, tokenizer_file: Optional[str] = None,
                 model_id: str, model_version: str, description: str, embedding_dim: int,
                 logit_scale: float, image_cfg: dict, context_length: int, bos_token_id: int,
                 eos_token_id: int, pad_token_id: int, lowercase: bool,
                 example_input_ids: torch.Tensor, provenance: dict,
                 opset: int = DEFAULT_OPSET, seed: int = 0) -> dict:
    """Trace + save both encoders, export the image encoder to ONNX, write the tokenizer,
    verify everything against the eager modules, then write manifest.json. Returns the manifest.

    ``example_input_ids``: a few real tokenised prompts [K, context_length] (K >= 2) used for
    tracing and verification. Exactly one of tokenizer_json / tokenizer_file must be given.
    """
    if (tokenizer_json is None) == (tokenizer_file is None):
        raise ValueError("give exactly one of tokenizer_json / tokenizer_file")
    os.makedirs(out_dir, exist_ok=True)
    image_encoder.eval()
    text_encoder.eval()
    size = image_cfg["size"]
    gen = torch.Generator().manual_seed(seed)
    ex_img = torch.randn(2, 3, size, size, generator=gen)
    ver_img = torch.randn(3, 3, size, size, generator=gen)  # other batch size: checks the dynamic axis
    ids = example_input_ids.to(torch.int64)
    if ids.dim() != 2 or ids.shape[1] != context_length or ids.shape[0] < 2:
        raise ValueError(f"example_input_ids must be [K>=2, {context_length}], got {list(ids.shape)}")
    ex_ids = ids[:2]
    ver_ids = ids if ids.shape[0] != 2 else torch.cat([ids, ids[:1]])

    with torch.no_grad():
        d_img = image_encoder(ex_img).shape[-1]
        d_txt = text_encoder(ex_ids).shape[-1]
    if d_img != embedding_dim or d_txt != embedding_dim:
        raise ValueError(f"embedding dims: image {d_img}, text {d_txt}, manifest {embedding_dim}")

    t_img = trace(image_encoder, ex_img)
    torch.jit.save(t_img, os.path.join(out_dir, "image_encoder.pt"))
    del t_img
    t_txt = trace(text_encoder, ex_ids)
    torch.jit.save(t_txt, os.path.join(out_dir, "text_encoder.pt"))
    del t_txt
    print(f"[bundle] TorchScript written to {out_dir}", flush=True)
    onnx_files = export_onnx(image_encoder, ex_img, os.path.join(out_dir, "image_encoder.onnx"),
                             IMAGE_INPUT, IMAGE_OUTPUT, opset)
    print(f"[bundle] ONNX written: {', '.join(os.path.basename(f) for f in onnx_files)}", flush=True)
    tok_path = os.path.join(out_dir, "tokenizer.json")
    if tokenizer_json is not None:
        with open(tok_path, "w", encoding="utf-8") as f:
            json.dump(tokenizer_json, f, ensure_ascii=False, indent=2)
            f.write("\n")
    elif os.path.abspath(tokenizer_file) != os.path.abspath(tok_path):
        shutil.copyfile(tokenizer_file, tok_path)

    verification = {
        "image_torchscript_max_abs_diff": verify_torchscript(
            os.path.join(out_dir, "image_encoder.pt"), image_encoder, ver_img, "image encoder"),
        "text_torchscript_max_abs_diff": verify_torchscript(
            os.path.join(out_dir, "text_encoder.pt"), text_encoder, ver_ids, "text encoder"),
    }
    verification.update({"image_" + k: v for k, v in verify_onnx(
        os.path.join(out_dir, "image_encoder.onnx"), image_encoder, ver_img, IMAGE_INPUT,
        IMAGE_OUTPUT, "image encoder").items()})

    files = [_file_entry(out_dir, "image_encoder", "torchscript", "image_encoder.pt"),
             _file_entry(out_dir, "text_encoder", "torchscript", "text_encoder.pt"),
             _file_entry(out_dir, "image_encoder", "onnx", "image_encoder.onnx")]
    if len(onnx_files) > 1:
        files.append(_file_entry(out_dir, "image_encoder_data", "onnx_external_data",
                                 os.path.basename(onnx_files[1])))
    files.append(_file_entry(out_dir, "tokenizer", "huggingface", "tokenizer.json"))

    prov = dict(provenance)
    prov.setdefault("created", datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat())
    prov.setdefault("torch_version", torch.__version__)
    prov.setdefault("python_version", sys.version.split()[0])
    prov["onnx_opset"] = verification.get("image_onnx_opset", opset)
    prov["verification"] = verification

    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "model_id": model_id,
        "model_version": model_version,
        "description": description,
        "embedding_dim": int(embedding_dim),
        "logit_scale": float(logit_scale),
        "embeddings_normalized": False,
        "image": image_cfg,
        "text": {"context_length": int(context_length), "bos_token_id": int(bos_token_id),
                 "eos_token_id": int(eos_token_id), "pad_token_id": int(pad_token_id),
                 "lowercase": bool(lowercase)},
        "inputs": {"image": {"name": IMAGE_INPUT, "dtype": "float32", "shape": [-1, 3, size, size]},
                   "text": {"name": TEXT_INPUT, "dtype": "int64", "shape": [-1, int(context_length)]}},
        "outputs": {"image": {"name": IMAGE_OUTPUT, "dtype": "float32", "shape": [-1, int(embedding_dim)]},
                    "text": {"name": TEXT_OUTPUT, "dtype": "float32", "shape": [-1, int(embedding_dim)]}},
        "files": files,
        "provenance": prov,
    }
    with open(os.path.join(out_dir, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    print(f"[bundle] manifest.json written ({len(files)} files)", flush=True)
    return manifest


def update_provenance(out_dir: str, extra: dict) -> dict:
    """Merge ``extra`` into manifest.json's provenance (e.g. evaluation numbers computed with
    the saved TorchScript files after write_bundle)."""
    path = os.path.join(out_dir, "manifest.json")
    with open(path, encoding="utf-8") as f:
        manifest = json.load(f)
    manifest["provenance"].update(extra)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    return manifest


def setup_torch(threads: int = 2) -> None:
    """2 intra-op threads (the build machines have 2 shared cores); OMP_WAIT_POLICY=PASSIVE is
    set when this module is imported, before torch, so idle OpenMP threads do not spin."""
    torch.set_num_threads(threads)
