#!/usr/bin/env python3
"""GPU figures for sizing: the image encoders' throughput, latency, memory and FP16 numerics.

    python3 deploy/bench/gpu_encoders.py --out DIR      # on a machine with an NVIDIA GPU and PyTorch

What it measures, in one run, on the first CUDA device:
  * throughput (images/s) and latency per batch (mean, p50, p99) of three image encoders in FP32 and
    FP16 at batch 1 to 256: the tiny model's TorchScript encoder (models/tiny-clip), and the exact
    layer shapes of CLIP ViT-B/32 and ViT-L/14 with random weights (models/clip_modules.py: the same
    module code as the exported bundles; the FLOPs are the real models', the embeddings mean nothing);
  * peak GPU memory of each (torch.cuda.max_memory_allocated, weights included);
  * the cost of copying a batch of pre-processed images to the GPU from pageable and from pinned
    host memory;
  * FP16 numerics: the tiny model's 124 sample images through FP32 and FP16 (cosine of the
    embeddings, largest difference of the zero-shot probabilities of the tiny policy's labels, and
    decisions that flip at its thresholds), and the ViT-B/32 shapes' FP16-vs-FP32 cosine.

It is PyTorch eager, without TensorRT: a floor for what TensorRT's FP16 engine does with the same
encoders. Writes gpu-results.md and gpu-results.json to --out; prints the tables as it goes.
"""
import argparse
import json
import math
import os
import statistics
import sys
import time

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "models"))

from clip_modules import VisionTransformer, init_clip_weights  # noqa: E402

TINY = os.path.join(ROOT, "models", "tiny-clip")
BATCHES = [1, 8, 16, 32, 64, 128, 256]
# The tiny policy's labels and thresholds (deploy/policies/tiny-shapes.yaml), one template each here.
TINY_LABELS = {"red star": 0.4, "cross": 0.5, "star": 0.5, "circle": 0.5, "square": 0.5, "triangle": 0.5}


class RandomClipImageEncoder(torch.nn.Module):
    """A CLIP image tower with the published shapes and random weights: pixels -> projected embedding."""

    def __init__(self, patch, width, layers, heads, embed_dim):
        super().__init__()
        torch.manual_seed(0)
        self.visual = VisionTransformer(224, patch, width, layers, heads, act="quick_gelu")
        init_clip_weights(self.visual, None)
        self.proj = torch.nn.Linear(width, embed_dim, bias=False)
        torch.nn.init.normal_(self.proj.weight, std=width ** -0.5)

    def forward(self, pixel_values):
        return self.proj(self.visual(pixel_values))


def half(model, x):
    """FP16: the eager encoders cast whole; the tiny TorchScript encoder (traced with FP32 constants)
    under autocast, which runs its matrix products in FP16."""
    if isinstance(model, torch.jit.ScriptModule):
        with torch.autocast("cuda", dtype=torch.float16):
            return model(x.float())
    return model.half()(x.half())


def encoders():
    return {
        "tiny-clip": lambda: torch.jit.load(os.path.join(TINY, "image_encoder.pt"), map_location="cpu"),
        "ViT-B/32 shapes": lambda: RandomClipImageEncoder(32, 768, 12, 12, 512),
        "ViT-L/14 shapes": lambda: RandomClipImageEncoder(14, 1024, 24, 16, 768),
    }


def timed(run, min_seconds=1.0, min_iters=10, max_iters=200):
    """Per-call latencies in ms, measured with CUDA events after a warm-up."""
    for _ in range(5):
        run()
    torch.cuda.synchronize()
    latencies = []
    start = time.perf_counter()
    while len(latencies) < max_iters and (len(latencies) < min_iters or time.perf_counter() - start < min_seconds):
        begin, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        begin.record()
        run()
        end.record()
        end.synchronize()
        latencies.append(begin.elapsed_time(end))
    return latencies


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


def throughput(results, md):
    md.append("## Image encoders: throughput, latency and peak memory (PyTorch eager, no TensorRT)\n")
    md.append("| encoder | dtype | batch | images/s | batch latency mean ms | p50 ms | p99 ms | peak GPU memory MiB |")
    md.append("|---|---|---|---|---|---|---|---|")
    rows = []
    for name, build in encoders().items():
        for dtype in (torch.float32, torch.float16):
            model = build().to("cuda").eval()
            scripted = isinstance(model, torch.jit.ScriptModule)
            if dtype == torch.float16 and not scripted:
                model = model.half()
            for batch in BATCHES:
                x = torch.randn(batch, 3, 224, 224, device="cuda", dtype=torch.float32 if scripted else dtype)
                torch.cuda.reset_peak_memory_stats()
                with torch.inference_mode():
                    if dtype == torch.float16 and scripted:
                        latencies = timed(lambda: half(model, x))
                    else:
                        latencies = timed(lambda: model(x))
                peak = torch.cuda.max_memory_allocated() / 2**20
                mean = statistics.fmean(latencies)
                label = str(dtype).replace("torch.", "") + (" (autocast)" if dtype == torch.float16 and scripted else "")
                row = dict(encoder=name, dtype=label, batch=batch,
                           images_per_s=batch * 1000 / mean, mean_ms=mean, p50_ms=percentile(latencies, 0.5),
                           p99_ms=percentile(latencies, 0.99), peak_mib=peak, iterations=len(latencies))
                rows.append(row)
                line = ("| {encoder} | {dtype} | {batch} | {images_per_s:,.0f} | {mean_ms:.2f} | {p50_ms:.2f} | "
                        "{p99_ms:.2f} | {peak_mib:,.0f} |").format(**row)
                md.append(line)
                print(line, flush=True)
            del model
            torch.cuda.empty_cache()
    results["throughput"] = rows
    md.append("")


def copies(results, md):
    md.append("## Host to GPU copy of a pre-processed batch (3 x 224 x 224 per image)\n")
    md.append("| dtype | batch | MB | pageable ms | pinned ms | pageable GB/s | pinned GB/s |")
    md.append("|---|---|---|---|---|---|---|")
    rows = []
    for dtype in (torch.float32, torch.float16):
        for batch in (16, 64, 256):
            pageable = torch.randn(batch, 3, 224, 224).to(dtype)
            pinned = pageable.pin_memory()
            target = torch.empty_like(pageable, device="cuda")
            mb = pageable.numel() * pageable.element_size() / 1e6
            slow = statistics.fmean(timed(lambda: target.copy_(pageable)))
            fast = statistics.fmean(timed(lambda: target.copy_(pinned, non_blocking=True)))
            row = dict(dtype=str(dtype).replace("torch.", ""), batch=batch, mb=mb, pageable_ms=slow,
                       pinned_ms=fast, pageable_gbps=mb / slow, pinned_gbps=mb / fast)
            rows.append(row)
            line = ("| {dtype} | {batch} | {mb:.1f} | {pageable_ms:.3f} | {pinned_ms:.3f} | {pageable_gbps:.1f} | "
                    "{pinned_gbps:.1f} |").format(**row)
            md.append(line)
            print(line, flush=True)
    results["copies"] = rows
    md.append("")


def tiny_pixels():
    """The tiny model's samples, pre-processed as its manifest says (Pillow bicubic, centre crop)."""
    from PIL import Image
    manifest = json.load(open(os.path.join(TINY, "manifest.json")))
    spec = manifest["image"]
    mean = torch.tensor(spec["mean"]).view(3, 1, 1)
    std = torch.tensor(spec["std"]).view(3, 1, 1)
    size = spec["size"]
    folder = os.path.join(TINY, "samples")
    names = sorted(f for f in os.listdir(folder) if f.lower().endswith((".png", ".jpg", ".jpeg")))
    tensors = []
    for name in names:
        image = Image.open(os.path.join(folder, name)).convert("RGB")
        w, h = image.size
        scale = size / min(w, h)
        image = image.resize((max(size, int(w * scale)), max(size, int(h * scale))), Image.BICUBIC)
        w, h = image.size
        top, left = (h - size) // 2, (w - size) // 2
        image = image.crop((left, top, left + size, top + size))
        pixels = torch.frombuffer(bytearray(image.tobytes()), dtype=torch.uint8).view(size, size, 3)
        tensors.append((pixels.permute(2, 0, 1).float() / 255 - mean) / std)
    return names, torch.stack(tensors), manifest


def tiny_text_embeddings(manifest):
    """The tiny policy's labels through the tiny text encoder, in FP32 (as the job computes them)."""
    from tokenizers import Tokenizer
    tokenizer = Tokenizer.from_file(os.path.join(TINY, "tokenizer.json"))
    golden = json.load(open(os.path.join(TINY, "golden.json")))

    def ids(prompt):  # the tokenizer file's own template adds <|startoftext|>, <|endoftext|> and the padding
        return tokenizer.encode(prompt).ids

    for entry in golden["texts"]:
        assert ids(entry["text"]) == entry["input_ids"], ("tokenization differs from the job's", entry["text"])
    encoder = torch.jit.load(os.path.join(TINY, "text_encoder.pt"), map_location="cpu").to("cuda").eval()
    prompts = torch.tensor([ids("a photo of a " + label) for label in TINY_LABELS], device="cuda")
    with torch.inference_mode():
        embeds = encoder(prompts).float()
    return embeds / embeds.norm(dim=-1, keepdim=True)


def numerics(results, md):
    names, pixels, manifest = tiny_pixels()
    encoder = torch.jit.load(os.path.join(TINY, "image_encoder.pt"), map_location="cpu").to("cuda").eval()
    texts = tiny_text_embeddings(manifest)
    scale = manifest["logit_scale"]
    with torch.inference_mode():
        full = encoder(pixels.to("cuda")).float()
        half_ = half(encoder, pixels.to("cuda")).float()
    cosine = torch.nn.functional.cosine_similarity(full, half_, dim=-1)
    p_full = (scale * (full / full.norm(dim=-1, keepdim=True)) @ texts.T).softmax(dim=-1)
    p_half = (scale * (half_ / half_.norm(dim=-1, keepdim=True)) @ texts.T).softmax(dim=-1)
    thresholds = torch.tensor(list(TINY_LABELS.values()), device="cuda")
    flips = ((p_full >= thresholds) != (p_half >= thresholds)).sum().item()
    tiny = dict(images=len(names), cosine_min=cosine.min().item(), cosine_mean=cosine.mean().item(),
                max_abs_embedding_diff=(full - half_).abs().max().item(),
                max_abs_probability_diff=(p_full - p_half).abs().max().item(), decisions_flipped=flips,
                decisions=len(names) * len(TINY_LABELS))

    vit = RandomClipImageEncoder(32, 768, 12, 12, 512).to("cuda").eval()
    with torch.inference_mode():
        full_b = vit(pixels.to("cuda")).float()
        half_b = half(vit, pixels.to("cuda")).float()
    cosine_b = torch.nn.functional.cosine_similarity(full_b, half_b, dim=-1)
    vitb = dict(cosine_min=cosine_b.min().item(), cosine_mean=cosine_b.mean().item())
    results["fp16_numerics"] = dict(tiny=tiny, vit_b_32_shapes=vitb)
    md.append("## FP16 against FP32, same GPU\n")
    md.append("| encoder | images | embedding cosine min | mean | largest label-probability difference |"
              " decisions flipped at the policy's thresholds |")
    md.append("|---|---|---|---|---|---|")
    md.append("| tiny-clip, FP16 under autocast (tiny-shapes policy, softmax over 6 labels) | {images} | {cosine_min:.6f} | {cosine_mean:.6f} |"
              " {max_abs_probability_diff:.5f} | {decisions_flipped} of {decisions} |".format(**tiny))
    md.append("| ViT-B/32 shapes, random weights | {} | {:.6f} | {:.6f} | n/a | n/a |".format(
        len(names), vitb["cosine_min"], vitb["cosine_mean"]))
    md.append("")
    print("\n".join(md[-5:]), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=HERE)
    args = parser.parse_args()
    if not torch.cuda.is_available():
        sys.exit("error: no CUDA device: this script measures a GPU (PyTorch sees none)")
    torch.backends.cuda.matmul.allow_tf32 = False  # FP32 means FP32 here
    torch.backends.cudnn.allow_tf32 = False
    properties = torch.cuda.get_device_properties(0)
    header = ("# GPU figures: `python3 deploy/bench/gpu_encoders.py --out DIR`\n\n"
              f"{properties.name}, {properties.total_memory / 2**30:.0f} GiB, {properties.multi_processor_count}"
              f" SMs; torch {torch.__version__}, CUDA {torch.version.cuda}; "
              f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}. Latency is one batch's forward pass on the"
              " GPU (CUDA events), inputs already on the device; copies are measured separately below.\n")
    print(header, flush=True)
    results = dict(device=properties.name, torch=torch.__version__, cuda=torch.version.cuda)
    md = [header]
    for section in (numerics, copies, throughput):
        try:
            section(results, md)
        except Exception as e:  # one section failing must not lose the others' figures
            line = f"{section.__name__} failed: {type(e).__name__}: {e}"
            print(line, flush=True)
            md.append(line + "\n")
            results[section.__name__ + "_error"] = line
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "gpu-results.md"), "w") as out:
        out.write("\n".join(md) + "\n")
    with open(os.path.join(args.out, "gpu-results.json"), "w") as out:
        json.dump(results, out, indent=1)


if __name__ == "__main__":
    main()
