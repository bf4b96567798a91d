#!/usr/bin/python3
"""Build a random-weight model with the exact CLIP ViT-B/32 shapes, as a clipguard bundle.

    /usr/bin/python3 models/build_bench_vitb32.py            # -> models/bench-vit-b-32/ (git-ignored)

For throughput/latency benchmarks where no real checkpoint can be fetched: the encoders have
exactly the layer shapes, parameter counts and FLOPs of OpenAI's ViT-B/32
(image: 224 px, patch 32, width 768, 12 layers, 12 heads, output 512, 87,849,216 parameters;
text: vocab 49408, context 77, width 512, 12 layers, 8 heads, output 512, 63,428,096
parameters), built from the same module code as the tiny model (clip_modules.py), with
OpenAI-CLIP-style initialisation from a fixed seed. The embeddings mean nothing.

The tokenizer is a generated WordLevel file with 49408 entries (the tiny model's words first,
then "tok00000", "tok00001", ...): it only has to produce valid ids; it is not CLIP's BPE.
The bundle goes through the same bundle.py writer and checks as every other bundle
(~350 MB image encoder .pt and .onnx, ~250 MB text encoder; takes a minute or two).
"""
import argparse
import math
import os
import sys
import time

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

import bundle  # noqa: E402
from clip_modules import TextTransformer, VisionTransformer, count_params, init_clip_weights  # noqa: E402

VITB32 = dict(image_size=224, patch=32, vision_width=768, vision_layers=12, vision_heads=12,
              embed_dim=512, vocab=49408, context=77, text_width=512, text_layers=12, text_heads=8)
EXPECTED_PARAMS = {"image": 87_849_216, "text": 63_428_096}
TINY_WORDS = ["a", "an", "photo", "of", "image", "picture", "drawing", "with", "pattern", "in", "that",
              "is", "shape", ".", "red", "green", "blue", "yellow", "purple", "orange", "white", "black",
              "circle", "square", "triangle", "star", "cross", "solid", "striped", "dotted", "checkered",
              "small", "large", "cat", "dog", "sofa", "on", "the"]


def build(seed: int):
    c = VITB32
    torch.manual_seed(seed)
    visual = VisionTransformer(c["image_size"], c["patch"], c["vision_width"], c["vision_layers"],
                               c["vision_heads"], act="quick_gelu")
    text = TextTransformer(c["vocab"], c["context"], c["text_width"], c["text_layers"], c["text_heads"],
                           act="quick_gelu")
    init_clip_weights(visual, text)
    visual_projection = nn.Linear(c["vision_width"], c["embed_dim"], bias=False)
    text_projection = nn.Linear(c["text_width"], c["embed_dim"], bias=False)
    nn.init.normal_(visual_projection.weight, std=c["vision_width"] ** -0.5)
    nn.init.normal_(text_projection.weight, std=c["text_width"] ** -0.5)
    return visual, visual_projection, text, text_projection


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--out", default=os.path.join(here, "bench-vit-b-32"))
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--opset", type=int, default=bundle.DEFAULT_OPSET)
    args = ap.parse_args()
    bundle.setup_torch(2)
    t0 = time.time()

    words = list(TINY_WORDS)
    n_gen = VITB32["vocab"] - len(bundle.WORDLEVEL_SPECIALS) - len(words)
    words += [f"tok{i:05d}" for i in range(n_gen)]
    tokenizer = bundle.WordLevelTokenizer(words, VITB32["context"])
    assert len(tokenizer.vocab) == VITB32["vocab"]

    visual, visual_projection, text, text_projection = build(args.seed)
    image_encoder = bundle.ImageEncoderWrapper(visual, visual_projection).eval()
    text_encoder = bundle.TextEncoderWrapper(text, text_projection, tokenizer.eos_id).eval()
    n_img, n_txt = count_params(image_encoder), count_params(text_encoder)
    print(f"[bench] image encoder {n_img:,} parameters (ViT-B/32: {EXPECTED_PARAMS['image']:,})")
    print(f"[bench] text encoder  {n_txt:,} parameters (ViT-B/32: {EXPECTED_PARAMS['text']:,})")
    print(f"[bench] image grid {visual.grid}x{visual.grid} + CLS, patch {visual.effective_patch_size}px", flush=True)
    if (n_img, n_txt) != (EXPECTED_PARAMS["image"], EXPECTED_PARAMS["text"]):
        raise SystemExit("parameter counts differ from CLIP ViT-B/32")

    prompts = ["a photo of a cat", "a red circle", "a dog on the sofa", "a small striped blue star"]
    manifest = bundle.write_bundle(
        args.out, image_encoder=image_encoder, text_encoder=text_encoder,
        tokenizer_json=tokenizer.to_json(), model_id="bench-vit-b-32", model_version="1.0.0",
        description="Random weights with the exact CLIP ViT-B/32 shapes, for benchmarks only "
                    "(embeddings are meaningless).",
        embedding_dim=VITB32["embed_dim"], logit_scale=1 / 0.07,
        image_cfg=bundle.image_config(VITB32["image_size"]), context_length=VITB32["context"],
        bos_token_id=tokenizer.bos_id, eos_token_id=tokenizer.eos_id, pad_token_id=tokenizer.pad_id,
        lowercase=True, example_input_ids=tokenizer.encode_batch(prompts), opset=args.opset, seed=args.seed,
        provenance={"script": "models/build_bench_vitb32.py", "seed": args.seed,
                    "weights": "random (OpenAI CLIP initialisation), not trained",
                    "architecture": dict(VITB32, act="quick_gelu"),
                    "parameters": {"image_encoder": n_img, "text_encoder": n_txt},
                    "tokenizer": f"generated WordLevel vocabulary of {len(tokenizer.vocab)} entries"})
    for f in manifest["files"]:
        print(f"[bench] {f['path']:22s} {f['bytes'] / 1e6:8.1f} MB  {f['format']}")
    print(f"[bench] done in {time.time() - t0:.0f}s -> {args.out}")


if __name__ == "__main__":
    main()
