#!/usr/bin/env python3
"""deprov's confidence levels on the labelled set, as Markdown.

    confidence-table.py RUN.jsonl [--labels testdata/secrets-labelled/labels.yaml]
                                  [--manifest testdata/secrets-labelled/blobs.yaml]

RUN.jsonl is `cargo run --release --example label_secrets -- --fixtures testdata/secrets-labelled`.
Counts are of distinct labelled values (one per SHA-256, per repository), each at the highest
level any of its matches has (as a finding has). A value is real when labelled TP or TP-like;
TP-like values are real-looking values in fixtures, examples or captured data, which confidence
means to rank low when a generic detector finds them in a test path. Values the run reports that
are not labelled are left out (detection-table.py lists them).
"""

import argparse
import json
import sys
from collections import Counter

import yaml

LEVELS = ("high", "medium", "low")
RANK = {level: n for n, level in enumerate(reversed(LEVELS))}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("run")
    parser.add_argument("--labels", default="testdata/secrets-labelled/labels.yaml")
    parser.add_argument("--manifest", default="testdata/secrets-labelled/blobs.yaml")
    args = parser.parse_args()
    labels = yaml.safe_load(open(args.labels))
    manifest = yaml.safe_load(open(args.manifest))
    repo_of = {f["fixture"]: f["repository"] for f in manifest["fixtures"]}
    label = {(r["name"], v["sha256"]): v["label"] for r in labels["repositories"] for v in r["values"]}

    level_of = {}
    for line in open(args.run):
        if not line.strip():
            continue
        match = json.loads(line)
        if match.get("reference"):
            continue  # an identifier without its secret raises no leak finding
        key = (repo_of[match["fixture"]], match["sha256"])
        level = match["confidence"]
        if key in label and (key not in level_of or RANK[level] > RANK[level_of[key]]):
            level_of[key] = level

    counts = {level: Counter() for level in LEVELS}
    for key, level in level_of.items():
        counts[level][label[key]] += 1

    out = ["| confidence | values | TP | TP-like | FP | real (TP, TP-like) | at or above: values | real |"]
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|")
    above = Counter()
    for level in LEVELS:
        c = counts[level]
        above += c
        n, real = sum(c.values()), c["TP"] + c["TP-like"]
        n_above, real_above = sum(above.values()), above["TP"] + above["TP-like"]
        out.append(
            f"| {level} | {n} | {c['TP']} | {c['TP-like']} | {c['FP']} | {pct(real, n)} | "
            f"{n_above} | {pct(real_above, n_above)} |"
        )
    out.append("")
    sys.stdout.write("\n".join(out))


def pct(n, d):
    return "–" if d == 0 else f"{100 * n / d:.0f} %"


if __name__ == "__main__":
    main()
