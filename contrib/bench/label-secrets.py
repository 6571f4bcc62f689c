#!/usr/bin/env python3
"""Merges what deprov, gitleaks and Kingfisher find in one repository's full history into a
worksheet with one row per distinct secret value, to be labelled by hand; and exports labelled
worksheets as the committed labelled set (testdata/secrets-labelled/).

    label-secrets.py merge --name NAME --clone CLONE --deprov D.jsonl --gitleaks G.json \
        --kingfisher K.json --worksheet SHEET.yaml
    label-secrets.py export --repos REPOS.yaml --out testdata/secrets-labelled SHEET.yaml...

`merge` keeps the labels of an existing SHEET.yaml (matched by sha256), so after a detector
change the new findings are added unlabelled and the old ones keep their labels. The worksheet
holds the values' surrounding lines for reading: it is scratch and never committed. `export`
writes labels.yaml (values redacted to their first four characters and SHA-256), the blobs that
carry them (blobs/) and their manifest (blobs.yaml).

One value, one key: the SHA-256 of the value as deprov hashes it (a private key by its DER, the
base64-decoded body; any other value by its bytes). A gitleaks or Kingfisher finding is mapped to
a key by these rules, in order:
  1. its reported secret, trimmed of whitespace and of one pair of surrounding quotes (a PEM
     block decoded to DER), hashes to a value deprov found anywhere in the repository;
  2. in the same blob, on the same line (for multi-line matches, a line the match spans), deprov
     found a value that contains the reported secret or is contained in it (partial captures,
     a quote or a key name included): the finding is that value;
  3. it is a private key and deprov found a private key starting on the same line;
  4. it is an AWS access key ID within 5 lines of an ID-and-secret pair deprov found in the same
     blob (deprov reports the pair as one credential, keyed by its secret access key);
  5. otherwise the value is its own key (the SHA-256 of the trimmed secret), and the same rules
     2-3 merge a gitleaks and a Kingfisher finding of the same blob and line.
"""

import argparse
import base64
import hashlib
import json
import os
import re
import subprocess
import sys
from collections import defaultdict

import yaml

CONTEXT_LINES = 3
EXCERPT_LINES = 30
WHOLE_BLOB_BYTES = 64 * 1024
LABEL_FIELDS = ("label", "class", "kind", "reason")


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def git(clone, *args, binary=False):
    out = subprocess.run(["git", "-C", clone, *args], check=True, capture_output=True).stdout
    return out if binary else out.decode("utf-8", "replace")


class Blobs:
    """Blob contents and blob IDs by commit and path, read once."""

    def __init__(self, clone):
        self.clone = clone
        self.content = {}
        self.ids = {}

    def id_at(self, commit, path):
        key = (commit, path)
        if key not in self.ids:
            try:
                self.ids[key] = git(self.clone, "rev-parse", f"{commit}:{path}").strip()
            except subprocess.CalledProcessError:
                self.ids[key] = None
        return self.ids[key]

    def bytes(self, blob):
        if blob not in self.content:
            self.content[blob] = git(self.clone, "cat-file", "blob", blob, binary=True)
        return self.content[blob]

    def lines(self, blob):
        return self.bytes(blob).decode("utf-8", "replace").split("\n")


AWS_KEY_ID = re.compile(r"(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}")
PEM = re.compile(r"-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----(.*?)-----END", re.S)


def pem_body(text):
    """The base64 body of the first PEM private key in `text` (JSON and string escapes undone),
    or None."""
    m = PEM.search(text)
    if not m:
        return None
    body = m.group(2).replace("\\r", "\n").replace("\\n", "\n")
    lines = [line for line in body.split("\n") if ":" not in line]
    return "".join(c for c in "".join(lines) if c.isalnum() or c in "+/=")


def pem_der_sha256(text):
    body = pem_body(text)
    if not body:
        return None
    try:
        return sha256(base64.b64decode(body + "=" * (-len(body) % 4), validate=False))
    except ValueError:
        return None


def trim(secret):
    value = secret.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'`":
        value = value[1:-1]
    return value


def tool_key(secret):
    """(key, prefix, is_private_key) of a secret as a tool reports it."""
    value = trim(secret)
    if "PRIVATE KEY" in value:
        body = pem_body(value) or ""
        der = pem_der_sha256(value)
        return der or sha256(value.encode()), body[:4] or value[:4], True
    return sha256(value.encode()), value[:4], False


def deprov_value(blobs, blob, line, digest):
    """The text of a value deprov found at `line` of `blob` (the substring of that line and the
    next two whose SHA-256 is `digest`), or None for a private key or a value not found."""
    lines = blobs.lines(blob)
    text = "\n".join(lines[line - 1 : line + 2]).encode()
    for start in range(min(len(text), 4096)):
        for end in range(start + 1, min(len(text), start + 512) + 1):
            if sha256(text[start:end]) == digest:
                return text[start:end].decode("utf-8", "replace")
    return None


def read_deprov(path):
    out = []
    with open(path) as f:
        for line in f:
            if line.strip():
                out.append(json.loads(line))
    return out


def read_gitleaks(path, blobs):
    out = []
    for f in json.load(open(path)):
        blob = blobs.id_at(f["Commit"], f["File"])
        if blob is None:
            continue
        out.append(
            dict(
                tool="gitleaks",
                rule=f["RuleID"],
                secret=f["Secret"],
                blob=blob,
                commit=f["Commit"],
                path=f["File"],
                line=f["StartLine"],
                end_line=f.get("EndLine", f["StartLine"]),
            )
        )
    return out


def read_kingfisher(path, blobs, clone):
    out = []
    head = git(clone, "rev-parse", "HEAD").strip()
    for f in json.load(open(path))["findings"]:
        finding = f["finding"]
        meta = finding.get("git_metadata")
        if meta:
            commit = meta["commit"]["id"]
            rel = meta["file"]["path"]
        else:
            # Found in the working tree (reported once, under the path it was given): the file
            # as committed at HEAD.
            commit = head
            rel = finding["path"]
            for prefix in (clone.rstrip("/") + "/", os.path.abspath(clone) + "/", os.path.basename(clone.rstrip("/")) + "/"):
                if rel.startswith(prefix):
                    rel = rel[len(prefix) :]
                    break
        blob = blobs.id_at(commit, rel)
        if blob is None:
            continue
        snippet = finding["snippet"]
        out.append(
            dict(
                tool="kingfisher",
                rule=f["rule"]["id"],
                secret=snippet,
                blob=blob,
                commit=commit,
                path=rel,
                line=finding["line"],
                end_line=finding["line"] + snippet.count("\n"),
            )
        )
    return out


def merge(args):
    blobs = Blobs(args.clone)
    rows = {}  # key -> row

    def row(key, prefix):
        if key not in rows:
            rows[key] = dict(
                sha256=key,
                prefix=prefix,
                found_by=dict(gitleaks=set(), kingfisher=set(), deprov=set()),
                locations=[],
                deprov_locations=[],
            )
        return rows[key]

    # deprov first: its keys are the reference. Values at each (blob, line) for rules 2-3.
    at_line = defaultdict(list)  # (blob, line) -> [(key, is_private_key)]
    aws_pairs = defaultdict(list)  # blob -> [(line, key)] of deprov's aws-access-key matches
    for f in read_deprov(args.deprov):
        r = row(f["sha256"], f["prefix"])
        r["found_by"]["deprov"].add(f["detector"])
        r["locations"].append((f["commit"], f["path"], f["blob"], f["line"]))
        r["deprov_locations"].append((f["commit"], f["path"], f["blob"], f["line"]))
        pem = f["detector"] in ("private-key", "gcp-service-account-key")
        entry = (f["sha256"], pem)
        if f["detector"] == "aws-access-key":
            aws_pairs[f["blob"]].append((f["line"], f["sha256"]))
        if entry not in at_line[(f["blob"], f["line"])]:
            at_line[(f["blob"], f["line"])].append(entry)

    values = {}  # deprov key -> text (lazily recovered)

    def text_of(key, blob, line):
        if key not in values:
            values[key] = deprov_value(blobs, blob, line, key)
        return values[key]

    tool_at_line = defaultdict(list)  # (blob, line) -> [(key, value, is_private_key)]
    findings = read_gitleaks(args.gitleaks, blobs) + read_kingfisher(args.kingfisher, blobs, args.clone)
    for f in findings:
        key, prefix, pem = tool_key(f["secret"])
        value = trim(f["secret"])
        chosen = key if key in rows and rows[key]["found_by"]["deprov"] else None
        span = range(f["line"], max(f["line"], f["end_line"]) + 1)
        if chosen is None:
            for line in span:
                for other, other_pem in at_line.get((f["blob"], line), []):
                    if pem and other_pem:
                        chosen = other
                    elif not pem and not other_pem:
                        text = text_of(other, f["blob"], line)
                        if text and (text in value or value in text):
                            chosen = other
                    if chosen:
                        break
                if chosen:
                    break
        if chosen is None and AWS_KEY_ID.fullmatch(value):
            near = [(abs(line - f["line"]), key) for line, key in aws_pairs.get(f["blob"], []) if abs(line - f["line"]) <= 5]
            if near:
                chosen = min(near)[1]
        if chosen is None:
            for line in span:
                for other, other_value, other_pem in tool_at_line.get((f["blob"], line), []):
                    if (pem and other_pem) or (not pem and (other_value in value or value in other_value)):
                        chosen = other
                        break
                if chosen:
                    break
        if chosen is None:
            chosen = key
            tool_at_line[(f["blob"], f["line"])].append((key, value, pem))
        r = row(chosen, prefix)
        r["found_by"][f["tool"]].add(f["rule"])
        r["locations"].append((f["commit"], f["path"], f["blob"], f["line"]))

    old = {}
    if os.path.exists(args.worksheet):
        for r in yaml.safe_load(open(args.worksheet)) or []:
            old[r["sha256"]] = r

    order = {c: i for i, c in enumerate(git(args.clone, "rev-list", "--all", "--topo-order", "--reverse").split())}
    sheet = []
    for key, r in rows.items():
        by_age = lambda l: (order.get(l[0], 1 << 30), l[1], l[3])  # noqa: E731
        locations = sorted(set(r["locations"]), key=by_age)
        # The location shown and committed as a fixture: the oldest where deprov found the value
        # if it did (so that deprov finds each value it found in that value's fixture), else
        # the oldest where any tool did.
        commit, path, blob, line = min(r["deprov_locations"] or locations, key=by_age)
        lines = blobs.lines(blob)
        lo, hi = max(1, line - CONTEXT_LINES), min(len(lines), line + CONTEXT_LINES)
        context = "\n".join(f"{n:5d}| {lines[n - 1][:300]}" for n in range(lo, hi + 1))
        entry = dict(
            sha256=key,
            prefix=r["prefix"],
            label=old.get(key, {}).get("label", ""),
            **{k: old.get(key, {}).get(k, "") for k in LABEL_FIELDS if k != "label"},
            found_by={tool: sorted(rules) for tool, rules in r["found_by"].items()},
            where=dict(path=path, commit=commit, blob=blob, line=line),
            occurrences=len(locations),
            other_paths=sorted({l[1] for l in locations} - {path})[:5],
            context=context,
        )
        sheet.append(entry)
    sheet.sort(key=lambda e: (e["where"]["path"], e["where"]["line"], e["sha256"]))
    for key in sorted(set(old) - set(rows)):
        if not old[key].get("label"):
            continue
        gone = dict(old[key])
        gone["found_by"] = {tool: [] for tool in ("gitleaks", "kingfisher", "deprov")}
        gone["note"] = "no tool finds this value any more"
        sheet.append(gone)
    with open(args.worksheet, "w") as f:
        yaml.dump(sheet, f, Dumper=LiteralDumper, sort_keys=False, width=120, allow_unicode=True)
    labelled = sum(1 for e in sheet if e.get("label"))
    print(f"{args.name}: {len(sheet)} distinct values, {labelled} labelled -> {args.worksheet}", file=sys.stderr)


class LiteralDumper(yaml.SafeDumper):
    pass


def _str(dumper, value):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


LiteralDumper.add_representer(str, _str)


def value_end_line(lines, line):
    """The last line of the value starting at `line`: the END line of a PEM block, else `line`."""
    if "PRIVATE KEY" in lines[line - 1]:
        for n in range(line, min(len(lines), line + 120) + 1):
            if "-----END" in lines[n - 1]:
                return n
    return line


def quotes_value(blobs, entry):
    """Whether the reason given for a labelled value quotes six or more
    consecutive characters of the value (other than a lower-case word): labels.yaml shows four
    characters of a value, no more."""
    where = entry.get("where", {})
    if not where.get("blob"):
        return False
    value = deprov_value(blobs, where["blob"], where["line"], entry["sha256"])
    if not value:
        return False
    text = str(entry.get("reason", ""))
    # Ordinary lower-case words (a dummy made of "invalid" and "token") may be named.
    windows = (value[i : i + 6] for i in range(len(value) - 5))
    return any(w in text for w in windows if not w.isalpha() or not w.islower())


def export(args):
    repos = yaml.safe_load(open(args.repos))
    out_blobs = os.path.join(args.out, "blobs")
    os.makedirs(out_blobs, exist_ok=True)
    labels = dict(
        version=1,
        labels_meaning=dict(
            TP="a real credential in real material",
            **{"TP-like": "looks real, in fixtures, examples or captured data"},
            FP="not a credential: dummy, placeholder, digest, identifier, code, template",
        ),
        repositories=[],
    )
    manifest = []
    for sheet_path in args.sheets:
        name = os.path.basename(sheet_path).removesuffix(".yaml")
        meta = dict(repos[name])
        clone = meta.pop("clone")
        blobs = Blobs(clone)
        sheet = yaml.safe_load(open(sheet_path))
        unlabelled = [e["sha256"][:12] for e in sheet if not e.get("label")]
        if unlabelled:
            sys.exit(f"{name}: {len(unlabelled)} values are not labelled: {unlabelled[:5]}")
        leaks = [e["sha256"][:12] for e in sheet if quotes_value(blobs, e)]
        if leaks:
            sys.exit(f"{name}: the reasons of these values quote six or more characters of the value: {leaks}")
        by_blob = defaultdict(list)
        for e in sheet:
            if e.get("where", {}).get("blob"):
                by_blob[e["where"]["blob"]].append(e)
        fixtures = {}
        for blob, entries in sorted(by_blob.items(), key=lambda kv: (kv[1][0]["where"]["path"], kv[0])):
            first = entries[0]["where"]
            data = blobs.bytes(blob)
            base = os.path.basename(first["path"]) or "blob"
            if len(data) <= WHOLE_BLOB_BYTES:
                chunks = [(None, entries, data)]
            else:
                # Excerpts: +-EXCERPT_LINES lines around each value (a private key to its END
                # line), overlapping windows merged; one fixture per window.
                lines = data.split(b"\n")
                text_lines = [l.decode("utf-8", "replace") for l in lines]
                windows = []
                for e in sorted(entries, key=lambda e: e["where"]["line"]):
                    line = e["where"]["line"]
                    lo = max(1, line - EXCERPT_LINES)
                    hi = min(len(lines), value_end_line(text_lines, line) + EXCERPT_LINES)
                    if windows and lo <= windows[-1][1] + 1:
                        windows[-1][1] = max(windows[-1][1], hi)
                        windows[-1][2].append(e)
                    else:
                        windows.append([lo, hi, [e]])
                chunks = [
                    ((lo, hi), group, b"\n".join(lines[lo - 1 : hi]) + b"\n") for lo, hi, group in windows
                ]
            for span, group, content in chunks:
                fixture = f"{name}/{blob[:12]}-{base}" if span is None else f"{name}/{blob[:12]}-L{span[0]}-{base}"
                record = dict(fixture=fixture, repository=name, path=first["path"], commit=first["commit"], blob=blob)
                record["excerpt"] = (
                    False if span is None else dict(first_line=span[0], last_line=span[1], blob_bytes=len(data))
                )
                os.makedirs(os.path.join(out_blobs, name), exist_ok=True)
                with open(os.path.join(out_blobs, fixture), "wb") as f:
                    f.write(content)
                offset = 0 if span is None else span[0] - 1
                record["values"] = [
                    dict(
                        sha256=e["sha256"],
                        line=e["where"]["line"] - offset,
                        label=e["label"],
                        deprov=e["found_by"].get("deprov", []),
                    )
                    for e in sorted(group, key=lambda e: e["where"]["line"])
                ]
                manifest.append(record)
                for e in group:
                    fixtures[e["sha256"]] = fixture
        values = []
        for e in sorted(sheet, key=lambda e: (e["where"]["path"], e["where"]["line"], e["sha256"])):
            w = e["where"]
            values.append(
                dict(
                    sha256=e["sha256"],
                    prefix=e["prefix"][:4],
                    label=e["label"],
                    **{"class": e.get("class", "")},
                    kind=e.get("kind", ""),
                    where=dict(path=w["path"], commit=w["commit"], line=w["line"]),
                    found_by=e["found_by"],
                    fixture=fixtures.get(e["sha256"]),
                    reason=e.get("reason", ""),
                )
            )
        meta["values"] = values
        labels["repositories"].append(dict(name=name, **meta))
    header = (
        "# Labelled secret findings: generated by contrib/bench/label-secrets.py export from the\n"
        "# hand-labelled worksheets (see SOURCES.md). Values are redacted: first four characters\n"
        "# and the SHA-256 of the value as deprov hashes it (a private key by its DER).\n"
    )
    with open(os.path.join(args.out, "labels.yaml"), "w") as f:
        f.write(header)
        yaml.dump(labels, f, Dumper=LiteralDumper, sort_keys=False, width=100, allow_unicode=True)
    with open(os.path.join(args.out, "blobs.yaml"), "w") as f:
        f.write(
            "# Fixtures under blobs/: each a blob (or an excerpt of one) from a labelled repository,\n"
            "# with the logical path a scan must use, and the labelled values in it (line: in the\n"
            "# fixture, 1-based). Generated by contrib/bench/label-secrets.py export.\n"
        )
        yaml.dump(dict(fixtures=manifest), f, Dumper=LiteralDumper, sort_keys=False, width=100)
    print(f"{len(manifest)} fixtures, {sum(len(r['values']) for r in labels['repositories'])} values", file=sys.stderr)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    m = sub.add_parser("merge")
    m.add_argument("--name", required=True)
    m.add_argument("--clone", required=True)
    m.add_argument("--deprov", required=True)
    m.add_argument("--gitleaks", required=True)
    m.add_argument("--kingfisher", required=True)
    m.add_argument("--worksheet", required=True)
    e = sub.add_parser("export")
    e.add_argument("--repos", required=True, help="YAML: name -> {clone, url, licence, head, commits, tools}")
    e.add_argument("--out", required=True)
    e.add_argument("sheets", nargs="+")
    args = parser.parse_args()
    {"merge": merge, "export": export}[args.command](args)


if __name__ == "__main__":
    main()
