#!/usr/bin/env python3
"""Precision and recall of deprov, gitleaks and Kingfisher on the labelled set, as Markdown.

    detection-table.py [--labels testdata/secrets-labelled/labels.yaml]
                       [--deprov-fixtures RUN.jsonl [--manifest testdata/secrets-labelled/blobs.yaml]]

Counts are of distinct values (one per SHA-256, per repository). A value is real when labelled
TP or TP-like. For each tool:
  precision          real values it found / values it found
  recall (union)     real values it found / real values any tool found
  recall (gitleaks)  real values it found that gitleaks found / real values gitleaks found
Without options the deprov columns are the labelling-time ones (found_by.deprov). With
--deprov-fixtures, deprov's columns come from a fresh run over the fixtures
(`cargo run --release --example label_secrets -- --fixtures testdata/secrets-labelled`): a value
counts as found when the run reports its SHA-256 in that value's fixture; values the run
reports that are not labelled are listed, to be labelled (see label-secrets.py). Same labels
and same run, same table. Matches the run marks `reference` (an identifier without its
secret, which raises no leak finding) are not counted as found.
"""

import argparse
import json
import sys
from collections import Counter, defaultdict

import yaml

TOOLS = ("deprov", "gitleaks", "kingfisher")
REAL = ("TP", "TP-like")


def pct(n, d):
    return "–" if d == 0 else f"{100 * n / d:.0f} %"


def load(args):
    labels = yaml.safe_load(open(args.labels))
    repos = labels["repositories"]
    unlabelled = []
    if args.deprov_fixtures:
        manifest = yaml.safe_load(open(args.manifest))
        repo_of = {f["fixture"]: f["repository"] for f in manifest["fixtures"]}
        found = defaultdict(lambda: defaultdict(set))  # fixture -> sha -> detectors
        for line in open(args.deprov_fixtures):
            if line.strip():
                m = json.loads(line)
                # An identifier found without its secret (an access key ID alone) is a
                # reference: deprov reports it only when it names a known identity (DPV008),
                # never as a leak, so it is not an alarm.
                if m.get("reference"):
                    continue
                found[m["fixture"]][m["sha256"]].add(m["detector"])
        known = {(r["name"], v["sha256"]) for r in repos for v in r["values"]}
        for fixture, values in sorted(found.items()):
            for sha, detectors in sorted(values.items()):
                if (repo_of[fixture], sha) not in known:
                    unlabelled.append((repo_of[fixture], fixture, sha, sorted(detectors)))
        for r in repos:
            for v in r["values"]:
                v["found_by"] = dict(v["found_by"])
                v["found_by"]["deprov"] = sorted(found.get(v.get("fixture"), {}).get(v["sha256"], set()))
    return repos, unlabelled


def tool_row(name, values, tool):
    found = [v for v in values if v["found_by"].get(tool)]
    real = [v for v in values if v["label"] in REAL]
    gl_real = [v for v in real if v["found_by"].get("gitleaks")]
    hit = [v for v in found if v["label"] in REAL]
    hit_gl = [v for v in gl_real if v["found_by"].get(tool)]
    return (
        f"| {name} | {tool} | {len(found)} | {len(hit)} | {len(found) - len(hit)} | "
        f"{pct(len(hit), len(found))} | {pct(len(hit), len(real))} | {pct(len(hit_gl), len(gl_real))} |"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--labels", default="testdata/secrets-labelled/labels.yaml")
    parser.add_argument("--manifest", default="testdata/secrets-labelled/blobs.yaml")
    parser.add_argument("--deprov-fixtures", help="JSON lines of label_secrets --fixtures")
    args = parser.parse_args()
    repos, unlabelled = load(args)
    out = []
    everything = [v for r in repos for v in r["values"]]

    out.append("| repository | distinct values | TP | TP-like | FP |")
    out.append("|---|---:|---:|---:|---:|")
    for r in repos + [dict(name="**all**", values=everything)]:
        c = Counter(v["label"] for v in r["values"])
        out.append(f"| {r['name']} | {len(r['values'])} | {c['TP']} | {c['TP-like']} | {c['FP']} |")
    out.append("")

    out.append("| repository | tool | found | real | FP | precision | recall (union) | recall (gitleaks' real) |")
    out.append("|---|---|---:|---:|---:|---:|---:|---:|")
    for tool in TOOLS:
        out.append(tool_row("**all**", everything, tool))
    for r in repos:
        for tool in TOOLS:
            out.append(tool_row(r["name"], r["values"], tool))
    out.append("")

    real_all = [v for v in everything if v["label"] in REAL]
    for tool in TOOLS:
        rules = defaultdict(list)
        for v in everything:
            for rule in v["found_by"].get(tool) or []:
                rules[rule].append(v)
        out.append(f"Per {'detector' if tool == 'deprov' else 'rule'}, {tool}:")
        out.append("")
        out.append("| rule | found | real | FP | precision | share of all real values |")
        out.append("|---|---:|---:|---:|---:|---:|")
        for rule, values in sorted(rules.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            hit = sum(1 for v in values if v["label"] in REAL)
            out.append(
                f"| {rule} | {len(values)} | {hit} | {len(values) - hit} | {pct(hit, len(values))} | "
                f"{pct(hit, len(real_all))} |"
            )
        out.append("")

    out.append("False alarms by class (distinct values each tool reports that are labelled FP):")
    out.append("")
    classes = sorted({v["class"] for v in everything if v["label"] == "FP"})
    out.append("| class | " + " | ".join(TOOLS) + " | labelled |")
    out.append("|---|" + "---:|" * (len(TOOLS) + 1))
    for cls in classes:
        fps = [v for v in everything if v["label"] == "FP" and v["class"] == cls]
        counts = [sum(1 for v in fps if v["found_by"].get(tool)) for tool in TOOLS]
        out.append(f"| {cls} | " + " | ".join(map(str, counts)) + f" | {len(fps)} |")
    out.append("")

    missed = [
        (r["name"], v)
        for r in repos
        for v in r["values"]
        if v["label"] in REAL and not v["found_by"].get("deprov") and (v["found_by"].get("gitleaks") or v["found_by"].get("kingfisher"))
    ]
    out.append("Real values deprov misses that gitleaks or Kingfisher finds:")
    out.append("")
    out.append("| repository | path | line | kind | prefix | found by |")
    out.append("|---|---|---:|---|---|---|")
    for name, v in missed:
        by = ", ".join(f"{t}: {' '.join(v['found_by'][t])}" for t in ("gitleaks", "kingfisher") if v["found_by"].get(t))
        out.append(f"| {name} | `{v['where']['path']}` | {v['where']['line']} | {v['kind']} | `{v['prefix']}` | {by} |")
    out.append("")
    if unlabelled:
        out.append(f"Values the deprov run reports that are not labelled ({len(unlabelled)}): label them first.")
        out.append("")
        for name, fixture, sha, detectors in unlabelled:
            out.append(f"- {name}: `{fixture}` {sha[:12]} ({', '.join(detectors)})")
        out.append("")
    sys.stdout.write("\n".join(out))


if __name__ == "__main__":
    main()
