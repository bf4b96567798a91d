"""Photo-sized labelled pictures for measuring what a coarser JPEG reduction costs in accuracy.

The tiny model's committed samples are 240-480 px: no JPEG reduction applies to them. This draws the
same held-out (colour, shape) pairs at photograph sizes (1600x1200 to 2560x1600, so that the reduced
decode is 1/2 with the default margin and 1/4 with margin 1) and saves them as JPEG quality 90 with a
samples.csv in the committed samples' format. Nothing is committed; run it where needed:

    /usr/bin/python3 models/large_samples.py --out target/large-samples [--count 200]

Needs python3-numpy and python3-pil (Debian packages).
"""
import argparse
import csv
import os

import numpy as np
from PIL import Image

import tiny_shapes as ts

SIZES_HW = [(1200, 1600), (1200, 1920), (1600, 2560), (1440, 1920), (1920, 1440)]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--seed", type=int, default=29)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    # per-pixel background noise as the training pictures have, on a tile large enough for photographs
    ts._NOISE_TILE = np.random.default_rng(12345).standard_normal((2 * 2560, 2 * 2560, 1)).astype(np.float32)
    rng = np.random.default_rng([args.seed, 11])
    rows = []
    for i in range(args.count):
        c, s = ts.HELD_OUT[i % len(ts.HELD_OUT)]
        lab = {"color": c, "shape": s, "pattern": ts.PATTERNS[int(rng.integers(4))],
               "size": ts.SIZES[int(rng.integers(2))]}
        hw = SIZES_HW[i % len(SIZES_HW)]
        name = f"large_{i:03d}.jpg"
        Image.fromarray(ts.render(rng, hw=hw, **lab)).save(os.path.join(args.out, name), format="JPEG", quality=90)
        rows.append({"file": name, **lab, "held_out": "true"})
    with open(os.path.join(args.out, "samples.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["file", "color", "shape", "pattern", "size", "held_out"], lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"{args.count} pictures in {args.out}")


if __name__ == "__main__":
    main()
