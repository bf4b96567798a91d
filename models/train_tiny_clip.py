#!/usr/bin/python3
"""Train the tiny CLIP-style model on synthetic coloured shapes and write models/tiny-clip/.

    /usr/bin/python3 models/train_tiny_clip.py            # full run, writes models/tiny-clip/
    /usr/bin/python3 models/train_tiny_clip.py --quick    # smoke test into models/.work/

Measured on the project's 2-core build machine (shared with other builds, 2 torch threads,
2 generator processes): 10 min 1 s wall from scratch (rendering 89 s, training 490 s,
evaluation 12 s); see MEASURED_RUNTIME and models/README.md. Deterministic: re-runs write
byte-identical model files.

What it does (deterministic for a fixed --seed):
 1. renders N_TRAIN labelled pictures of seen (colour, shape) pairs with tiny_shapes.render
    (240..480 px per side, any aspect ratio; 25% go through a JPEG round trip), runs CLIP's exact
    pre-processing (Pillow bicubic shorter side -> 224, centre crop, /255, mean/std) and keeps
    the 2x2 average-pooled result (float16), which is exactly what the model's first layer
    computes;
 2. trains an image encoder (avg-pool 2 -> 6-conv BatchNorm stem -> one transformer block over
    7x7 tokens + CLS) and a text encoder (2-block causal transformer, EOT pooling) with symmetric
    InfoNCE and a learned temperature. Captions are drawn afresh every step from several
    templates with attributes left out at random; since many captions in a batch fit many
    images, the contrastive targets are all captions that fit an image (and all images that fit
    a caption), not just the diagonal. Negatives that could only teach "this colour never comes
    with that shape" (a fact of the held-out split, see confounded()) are left out of the softmax;
 3. writes the bundle (TorchScript, ONNX, tokenizer.json, manifest.json) through bundle.py;
 4. reloads the saved TorchScript encoders and evaluates zero-shot accuracy on freshly
    generated held-out-pair pictures (full 224x224 input, half of them JPEG q90);
 5. writes samples/ (pictures + samples.csv) and golden.json for the Java tests.
"""
import argparse
import csv
import io
import json
import math
import os
import sys
import time

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from PIL import Image  # noqa: E402

import bundle  # noqa: E402
import tiny_shapes as ts  # noqa: E402
from clip_modules import TextTransformer, VisionTransformer, count_params, init_clip_weights  # noqa: E402

MEASURED_RUNTIME = ("10 min 1 s wall on the 2-core build machine (busy with other builds): "
                    "rendering 89 s, training 490 s (2,180 steps), evaluation 12 s")

MODEL_ID = "tiny-clip"
MODEL_VERSION = "1.0.0"
CONTEXT = 77
EMBED_DIM = 64
POOL = 2
CFG = dict(
    n_train=14000, epochs=10, batch=64, lr=1.5e-3, weight_decay=0.05, warmup_frac=0.05,
    n_eval_heldout=1120, n_eval_seen=560, n_samples_heldout=112, n_samples_seen=12,
    image=dict(width=96, layers=1, heads=4, stem_channels=[16, 32, 32, 64, 64, 96],
               stem_strides=[2, 2, 1, 2, 1, 2], stem_norm=True, patch_size=1, pre_pool=POOL, act="gelu"),
    text=dict(width=64, layers=2, heads=4, act="gelu"),
    caption_keep=dict(color=0.8, shape=0.85, pattern=0.5, size=0.5), caption_period=0.3,
    train_jpeg_fraction=0.25, eval_jpeg_fraction=0.5, mask_confounded_negatives=True,
)
QUICK = dict(n_train=1500, epochs=1, n_eval_heldout=140, n_eval_seen=70, n_samples_heldout=14, n_samples_seen=4)
ATTRS = ["color", "shape", "pattern", "size"]
VALUES = {"color": list(ts.COLORS), "shape": ts.SHAPES, "pattern": ts.PATTERNS, "size": ts.SIZES}
TOKENIZER = bundle.WordLevelTokenizer(ts.VOCAB_WORDS, CONTEXT)


# ------------------------------------------------------------------------------------------
# Data generation (2 worker processes, deterministic per chunk)
# ------------------------------------------------------------------------------------------
CHUNK = 250


def _gen_chunk(job):
    kind, seed, chunk_idx, n, jpeg_fraction = job
    kind_code = {"train": 0, "heldout": 1, "seen": 2}[kind]
    rng = np.random.default_rng([seed, kind_code, chunk_idx])
    pairs = ts.HELD_OUT if kind == "heldout" else ts.SEEN_PAIRS
    labels = np.empty((n, 4), np.int64)
    if kind == "train":
        out = np.empty((n, 3, ts.IMAGE_SIZE // POOL, ts.IMAGE_SIZE // POOL), np.float16)  # halves memory
    else:
        out = np.empty((n, ts.IMAGE_SIZE, ts.IMAGE_SIZE, 3), np.uint8)
    for i in range(n):
        lab = ts.random_labels(rng, pairs)
        labels[i] = [VALUES[a].index(lab[a]) for a in ATTRS]
        arr = ts.render(rng, **lab)
        if rng.uniform() < jpeg_fraction:
            arr = ts.jpeg_roundtrip(arr, int(rng.integers(70, 96)) if kind == "train" else 90)
        crop = np.asarray(ts.resize_crop(Image.fromarray(arr)))
        out[i] = ts.pooled_pixels(crop, POOL) if kind == "train" else crop
    return out, labels


def generate(pool, kind, seed, n, jpeg_fraction):
    jobs = [(kind, seed, c, min(CHUNK, n - c * CHUNK), jpeg_fraction) for c in range((n + CHUNK - 1) // CHUNK)]
    parts = pool.map(_gen_chunk, jobs) if pool is not None else [_gen_chunk(j) for j in jobs]
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


# ------------------------------------------------------------------------------------------
# Model
# ------------------------------------------------------------------------------------------
class TinyClip(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        ic, tc = cfg["image"], cfg["text"]
        self.visual = VisionTransformer(ts.IMAGE_SIZE, ic["patch_size"], ic["width"], ic["layers"], ic["heads"],
                                        act=ic["act"], pre_pool=ic["pre_pool"], stem_channels=ic["stem_channels"],
                                        stem_strides=ic.get("stem_strides"), stem_norm=ic.get("stem_norm", False))
        self.visual_projection = nn.Linear(ic["width"], EMBED_DIM, bias=False)
        self.text = TextTransformer(len(TOKENIZER.vocab), CONTEXT, tc["width"], tc["layers"], tc["heads"], act=tc["act"])
        self.text_projection = nn.Linear(tc["width"], EMBED_DIM, bias=False)
        self.logit_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))
        init_clip_weights(self.visual, self.text)
        nn.init.normal_(self.visual_projection.weight, std=ic["width"] ** -0.5)
        nn.init.normal_(self.text_projection.weight, std=tc["width"] ** -0.5)
        self.image_encoder = bundle.ImageEncoderWrapper(self.visual, self.visual_projection)
        self.text_encoder = bundle.TextEncoderWrapper(self.text, self.text_projection, TOKENIZER.eos_id)

    def encode_pooled_image(self, pooled):
        """Training path: input already average-pooled (== image_encoder on the 224 input)."""
        return self.visual_projection(self.visual.forward_features(pooled))


def sample_captions(rng, labels, cfg):
    """One random caption per image; returns texts and the mentioned attributes (-1 = not said)."""
    keep = cfg["caption_keep"]
    n = labels.shape[0]
    said = np.stack([rng.uniform(size=n) < keep[a] for a in ATTRS], axis=1)
    neither = ~said[:, 0] & ~said[:, 1]  # always mention the colour or the shape (or both)
    pick = rng.integers(0, 2, size=n)
    said[neither, 0] = pick[neither] == 0
    said[neither, 1] = pick[neither] == 1
    cap_attrs = np.where(said, labels, -1)
    names = list(ts.TEMPLATES)
    tmpl = rng.integers(0, len(names), size=n)
    period = rng.uniform(size=n) < cfg["caption_period"]
    texts = []
    for i in range(n):
        kw = {a: (VALUES[a][cap_attrs[i, k]] if cap_attrs[i, k] >= 0 else None) for k, a in enumerate(ATTRS)}
        texts.append(ts.caption(names[tmpl[i]], period=bool(period[i]), **kw))
    return texts, cap_attrs


def encode_texts(texts, max_len=None):
    ids = TOKENIZER.encode_batch(texts)
    if max_len is not None:  # causal model: positions after EOT cannot change the EOT output
        assert int((ids[:, max_len:] != 0).sum()) == 0
        ids = ids[:, :max_len]
    return ids


def train(model, x_train, y_train, cfg, seed, log_every=25):
    gen = torch.Generator().manual_seed(seed)
    rng = np.random.default_rng([seed, 99])
    n = x_train.shape[0]
    steps_per_epoch = n // cfg["batch"]
    total = steps_per_epoch * cfg["epochs"]
    warmup = max(1, int(total * cfg["warmup_frac"]))
    decay, no_decay = [], []
    for name, p in model.named_parameters():
        (decay if p.dim() >= 2 and "embedding" not in name else no_decay).append(p)
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": cfg["weight_decay"]},
                             {"params": no_decay, "weight_decay": 0.0}],
                            lr=cfg["lr"], betas=(0.9, 0.98), eps=1e-6)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: (s + 1) / warmup if s < warmup else 0.5 * (1 + math.cos(math.pi * (s - warmup) / max(1, total - warmup))))
    x_t = torch.from_numpy(x_train)
    # (colour, shape) pairs that never occur in the training pictures
    seen = torch.zeros(len(ts.COLORS), len(ts.SHAPES), dtype=torch.bool)
    seen[torch.from_numpy(y_train[:, 0]), torch.from_numpy(y_train[:, 1])] = True
    unseen = ~seen
    y_np = y_train
    model.train()
    step, t0, run_loss = 0, time.time(), 0.0
    for epoch in range(cfg["epochs"]):
        perm = torch.randperm(n, generator=gen).numpy()
        for b in range(steps_per_epoch):
            idx = perm[b * cfg["batch"]:(b + 1) * cfg["batch"]]
            labels = y_np[idx]
            texts, cap = sample_captions(rng, labels, cfg)
            ids = TOKENIZER.encode_batch(texts)
            max_len = int((ids != 0).sum(1).max())
            ids = ids[:, :max_len]
            img = F.normalize(model.encode_pooled_image(x_t[idx].float()), dim=-1)
            txt = F.normalize(model.text_projection(_eot_pool(model.text(ids), ids)), dim=-1)
            logits = model.logit_scale.exp() * img @ txt.t()
            lab_t, cap_t = torch.from_numpy(labels), torch.from_numpy(cap)
            fits = ((cap_t[None, :, :] == -1) | (cap_t[None, :, :] == lab_t[:, None, :])).all(-1).float()  # [img, txt]
            if cfg.get("mask_confounded_negatives"):
                logits = logits.masked_fill(confounded(lab_t, cap_t, unseen), -1e4)  # ~0 weight, no NaN
            loss_i = -(fits / fits.sum(1, keepdim=True) * F.log_softmax(logits, dim=1)).sum(1).mean()
            loss_t = -(fits.t() / fits.t().sum(1, keepdim=True) * F.log_softmax(logits.t(), dim=1)).sum(1).mean()
            loss = 0.5 * (loss_i + loss_t)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            with torch.no_grad():
                model.logit_scale.clamp_(0, math.log(100))
            run_loss += float(loss)
            step += 1
            if step % log_every == 0 or step == total:
                el = time.time() - t0
                print(f"  step {step}/{total} epoch {epoch + 1} loss {run_loss / ((step - 1) % log_every + 1):.4f} "
                      f"scale {model.logit_scale.exp().item():.1f} lr {sched.get_last_lr()[0]:.2e} "
                      f"{el:.0f}s ({el / step:.2f}s/step)", flush=True)
                run_loss = 0.0
    model.eval()
    return {"steps": total, "steps_per_epoch": steps_per_epoch, "final_loss_window": None}


def confounded(lab, cap, unseen):
    """[img, txt] pairs where a caption names a colour but no shape (or a shape but no colour)
    and the picture's (colour, shape) pair with the caption's attribute never occurs in training,
    e.g. "a star" against a red circle when red stars are never shown. Such a pair is a true
    negative, but the only thing it can teach beyond the other negatives is "red pictures are
    never stars", a fact of the training set that is false in the world: it is left out of the
    softmax (both directions). Everything else stays a negative."""
    c_only = (cap[:, 0] >= 0) & (cap[:, 1] < 0)
    s_only = (cap[:, 1] >= 0) & (cap[:, 0] < 0)
    cc, cs = cap[:, 0].clamp(min=0), cap[:, 1].clamp(min=0)
    m_c = unseen[cc[None, :], lab[:, 1][:, None]] & c_only[None, :]   # caption colour x picture shape
    m_s = unseen[lab[:, 0][:, None], cs[None, :]] & s_only[None, :]   # picture colour x caption shape
    return m_c | m_s


def _eot_pool(hidden, ids):
    eot = (ids == TOKENIZER.eos_id).int().argmax(-1)
    return hidden[torch.arange(hidden.shape[0]), eot]


# ------------------------------------------------------------------------------------------
# Evaluation with the saved TorchScript encoders
# ------------------------------------------------------------------------------------------
_MEAN_T = torch.tensor(bundle.CLIP_MEAN).reshape(1, 3, 1, 1)
_STD_T = torch.tensor(bundle.CLIP_STD).reshape(1, 3, 1, 1)


def crops_to_pixels(crops_u8):
    x = torch.from_numpy(crops_u8).permute(0, 3, 1, 2).float() * (1.0 / 255.0)
    return (x - _MEAN_T) / _STD_T


@torch.no_grad()
def embed_images(image_ts, crops, batch=64):
    out = [image_ts(crops_to_pixels(crops[i:i + batch])) for i in range(0, len(crops), batch)]
    return F.normalize(torch.cat(out), dim=-1)


@torch.no_grad()
def class_embeddings(text_ts, classes, templates):
    """classes: list of attribute dicts; returns [C, D] (ensemble: mean of normalised, renormalised)."""
    embs = []
    for attrs in classes:
        prompts = [ts.caption(t, **attrs) for t in templates]
        e = F.normalize(text_ts(TOKENIZER.encode_batch(prompts)), dim=-1).mean(0)
        embs.append(F.normalize(e, dim=-1))
    return torch.stack(embs)


TASKS = {
    "color": ([{"color": c} for c in ts.COLORS], lambda y: y[:, 0]),
    "shape": ([{"shape": s} for s in ts.SHAPES], lambda y: y[:, 1]),
    "color_shape": ([{"color": c, "shape": s} for c, s in ts.ALL_PAIRS], lambda y: y[:, 0] * len(ts.SHAPES) + y[:, 1]),
    "pattern": ([{"pattern": p} for p in ts.PATTERNS], lambda y: y[:, 2]),
    "size": ([{"size": z} for z in ts.SIZES], lambda y: y[:, 3]),
}


def evaluate(image_ts, text_ts, crops, labels, name):
    img = embed_images(image_ts, crops)
    res = {}
    for task, (classes, target) in TASKS.items():
        y = torch.from_numpy(target(labels))
        for mode, templates in (("single", [ts.SINGLE_TEMPLATE]), ("ensemble", ts.ENSEMBLE_TEMPLATES)):
            pred = (img @ class_embeddings(text_ts, classes, templates).t()).argmax(-1)
            res[f"{task}_{mode}"] = round(float((pred == y).float().mean()), 4)
    print(f"[eval] {name} ({len(crops)} images, zero-shot accuracy):", flush=True)
    for task in TASKS:
        print(f"    {task:12s} single prompt {res[task + '_single']:.4f}   ensemble {res[task + '_ensemble']:.4f}", flush=True)
    return res


# ------------------------------------------------------------------------------------------
# Samples and golden values for the Java tests
# ------------------------------------------------------------------------------------------
def write_samples(out_dir, seed, n_held, n_seen):
    sdir = os.path.join(out_dir, "samples")
    os.makedirs(sdir, exist_ok=True)
    for f in os.listdir(sdir):
        os.remove(os.path.join(sdir, f))
    rng = np.random.default_rng([seed, 7])
    rows = []
    plan = [True] * n_held + [False] * n_seen
    for i, held in enumerate(plan):
        if held:  # balanced over the held-out pairs
            c, s = ts.HELD_OUT[i % len(ts.HELD_OUT)]
            lab = {"color": c, "shape": s, "pattern": ts.PATTERNS[int(rng.integers(4))], "size": ts.SIZES[int(rng.integers(2))]}
        else:
            lab = ts.random_labels(rng, ts.SEEN_PAIRS)
        im = Image.fromarray(ts.render(rng, **lab))
        # PNG where it stays small (pictures drawn without noise), JPEG quality 90 otherwise
        buf = io.BytesIO()
        im.save(buf, format="PNG", optimize=True)
        png = buf.tell() <= 24_000
        name = f"sample_{i:03d}.{'png' if png else 'jpg'}"
        if png:
            with open(os.path.join(sdir, name), "wb") as f:
                f.write(buf.getvalue())
        else:
            im.save(os.path.join(sdir, name), format="JPEG", quality=90)
        rows.append({"file": name, **lab, "held_out": str(held).lower()})
    with open(os.path.join(sdir, "samples.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["file", "color", "shape", "pattern", "size", "held_out"], lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    total = sum(os.path.getsize(os.path.join(sdir, r["file"])) for r in rows)
    print(f"[samples] {len(rows)} files, {total / 1e6:.2f} MB", flush=True)
    return rows


GOLDEN_PROMPTS = ["a photo of a red star", "A small striped BLUE triangle.",
                  "an image of a white cross, with a dotted pattern!"]


@torch.no_grad()
def write_golden(out_dir, image_ts, text_ts, rows):
    sdir = os.path.join(out_dir, "samples")
    pngs = [r for r in rows if r["file"].endswith(".png")][:3]
    jpgs = [r for r in rows if r["file"].endswith(".jpg")][:1]
    images = []
    for r in pngs + jpgs:
        with Image.open(os.path.join(sdir, r["file"])) as im:
            w, h = im.size
            px = torch.from_numpy(ts.preprocess(im))[None]
        emb = image_ts(px)[0]
        images.append({
            "file": r["file"], "width": w, "height": h,
            "pixel_values_channel_mean": [round(float(v), 6) for v in px[0].mean(dim=(1, 2))],
            "pixel_values_probe": [[c, y, x, round(float(px[0, c, y, x]), 6)]
                                   for c, y, x in ((0, 0, 0), (1, 112, 112), (2, 223, 223), (0, 50, 170))],
            "image_embeds_first8": [round(float(v), 6) for v in emb[:8]],
            "image_embeds_norm": round(float(emb.norm()), 6),
        })
    texts = []
    for p in GOLDEN_PROMPTS:
        ids = TOKENIZER.encode_batch([p])
        emb = text_ts(ids)[0]
        n_real = int((ids[0] != 0).sum())
        texts.append({"text": p, "input_ids": ids[0].tolist(), "num_non_pad": n_real,
                      "text_embeds_first8": [round(float(v), 6) for v in emb[:8]],
                      "text_embeds_norm": round(float(emb.norm()), 6)})
    golden = {
        "model_id": MODEL_ID, "model_version": MODEL_VERSION,
        "description": "Reference values from the TorchScript encoders in this folder (torch "
                       + torch.__version__ + "). Images: decoded with Pillow, pre-processed as the "
                       "manifest says (Pillow BICUBIC shorter side -> 224 with the long side floored, "
                       "centre crop with top=(H-224)//2, left=(W-224)//2, /255, mean/std). "
                       "pixel_values_probe entries are [channel, y, x, value] of the [3,224,224] input. "
                       "Embeddings are unnormalised; *_norm is their L2 norm.",
        "tolerance": {"pixel_values": 0.02, "embeds_same_pixels": 1e-4, "embeds_java_preprocessing": 0.05},
        "images": images, "texts": texts,
    }
    with open(os.path.join(out_dir, "golden.json"), "w") as f:
        json.dump(golden, f, indent=2)
        f.write("\n")
    return golden


# ------------------------------------------------------------------------------------------
def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=None, help="bundle folder (default models/tiny-clip, or models/.work/tiny-clip-quick with --quick)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--quick", action="store_true", help="tiny smoke-test run")
    ap.add_argument("--workers", type=int, default=2, help="picture generator processes")
    ap.add_argument("--data-cache", default=None,
                    help="npz file to keep the rendered training set in between runs (same seed -> same data)")
    args = ap.parse_args()
    here = os.path.dirname(os.path.abspath(__file__))
    out = args.out or os.path.join(here, ".work/tiny-clip-quick" if args.quick else "tiny-clip")
    cfg = json.loads(json.dumps(CFG))
    if args.quick:
        cfg.update(QUICK)
    bundle.setup_torch(2)
    torch.manual_seed(args.seed)
    t_start = time.time()
    timings = {}

    # sanity: every training word is in the vocabulary
    for t in ts.TEMPLATES:
        for c, s in ts.ALL_PAIRS:
            ids = TOKENIZER.encode(ts.caption(t, color=c, shape=s, pattern="checkered", size="small", period=True))
            assert TOKENIZER.unk_id not in ids, t

    import multiprocessing as mp
    pool = mp.get_context("fork").Pool(args.workers) if args.workers > 1 else None
    try:
        print(f"[data] rendering {cfg['n_train']} training pictures ...", flush=True)
        t0 = time.time()
        cache = args.data_cache
        data_cached = bool(cache and os.path.exists(cache))
        if data_cached:
            with np.load(cache) as d:
                x_train, y_train = d["x"], d["y"]
        else:
            x_train, y_train = generate(pool, "train", args.seed, cfg["n_train"], cfg["train_jpeg_fraction"])
            if cache:
                np.savez(cache, x=x_train, y=y_train)
        timings["generate_train_s"] = round(time.time() - t0, 1)
        print(f"[data] {x_train.shape} in {timings['generate_train_s']}s", flush=True)

        model = TinyClip(cfg)
        n_img, n_txt = count_params(model.image_encoder), count_params(model.text_encoder)
        print(f"[model] image encoder {n_img:,} params, text encoder {n_txt:,} params", flush=True)
        # the training path (pre-pooled input) equals the exported path (224 input)
        with torch.no_grad():
            probe_rng = np.random.default_rng(1)
            crop = np.asarray(ts.resize_crop(Image.fromarray(ts.render(probe_rng, "red", "star", "striped", "large"))))
            full = model.image_encoder(torch.from_numpy(ts.normalize(crop))[None])
            pooled = model.encode_pooled_image(torch.from_numpy(ts.pooled_pixels(crop, POOL))[None])
            assert float((full - pooled).abs().max()) < 1e-4, float((full - pooled).abs().max())

        print(f"[train] {cfg['epochs']} epochs x {cfg['n_train'] // cfg['batch']} steps, batch {cfg['batch']}", flush=True)
        t0 = time.time()
        train(model, x_train, y_train, cfg, args.seed)
        timings["train_s"] = round(time.time() - t0, 1)
        del x_train

        t0 = time.time()
        sample_prompts = [ts.caption("photo", color=c, shape=s) for c, s in ts.ALL_PAIRS[:4]]
        manifest = bundle.write_bundle(
            out, image_encoder=model.image_encoder, text_encoder=model.text_encoder,
            tokenizer_json=TOKENIZER.to_json(), model_id=MODEL_ID, model_version=MODEL_VERSION,
            description="Tiny CLIP-style model trained from scratch on synthetic coloured shapes "
                        "(8 colours x 5 shapes x 4 patterns x 2 sizes); for tests and demos, not real photos.",
            embedding_dim=EMBED_DIM, logit_scale=float(model.logit_scale.exp()),
            image_cfg=bundle.image_config(ts.IMAGE_SIZE), context_length=CONTEXT,
            bos_token_id=TOKENIZER.bos_id, eos_token_id=TOKENIZER.eos_id, pad_token_id=TOKENIZER.pad_id,
            lowercase=True, example_input_ids=TOKENIZER.encode_batch(sample_prompts),
            provenance={"script": "models/train_tiny_clip.py", "seed": args.seed}, seed=args.seed)
        timings["bundle_s"] = round(time.time() - t0, 1)

        image_ts = torch.jit.load(os.path.join(out, "image_encoder.pt")).eval()
        text_ts = torch.jit.load(os.path.join(out, "text_encoder.pt")).eval()
        t0 = time.time()
        crops_h, y_h = generate(pool, "heldout", args.seed, cfg["n_eval_heldout"], cfg["eval_jpeg_fraction"])
        crops_s, y_s = generate(pool, "seen", args.seed, cfg["n_eval_seen"], cfg["eval_jpeg_fraction"])
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    ev_held = evaluate(image_ts, text_ts, crops_h, y_h, "held-out (colour, shape) pairs")
    ev_seen = evaluate(image_ts, text_ts, crops_s, y_s, "seen (colour, shape) pairs, new pictures")
    timings["evaluate_s"] = round(time.time() - t0, 1)

    rows = write_samples(out, args.seed, cfg["n_samples_heldout"], cfg["n_samples_seen"])
    write_golden(out, image_ts, text_ts, rows)
    timings["total_s"] = round(time.time() - t_start, 1)
    print(f"[time] {timings}", flush=True)

    prov = {
        "seed": args.seed,
        "command": "/usr/bin/python3 models/train_tiny_clip.py" + (" --quick" if args.quick else ""),
        "timings_s": timings,
        "training_data": "loaded from --data-cache (same seed, same pictures)" if data_cached else "rendered in this run",
        "machine": f"{os.cpu_count()} CPU cores, torch.set_num_threads(2), {args.workers} generator processes",
        "training": {k: cfg[k] for k in ("n_train", "epochs", "batch", "lr", "weight_decay", "warmup_frac",
                                         "caption_keep", "caption_period", "train_jpeg_fraction",
                                         "mask_confounded_negatives")},
        "loss": "symmetric InfoNCE with learned temperature (init 1/0.07, clamp 100); targets = all captions "
                "in the batch that fit an image / all images that fit a caption; negatives that only say 'this colour "
                "never comes with that shape' (colour-only or shape-only caption vs a picture whose pair with it is "
                "never shown) are left out of the softmax",
        "architecture": {"image": dict(cfg["image"], input=[3, 224, 224], tokens="7x7+CLS", params=n_img),
                         "text": dict(cfg["text"], vocab=len(TOKENIZER.vocab), context=CONTEXT, pooling="first EOT", params=n_txt),
                         "embedding_dim": EMBED_DIM},
        "dataset": {"generator": "models/tiny_shapes.py", "colors": list(ts.COLORS), "shapes": ts.SHAPES,
                    "patterns": ts.PATTERNS, "sizes": ts.SIZES,
                    "held_out_pairs": [list(p) for p in ts.HELD_OUT],
                    "picture_sides_px": [ts.MIN_SIDE, ts.MAX_SIDE]},
        "evaluation": {"held_out_pairs": dict(ev_held, images=len(crops_h)),
                       "seen_pairs": dict(ev_seen, images=len(crops_s)),
                       "single_template": ts.SINGLE_TEMPLATE,
                       "ensemble_templates": [ts.caption(t, color="{color}", shape="{shape}") for t in ts.ENSEMBLE_TEMPLATES],
                       "jpeg_q90_fraction": cfg["eval_jpeg_fraction"],
                       "encoders": "saved TorchScript files, full 224x224 input"},
    }
    manifest = bundle.update_provenance(out, prov)
    print(json.dumps(manifest, indent=2))


if __name__ == "__main__":
    main()
