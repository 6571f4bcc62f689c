#!/usr/bin/env python3
"""Writes testdata/trend/runs/*.json: four monthly runs cut from the example organisation's
scan (`deprov scan testdata/example-org --now 2026-11-25T00:00:00Z --format json`), so that
findings appear, resolve and stay open across runs. Each run keeps the report's shape (the
fields `deprov trend` reads, and a few more) with a summary recomputed from its findings.

    cargo run -q -- scan testdata/example-org --now 2026-11-25T00:00:00Z --format json \
        --fail-on none --no-progress > /tmp/run.json
    python3 testdata/trend/generate.py /tmp/run.json
"""
import json
import os
import sys

KEEP = ["id", "rule", "severity", "title", "identity", "system", "status"]
here = os.path.dirname(os.path.abspath(__file__))
report = json.load(open(sys.argv[1]))
findings = [{k: f[k] for k in KEEP} for f in report["findings"]]
cuts = {
    "2026-08-25T00:00:00Z": findings[0:70],
    "2026-09-25T00:00:00Z": findings[10:80],
    "2026-10-25T00:00:00Z": findings[15:75] + findings[90:98],
    "2026-11-25T00:00:00Z": findings[20:98],
}
os.makedirs(os.path.join(here, "runs"), exist_ok=True)
for at, run in cuts.items():
    by_severity = {s: 0 for s in ["critical", "high", "medium", "low", "info"]}
    for f in run:
        by_severity[f["severity"]] += 1
    retired = {f["identity"] for f in run if f["rule"].startswith("DPV") and f["rule"] not in ("DPV005", "DPV006")}
    doc = {
        "schema_version": 1,
        "tool": report["tool"],
        "evaluated_at": at,
        "summary": {
            "findings": len(run),
            "by_severity": by_severity,
            "retired_with_residual_access": len(retired),
        },
        "findings": run,
        "sources": [],
        "skipped": [],
        "policy_errors": [],
    }
    with open(os.path.join(here, "runs", at[:10] + ".json"), "w") as out:
        json.dump(doc, out, indent=2)
        out.write("\n")
