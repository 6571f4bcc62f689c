#!/usr/bin/env python3
"""Writes a file of fake but well-shaped secrets (one per line, several kinds every scanner
knows) and prints, as JSON, the line and kind of each. Deterministic: the same file each run."""

import json
import os
import random
import string
import subprocess
import sys
import zlib

rng = random.Random(20261125)


def pick(alphabet, n):
    return "".join(rng.choice(alphabet) for _ in range(n))


ALNUM = string.ascii_letters + string.digits
BASE62 = string.digits + string.ascii_uppercase + string.ascii_lowercase


def github_token(prefix):
    """A token as GitHub issues them: 30 random characters and the base62 CRC-32 of them in
    six (scanners that check it drop tokens without)."""
    body = pick(ALNUM, 36)[:30]
    crc = zlib.crc32(body.encode())
    checksum = ""
    for _ in range(6):
        checksum = BASE62[crc % 62] + checksum
        crc //= 62
    return prefix + body + checksum
BASE32 = string.ascii_uppercase + "234567"
lines, planted = [], []


def plant(kind, text, secret_line_offset=0):
    start = len(lines) + 1
    lines.extend(text.split("\n"))
    planted.append({"kind": kind, "line": start + secret_line_offset})


for _ in range(5):
    key = "AKIA" + pick(BASE32, 16)
    plant("aws", f"AWS_ACCESS_KEY_ID={key}\nAWS_SECRET_ACCESS_KEY={pick(ALNUM + '/+', 40)}")
for _ in range(5):
    plant("github", "GITHUB_TOKEN=" + github_token("ghp_"))
for _ in range(3):
    plant("slack", f"SLACK_BOT_TOKEN=xoxb-{pick(string.digits, 12)}-{pick(string.digits, 13)}-{pick(ALNUM, 24)}")
for _ in range(3):
    plant("stripe", "STRIPE_KEY=sk_live_" + pick(ALNUM, 24))
for _ in range(2):
    plant("gitlab", "GITLAB_TOKEN=glpat-" + pick(ALNUM + "-_", 20))
for _ in range(2):
    pem = subprocess.run(["openssl", "genrsa", "2048"], capture_output=True, text=True, check=True).stdout.strip()
    plant("private-key", pem)

os.makedirs(os.path.dirname(sys.argv[1]), exist_ok=True)
with open(sys.argv[1], "w") as f:
    f.write("\n".join(lines) + "\n")
print(json.dumps({"file": "config/leaked.env", "secrets": planted}))
