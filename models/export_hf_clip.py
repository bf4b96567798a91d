#!/usr/bin/env python3
"""Export a Hugging Face CLIP checkpoint as a clipguard model bundle.

Writes the same bundle format as the tiny model (see models/README.md): TorchScript image and
text encoders, the image encoder as ONNX (the input for a TensorRT engine build),
tokenizer.json and manifest.json, all through models/bundle.py, which also reloads the written
files and checks them against the eager model.

Needs network access to the Hugging Face hub (or a filled HF cache) and:

    pip install torch transformers onnx            # onnxruntime optional: numeric ONNX check

Usage:

    python models/export_hf_clip.py                                    # openai/clip-vit-base-patch32
    python models/export_hf_clip.py --model openai/clip-vit-base-patch32  --out models/clip-vit-base-patch32
    python models/export_hf_clip.py --model openai/clip-vit-base-patch16  --out models/clip-vit-base-patch16
    python models/export_hf_clip.py --model openai/clip-vit-large-patch14 --out models/clip-vit-large-patch14
    python models/export_hf_clip.py --model laion/CLIP-ViT-H-14-laion2B-s32B-b79K --out models/clip-vit-h-14-laion2b

Sizes (fp32): ViT-B/32 ~600 MB per bundle, ViT-B/16 ~600 MB, ViT-L/14 ~1.7 GB, ViT-H/14 ~4 GB.
An ONNX image encoder over ~1.8 GB (ViT-H/14) is written with its weights in one external file,
``image_encoder.onnx.data``, listed in the manifest with role ``image_encoder_data``.
Do not commit real-model bundles to git.

What the bundle contains:
* image encoder = vision_model -> pooler_output (CLS token after post_layernorm) -> visual_projection
* text encoder  = text_model -> last_hidden_state (after final_layer_norm) at the FIRST
  end-of-text token -> text_projection (bundle.TextEncoderWrapper)
* manifest image settings from the checkpoint's CLIPImageProcessor (shortest_edge, crop_size,
  mean, std; bicubic), logit_scale = exp(model.logit_scale), embedding_dim = projection_dim
* tokenizer.json = CLIPTokenizerFast's file with padding to 77 with <|endoftext|> and truncation
  to 77 written into it; bos/eos ids from the tokenizer, pad id = eos id.
Embeddings are not normalised; outputs are checked against CLIPModel.get_image_features /
get_text_features before anything is written.
"""
import argparse
import os
import sys

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

DEFAULT_MODEL = "openai/clip-vit-base-patch32"
KNOWN_MODELS = [
    "openai/clip-vit-base-patch32",
    "openai/clip-vit-base-patch16",
    "openai/clip-vit-large-patch14",
    "laion/CLIP-ViT-H-14-laion2B-s32B-b79K",
]
CHECK_PROMPTS = ["a photo of a cat", "a photo of a dog sitting on a red sofa.",
                 "an explicit image", "a screenshot of text"]


def default_out(model_name: str) -> str:
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.join(here, model_name.split("/")[-1].lower())


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default=DEFAULT_MODEL,
                    help=f"Hugging Face model id or local folder (default {DEFAULT_MODEL}; tested names: "
                         + ", ".join(KNOWN_MODELS) + ")")
    ap.add_argument("--out", default=None, help="bundle folder (default models/<last part of the model id, lower case>)")
    ap.add_argument("--revision", default=None, help="hub revision (branch, tag or commit)")
    ap.add_argument("--model-id", default=None, help="manifest model_id (default: --model)")
    ap.add_argument("--model-version", default=None,
                    help="manifest model_version (default: the checkpoint's commit hash, else --revision, else 'main')")
    ap.add_argument("--opset", type=int, default=17, help="ONNX opset, 14..17 (default 17)")
    ap.add_argument("--threads", type=int, default=max(1, min(8, os.cpu_count() or 1)))
    return ap.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if not 14 <= args.opset <= 17:
        raise SystemExit("--opset must be in 14..17")

    import torch
    import torch.nn as nn
    from transformers import CLIPImageProcessor, CLIPModel, CLIPTokenizerFast

    import bundle

    bundle.setup_torch(args.threads)
    out = args.out or default_out(args.model)
    kw = {"revision": args.revision} if args.revision else {}
    try:  # eager attention traces and exports cleanly; older transformers lack the argument
        model = CLIPModel.from_pretrained(args.model, attn_implementation="eager", **kw)
    except TypeError:
        model = CLIPModel.from_pretrained(args.model, **kw)
    model.eval().float()
    tok = CLIPTokenizerFast.from_pretrained(args.model, **kw)
    proc = CLIPImageProcessor.from_pretrained(args.model, **kw)

    # ---- image pre-processing settings --------------------------------------------------------
    shortest = proc.size["shortest_edge"] if isinstance(proc.size, dict) else int(proc.size)
    crop = proc.crop_size["height"] if isinstance(proc.crop_size, dict) else int(proc.crop_size)
    if isinstance(proc.crop_size, dict) and proc.crop_size["height"] != proc.crop_size["width"]:
        raise SystemExit(f"non-square crop {proc.crop_size} is not supported by the bundle format")
    if shortest != crop or not proc.do_center_crop or not proc.do_resize:
        raise SystemExit(f"bundle format v1 expects resize shorter side == centre crop; processor has "
                         f"size={proc.size} crop_size={proc.crop_size} do_center_crop={proc.do_center_crop}")
    if int(proc.resample) != 3:  # PIL.Image.BICUBIC
        raise SystemExit(f"bundle format v1 expects bicubic resizing; processor has resample={proc.resample}")
    if not proc.do_rescale or abs(proc.rescale_factor - 1 / 255) > 1e-9 or not proc.do_normalize:
        raise SystemExit("bundle format v1 expects rescale 1/255 and mean/std normalisation")
    if model.config.vision_config.image_size != crop:
        raise SystemExit(f"vision model takes {model.config.vision_config.image_size}px, processor crops {crop}px")
    image_cfg = bundle.image_config(crop, proc.image_mean, proc.image_std)

    # ---- tokenizer.json: CLIP's own file with fixed padding/truncation to the context length ---
    from tokenizers import Tokenizer

    context = model.config.text_config.max_position_embeddings
    bos_id, eos_id = tok.bos_token_id, tok.eos_token_id
    eos_token = tok.convert_ids_to_tokens(eos_id)
    backend = Tokenizer.from_str(tok.backend_tokenizer.to_str())
    backend.enable_truncation(max_length=context)
    backend.enable_padding(direction="right", pad_id=eos_id, pad_type_id=0, pad_token=eos_token, length=context)
    os.makedirs(out, exist_ok=True)
    tok_path = os.path.join(out, "tokenizer.json")
    backend.save(tok_path)
    reloaded = Tokenizer.from_file(tok_path)
    ids = torch.tensor([e.ids for e in reloaded.encode_batch(CHECK_PROMPTS)], dtype=torch.int64)
    ref_ids = tok(CHECK_PROMPTS, padding="max_length", max_length=context, truncation=True,
                  return_tensors="pt").input_ids
    ref_ids = torch.where(ref_ids == tok.pad_token_id, torch.full_like(ref_ids, eos_id), ref_ids) \
        if tok.pad_token_id is not None else ref_ids
    if ids.shape != (len(CHECK_PROMPTS), context) or not torch.equal(ids[:, 0], torch.full_like(ids[:, 0], bos_id)):
        raise SystemExit(f"tokenizer.json does not give [BOS ... EOS pad] x {context}: {ids[:, :12]}")
    if not torch.equal(ids, ref_ids):
        raise SystemExit("tokenizer.json and CLIPTokenizerFast disagree on the check prompts")

    # ---- wrappers (the shared ones from bundle.py) --------------------------------------------
    class VisionPooled(nn.Module):
        """vision_model -> pooler_output: CLS token after post_layernorm, [N, hidden]."""

        def __init__(self, vision_model):
            super().__init__()
            self.vision_model = vision_model

        def forward(self, pixel_values):
            out = self.vision_model(pixel_values=pixel_values)
            return out.pooler_output if hasattr(out, "pooler_output") else out[1]

    class TextHidden(nn.Module):
        """text_model -> last_hidden_state (after final_layer_norm), [N, L, hidden]."""

        def __init__(self, text_model):
            super().__init__()
            self.text_model = text_model

        def forward(self, input_ids):
            out = self.text_model(input_ids=input_ids)
            return out.last_hidden_state if hasattr(out, "last_hidden_state") else out[0]

    image_encoder = bundle.ImageEncoderWrapper(VisionPooled(model.vision_model), model.visual_projection).eval()
    text_encoder = bundle.TextEncoderWrapper(TextHidden(model.text_model), model.text_projection, eos_id).eval()

    def features(out, name):
        """get_*_features returns a tensor in transformers 4.x; accept an output object too."""
        if torch.is_tensor(out):
            return out
        for attr in (name, "pooler_output"):
            if getattr(out, attr, None) is not None:
                return getattr(out, attr)
        return out[0]

    # the wrappers compute exactly what CLIPModel computes
    with torch.no_grad():
        px = torch.randn(2, 3, crop, crop, generator=torch.Generator().manual_seed(0))
        ref_img = features(model.get_image_features(pixel_values=px), "image_embeds")
        ref_txt = features(model.get_text_features(input_ids=ids), "text_embeds")
        d_img = (image_encoder(px) - ref_img).abs().max().item()
        d_txt = (text_encoder(ids) - ref_txt).abs().max().item()
    print(f"[export] wrapper vs CLIPModel: image {d_img:.2e}, text {d_txt:.2e}", flush=True)
    if d_img > 1e-4 or d_txt > 1e-4:
        raise SystemExit("wrappers disagree with CLIPModel.get_*_features")

    version = args.model_version or getattr(model.config, "_commit_hash", None) or args.revision or "main"
    import transformers

    manifest = bundle.write_bundle(
        out, image_encoder=image_encoder, text_encoder=text_encoder, tokenizer_file=tok_path,
        model_id=args.model_id or args.model, model_version=str(version),
        description=f"{args.model} exported from Hugging Face transformers (CLIPModel), fp32",
        embedding_dim=model.config.projection_dim, logit_scale=float(model.logit_scale.exp()),
        image_cfg=image_cfg, context_length=context, bos_token_id=bos_id, eos_token_id=eos_id,
        pad_token_id=eos_id, lowercase=True, example_input_ids=ids, opset=args.opset,
        provenance={"script": "models/export_hf_clip.py", "seed": 0, "source": args.model,
                    "revision": args.revision, "transformers_version": transformers.__version__,
                    "wrapper_vs_clipmodel_max_abs_diff": {"image": d_img, "text": d_txt}})
    total = sum(f["bytes"] for f in manifest["files"])
    print(f"[export] {out}: {len(manifest['files'])} files, {total / 1e6:.0f} MB, "
          f"embedding_dim {manifest['embedding_dim']}, logit_scale {manifest['logit_scale']:.2f}")


if __name__ == "__main__":
    main()
