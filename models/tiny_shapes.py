"""Deterministic synthetic "coloured shapes" image-caption generator for the tiny CLIP model,
plus CLIP's exact image pre-processing (Pillow). Used by train_tiny_clip.py for training,
evaluation and the committed sample images, so all three come from the same generator.

An image shows one shape (circle, square, triangle, star, cross) in one colour, filled with a
pattern (solid, striped, dotted, checkered), small or large, at a random position inside the
central square of the picture (the part CLIP's centre crop keeps) and a random rotation, on a
muted background (plain or gradient, with light grey noise). Pictures are 240..480 px per side,
any aspect ratio in that range.
"""
import colorsys
import io
import math
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
from PIL import Image, ImageDraw

from bundle import CLIP_MEAN, CLIP_STD

COLORS: Dict[str, Tuple[int, int, int]] = {
    "red": (215, 30, 35),
    "green": (35, 160, 55),
    "blue": (35, 75, 215),
    "yellow": (240, 215, 35),
    "purple": (135, 45, 175),
    "orange": (245, 135, 25),
    "white": (245, 245, 245),
    "black": (18, 18, 18),
}
SHAPES = ["circle", "square", "triangle", "star", "cross"]
PATTERNS = ["solid", "striped", "dotted", "checkered"]
SIZES = ["small", "large"]
# (colour, shape) pairs that never occur in training; every colour except black and every
# shape still occurs in other pairs. 7 of 40 pairs = 17.5 %.
HELD_OUT: List[Tuple[str, str]] = [
    ("red", "star"), ("green", "square"), ("blue", "triangle"), ("yellow", "cross"),
    ("purple", "circle"), ("orange", "triangle"), ("white", "cross"),
]
ALL_PAIRS = [(c, s) for c in COLORS for s in SHAPES]
SEEN_PAIRS = [p for p in ALL_PAIRS if p not in HELD_OUT]

IMAGE_SIZE = 224
MIN_SIDE, MAX_SIDE = 240, 480

# ------------------------------------------------------------------------------------------
# Rendering
# ------------------------------------------------------------------------------------------
_STAR = [(math.cos(math.pi / 2 + k * math.pi / 5) * (1.0 if k % 2 == 0 else 0.45),
          math.sin(math.pi / 2 + k * math.pi / 5) * (1.0 if k % 2 == 0 else 0.45)) for k in range(10)]
_A = 0.32
_CROSS = [(-_A, -1), (_A, -1), (_A, -_A), (1, -_A), (1, _A), (_A, _A), (_A, 1), (-_A, 1),
          (-_A, _A), (-1, _A), (-1, -_A), (-_A, -_A)]
_SQUARE = [(math.cos(math.pi / 4 + k * math.pi / 2), math.sin(math.pi / 4 + k * math.pi / 2)) for k in range(4)]
_TRIANGLE = [(math.cos(-math.pi / 2 + k * 2 * math.pi / 3), math.sin(-math.pi / 2 + k * 2 * math.pi / 3)) for k in range(3)]
_POLYS = {"square": _SQUARE, "triangle": _TRIANGLE, "star": _STAR, "cross": _CROSS}
# scale so that the shapes look about equally big for the same "radius"
_SHAPE_SCALE = {"circle": 0.82, "square": 0.95, "triangle": 1.05, "star": 1.05, "cross": 0.95}

_NOISE_TILE: Optional[np.ndarray] = None


def _noise_tile() -> np.ndarray:
    global _NOISE_TILE
    if _NOISE_TILE is None:  # fixed, so rendering stays deterministic per rng
        _NOISE_TILE = np.random.default_rng(12345).standard_normal((2 * MAX_SIDE, 2 * MAX_SIDE, 1)).astype(np.float32)
    return _NOISE_TILE


def _muted(rng: np.random.Generator) -> np.ndarray:
    h, s, v = rng.uniform(0, 1), rng.uniform(0.04, 0.32), rng.uniform(0.28, 0.82)
    return np.array(colorsys.hsv_to_rgb(h, s, v), dtype=np.float32) * 255.0


def _background(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    c1 = _muted(rng)
    if rng.uniform() < 0.35:
        bg = np.empty((h, w, 3), np.float32)
        bg[:] = c1
    else:
        c2 = _muted(rng)
        a = rng.uniform(0, 2 * math.pi)
        # gradient computed on a small grid and upsampled by Pillow (smooth anyway)
        gh, gw = max(2, h // 16), max(2, w // 16)
        yy, xx = np.mgrid[0:gh, 0:gw].astype(np.float32)
        t = (xx / gw - 0.5) * math.cos(a) + (yy / gh - 0.5) * math.sin(a) + 0.5
        small = c1 + np.clip(t, 0, 1)[..., None] * (c2 - c1)
        bg = np.asarray(Image.fromarray(small.clip(0, 255).astype(np.uint8)).resize((w, h), Image.BILINEAR),
                        dtype=np.float32)
    amp = rng.choice([0.0, rng.uniform(1.0, 7.0)], p=[0.3, 0.7])
    if amp > 0:
        tile = _noise_tile()
        y0, x0 = rng.integers(0, tile.shape[0] - h), rng.integers(0, tile.shape[1] - w)
        bg += amp * tile[y0:y0 + h, x0:x0 + w]
    return bg


def render(rng: np.random.Generator, color: str, shape: str, pattern: str, size: str,
           hw: Optional[Tuple[int, int]] = None) -> np.ndarray:
    """uint8 RGB array [H, W, 3] of one labelled picture."""
    if hw is None:
        h, w = int(rng.integers(MIN_SIDE, MAX_SIDE + 1)), int(rng.integers(MIN_SIDE, MAX_SIDE + 1))
    else:
        h, w = hw
    img = _background(rng, h, w)
    s = min(h, w)
    top0, left0 = (h - s) / 2.0, (w - s) / 2.0  # central square = what the centre crop keeps
    r = s * (rng.uniform(0.17, 0.23) if size == "small" else rng.uniform(0.30, 0.40))
    margin = r + 0.04 * s
    cx = left0 + rng.uniform(margin, s - margin)
    cy = top0 + rng.uniform(margin, s - margin)
    rot = rng.uniform(0, 2 * math.pi)
    rs = r * _SHAPE_SCALE[shape]
    x0, y0 = max(0, int(cx - rs * 1.1) - 1), max(0, int(cy - rs * 1.1) - 1)
    x1, y1 = min(w, int(cx + rs * 1.1) + 2), min(h, int(cy + rs * 1.1) + 2)
    mask_img = Image.new("L", (x1 - x0, y1 - y0), 0)
    draw = ImageDraw.Draw(mask_img)
    lx, ly = cx - x0, cy - y0
    if shape == "circle":
        draw.ellipse([lx - rs, ly - rs, lx + rs, ly + rs], fill=255)
    else:
        cr, sr = math.cos(rot), math.sin(rot)
        pts = [(lx + rs * (px * cr - py * sr), ly + rs * (px * sr + py * cr)) for px, py in _POLYS[shape]]
        draw.polygon(pts, fill=255)
    mask = np.asarray(mask_img) > 127

    base = np.clip(np.array(COLORS[color], np.float32) + rng.integers(-12, 13, 3), 0, 255)
    if color == "black":
        shade = base + (255.0 - base) * 0.38
    else:
        shade = base * 0.55
    fill = np.empty((y1 - y0, x1 - x0, 3), np.float32)
    fill[:] = base
    if pattern != "solid":
        period = s * rng.uniform(0.085, 0.12)
        a = rng.uniform(0, math.pi)
        yy, xx = np.mgrid[y0:y1, x0:x1].astype(np.float32)
        u = (xx * math.cos(a) + yy * math.sin(a)) / period + rng.uniform()
        v = (-xx * math.sin(a) + yy * math.cos(a)) / period + rng.uniform()
        if pattern == "striped":
            alt = (u % 1.0) < 0.5
        elif pattern == "dotted":
            alt = ((u % 1.0) - 0.5) ** 2 + ((v % 1.0) - 0.5) ** 2 < 0.31 ** 2
        elif pattern == "checkered":
            alt = (np.floor(u) + np.floor(v)) % 2 == 1
        else:
            raise ValueError(pattern)
        fill[alt] = shade
    region = img[y0:y1, x0:x1]
    region[mask] = fill[mask]
    return np.clip(img + 0.5, 0, 255).astype(np.uint8)


def jpeg_roundtrip(arr: np.ndarray, quality: int) -> np.ndarray:
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, format="JPEG", quality=int(quality))
    buf.seek(0)
    return np.asarray(Image.open(buf).convert("RGB"))


def random_labels(rng: np.random.Generator, pairs: Sequence[Tuple[str, str]]) -> Dict[str, str]:
    c, s = pairs[int(rng.integers(len(pairs)))]
    return {"color": c, "shape": s, "pattern": PATTERNS[int(rng.integers(len(PATTERNS)))],
            "size": SIZES[int(rng.integers(len(SIZES)))]}


# ------------------------------------------------------------------------------------------
# CLIP pre-processing, exactly as Hugging Face's CLIPImageProcessor does it (Pillow)
# ------------------------------------------------------------------------------------------
def resize_crop(img: Image.Image, size: int = IMAGE_SIZE) -> Image.Image:
    """Shorter side -> ``size`` (longer side: int(size * long / short), i.e. floored), Pillow
    BICUBIC resize (antialiased when downscaling), then centre crop size x size with
    top = (H - size) // 2, left = (W - size) // 2."""
    img = img.convert("RGB")
    w, h = img.size
    if w <= h:
        nw, nh = size, int(size * h / w)
    else:
        nw, nh = int(size * w / h), size
    if (nw, nh) != (w, h):
        img = img.resize((nw, nh), Image.BICUBIC)
    top, left = (nh - size) // 2, (nw - size) // 2
    return img.crop((left, top, left + size, top + size))


_MEAN = np.array(CLIP_MEAN, np.float32).reshape(3, 1, 1)
_STD = np.array(CLIP_STD, np.float32).reshape(3, 1, 1)


def normalize(crop_u8: np.ndarray) -> np.ndarray:
    """uint8 [S,S,3] -> float32 [3,S,S]: x/255, then (x - mean)/std per channel."""
    x = crop_u8.astype(np.float32).transpose(2, 0, 1) * np.float32(1.0 / 255.0)
    return (x - _MEAN) / _STD


def preprocess(img: Image.Image, size: int = IMAGE_SIZE) -> np.ndarray:
    """Pillow image -> CLIP pixel_values [3, size, size] float32."""
    return normalize(np.asarray(resize_crop(img, size)))


def pooled_pixels(crop_u8: np.ndarray, k: int) -> np.ndarray:
    """uint8 crop [S,S,3] -> normalised pixels average-pooled over k x k blocks [3,S/k,S/k].

    Equal (up to float rounding) to AvgPool2d(k) applied to normalize(crop_u8), because the
    normalisation is affine per channel: this is what the tiny model's first layer computes, so
    training on these is training on exactly the CLIP-pre-processed 224x224 input."""
    s = crop_u8.shape[0]
    x = crop_u8.astype(np.float32).reshape(s // k, k, s // k, k, 3).mean(axis=(1, 3))
    x = x.transpose(2, 0, 1) * np.float32(1.0 / 255.0)
    return ((x - _MEAN) / _STD).astype(np.float32)


# ------------------------------------------------------------------------------------------
# Captions
# ------------------------------------------------------------------------------------------
def _phrase(z, p, c, s):
    return [w for w in (z, p, c, s if s else "shape") if w]


# Each template turns (size, pattern, colour, shape), any of them None = not mentioned,
# into a list of words. A missing shape is said as "shape".
TEMPLATES = {
    "photo": lambda z, p, c, s: ["a", "photo", "of", "a"] + _phrase(z, p, c, s),
    "plain": lambda z, p, c, s: ["a"] + _phrase(z, p, c, s),
    "image": lambda z, p, c, s: ["an", "image", "of", "a"] + _phrase(z, p, c, s),
    "picture": lambda z, p, c, s: ["a", "picture", "of", "a"] + _phrase(z, p, c, s),
    "drawing": lambda z, p, c, s: ["a", "drawing", "of", "a"] + _phrase(z, p, c, s),
    "with_pattern": lambda z, p, c, s: ["a"] + _phrase(z, None, c, s) + (["with", "a", p, "pattern"] if p else []),
    "in_color": lambda z, p, c, s: _phrase(z, p, None, s) + (["in", c] if c else []),
    "that_is": lambda z, p, c, s: ["a"] + _phrase(z, p, None, s) + (["that", "is", c] if c else []),
    "bare": lambda z, p, c, s: _phrase(z, p, c, s),
}
SINGLE_TEMPLATE = "photo"
ENSEMBLE_TEMPLATES = ["photo", "plain", "image", "picture", "drawing", "that_is", "in_color", "bare"]
VOCAB_WORDS = (["a", "an", "photo", "of", "image", "picture", "drawing", "with", "pattern", "in",
                "that", "is", "shape", "."] + list(COLORS) + SHAPES + PATTERNS + SIZES)


def caption(template: str, color=None, shape=None, pattern=None, size=None, period: bool = False) -> str:
    words = TEMPLATES[template](size, pattern, color, shape)
    for i in range(len(words) - 1):  # a -> an before a vowel
        if words[i] == "a" and words[i + 1][0] in "aeiou":
            words[i] = "an"
    text = " ".join(words)
    return text + "." if period else text
