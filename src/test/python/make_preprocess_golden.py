#!/usr/bin/python3
"""Writes the Pillow reference for io.clipguard.image.ClipPreprocessorTest.

Run once with Debian's Python (Pillow 9.4, numpy): /usr/bin/python3 src/test/python/make_preprocess_golden.py
It generates small synthetic test images (RGB, RGBA, greyscale, a JPEG) under
src/test/resources/image/ and, for each, the 224x224 8-bit crop that CLIP's Pillow pipeline
produces, plus golden.json with normalised values at fixed indices and per-channel means.

The pipeline (Hugging Face's CLIPImageProcessor on Pillow, as models/tiny_shapes.py does):
  alpha composited over white (paste with the alpha as mask), greyscale -> RGB;
  resize shorter side to 224: long = int(224 * long / short), Image.BICUBIC (antialiased);
  centre crop: offset = (side - 224) // 2;
  x / 255, minus mean, divided by std (float32).
"""
import json
import os

import numpy as np
from PIL import Image

SIZE = 224
MEAN = np.array([0.48145466, 0.4578275, 0.40821073], dtype=np.float32)
STD = np.array([0.26862954, 0.26130258, 0.27577711], dtype=np.float32)
OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "image")
INDICES = [0, 1, 223, 224, 25087, 50176, 75000, 100351, 150527]


def pattern(width, height, seed):
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    r = 127.5 + 127.5 * np.sin(x / 3.1 + y / 17.0)
    g = np.where(((x // 9) + (y // 7)) % 2 == 0, 230.0, 25.0)
    b = 255.0 * x / width * (y / height)
    img = np.stack([r, g, b], axis=-1)
    block = rng.integers(0, 256, size=(height // 4, width // 4, 3))
    img[height // 3:height // 3 + block.shape[0], width // 2:width // 2 + block.shape[1]] = block
    img[:, width // 5:width // 5 + 2] = 0.0
    return np.clip(np.rint(img), 0, 255).astype(np.uint8)


def make_images():
    rgb = Image.fromarray(pattern(398, 300, 1), "RGB")
    rgb.save(os.path.join(OUT, "rgb_398x300.png"))
    rgb.save(os.path.join(OUT, "rgb_398x300.jpg"), quality=90)
    rgba = pattern(150, 260, 2)
    alpha = np.tile(np.linspace(0, 255, 150), (260, 1))
    alpha[:40, :] = 0
    rgba = np.dstack([rgba, np.rint(alpha).astype(np.uint8)])
    Image.fromarray(rgba, "RGBA").save(os.path.join(OUT, "rgba_150x260.png"))
    grey = pattern(517, 680, 3)[:, :, 0]
    Image.fromarray(grey, "L").save(os.path.join(OUT, "grey_517x680.png"))
    return ["rgb_398x300.png", "rgba_150x260.png", "grey_517x680.png", "rgb_398x300.jpg"]


def to_rgb(img):
    if img.mode in ("RGBA", "LA", "P"):
        rgba = img.convert("RGBA")
        canvas = Image.new("RGB", rgba.size, (255, 255, 255))
        canvas.paste(rgba, mask=rgba.split()[3])
        return canvas
    return img.convert("RGB")


def clip_crop(img):
    img = to_rgb(img)
    w, h = img.size
    if w <= h:
        nw, nh = SIZE, int(SIZE * h / w)
    else:
        nw, nh = int(SIZE * w / h), SIZE
    img = img.resize((nw, nh), Image.BICUBIC)
    left = (nw - SIZE) // 2
    top = (nh - SIZE) // 2
    return img.crop((left, top, left + SIZE, top + SIZE))


def normalise(crop):
    x = np.asarray(crop, dtype=np.float32) / np.float32(255.0)
    x = (x - MEAN) / STD
    return x.transpose(2, 0, 1).reshape(-1)


def main():
    golden = {"size": SIZE, "indices": INDICES, "images": {}}
    for name in make_images():
        crop = clip_crop(Image.open(os.path.join(OUT, name)))
        crop_name = name.rsplit(".", 1)[0] + "." + name.rsplit(".", 1)[1] + ".clip224.png"
        crop.save(os.path.join(OUT, crop_name))
        chw = normalise(crop)
        golden["images"][name] = {
            "crop": crop_name,
            "values": [float(chw[i]) for i in INDICES],
            "channel_means": [float(m) for m in chw.reshape(3, -1).mean(axis=1, dtype=np.float64)],
        }
    with open(os.path.join(OUT, "golden.json"), "w") as f:
        json.dump(golden, f, indent=1)


if __name__ == "__main__":
    main()
