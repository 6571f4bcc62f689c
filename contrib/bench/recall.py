#!/usr/bin/env python3
"""Recall of each tool on the planted secrets: a planted secret counts as found when the tool
reports a finding in the planted file on its line (or, for multi-line keys, within it)."""

import json
import subprocess
import sys

planted_path, deprov_path, gitleaks_path, kingfisher_path, deprov_bin, clone = sys.argv[1:7]
planted = json.load(open(planted_path))
target = planted["file"]
secrets = planted["secrets"]


def lines_deprov():
    report = json.load(open(deprov_path))
    found = set()
    for f in report.get("findings", []):
        path = f["evidence"]["path"]
        if path.endswith(target) and f["evidence"].get("line"):
            found.add(f["evidence"]["line"])
    return found, report


def lines_gitleaks():
    try:
        report = json.load(open(gitleaks_path))
    except Exception:
        return set(), []
    return {f["StartLine"] for f in report if f.get("File", "").endswith(target)}, report


def lines_kingfisher():
    try:
        text = open(kingfisher_path).read()
        report = json.loads(text)
    except Exception:
        return set(), []
    found = set()
    items = report if isinstance(report, list) else report.get("findings", report.get("matches", []))
    for item in items:
        blob = json.dumps(item)
        if target not in blob:
            continue
        finding = item.get("finding", item)
        line = finding.get("line") or finding.get("start_line")
        if line is None:
            loc = finding.get("location") or {}
            line = (loc.get("source_span") or loc.get("span") or {}).get("start", {}).get("line")
        if line:
            found.add(int(line))
    return found, items


def recall(found):
    hits = 0
    for s in secrets:
        line = s["line"]
        window = range(line, line + (28 if s["kind"] == "private-key" else 2))
        if any(l in found for l in window):
            hits += 1
    return hits


d, report = lines_deprov()
g, gl = lines_gitleaks()
k, kf = lines_kingfisher()
print(f"planted: {len(secrets)}")
print(f"deprov: found {recall(d)} of {len(secrets)} ({len(report.get('findings', []))} findings in all)")
print(f"gitleaks: found {recall(g)} of {len(secrets)} ({len(gl)} findings in all)")
print(f"kingfisher: found {recall(k)} of {len(secrets)} ({len(kf)} findings in all)")
