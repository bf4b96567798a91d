#!/usr/bin/env python3
"""Synthetic scored results and review decisions for the tiny-shapes policy, to try `clipguard tune`.

Each upload gets a cosine similarity per label; the scores are a softmax at the model's logit scale
(overconfident, as zero-shot CLIP is), while a reviewer's verdict follows the same cosines at a 2.5x
softer scale. Writes scored.jsonl and reviews.jsonl (field names as in the Avro schemas).

usage: synthetic_reviews.py OUT_DIR [UPLOADS] [SEED]
"""
import json
import math
import random
import sys

LABELS = ["red_star", "cross", "star", "circle", "square", "triangle"]
FLAGGING = ["red_star", "cross"]
LOGIT_SCALE = 100.0
TRUE_TEMPERATURE = 2.5


def softmax(values, scale):
    top = max(v * scale for v in values)
    exps = [math.exp(v * scale - top) for v in values]
    total = sum(exps)
    return [e / total for e in exps]


def main():
    out = sys.argv[1]
    uploads = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    with open(f"{out}/scored.jsonl", "w") as scored, open(f"{out}/reviews.jsonl", "w") as reviews:
        for i in range(uploads):
            cosines = [0.25 + 0.08 * rng.gauss(0, 1) if label in FLAGGING else 0.25 + 0.02 * rng.gauss(0, 1)
                       for label in LABELS]
            scores = softmax(cosines, LOGIT_SCALE)
            truth = softmax(cosines, LOGIT_SCALE / TRUE_TEMPERATURE)
            upload_id = f"upload-{i:05d}"
            scored.write(json.dumps({"upload_id": upload_id, "policy_id": "tiny-shapes", "policy_version": "1",
                                     "labels": [{"label": l, "score": s} for l, s in zip(LABELS, scores)]}) + "\n")
            shown = rng.choices(LABELS, weights=truth)[0]
            reviews.write(json.dumps({"upload_id": upload_id, "reviewer": "synthetic",
                                      "decided_at": "2026-11-23T04:00:00Z",
                                      "verdicts": [{"label": l, "applies": l == shown} for l in FLAGGING]}) + "\n")


if __name__ == "__main__":
    main()
