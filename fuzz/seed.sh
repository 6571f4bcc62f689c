#!/usr/bin/env bash
# Seeds the corpus of every fuzz target (fuzz/corpus/<target>/, gitignored) from testdata/ and
# ../shared/samples/, in the framing fuzz/src/lib.rs reads: `path\0content` for the targets that
# read files (the path relative to the scanned root, as reports show it), the bare content for
# x509, vault_audit, config and policy. Seeds are named by their SHA-1, as libFuzzer names
# corpus entries, so running this again adds nothing twice.
#
# Usage: fuzz/seed.sh [CORPUS_DIR]   (default: fuzz/corpus)
# DEPROV_SAMPLES overrides the shared samples directory (default: ../shared/samples).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
corpus=${1:-$repo/fuzz/corpus}
samples=${DEPROV_SAMPLES:-$repo/../shared/samples}
# Larger seeds are cut by -max_len anyway; the biggest samples (an 800 KB authorization dump)
# would only slow every execution down.
max_seed_bytes=$((256 * 1024))

targets=(sources aws gcp azure github kubernetes vault terraform vault_audit register register_parts
    config policy secrets x509 cert_containers)
for target in "${targets[@]}"; do
    mkdir -p "$corpus/$target"
done

# store TARGET < content
store() {
    local tmp
    tmp=$(mktemp "$corpus/$1/.seed.XXXXXX")
    cat >"$tmp"
    mv -f "$tmp" "$corpus/$1/$(sha1sum "$tmp" | cut -d' ' -f1)"
}

# framed TARGET REL FILE: the file as `REL\0content`.
framed() {
    { printf '%s\0' "$2"; cat "$3"; } | store "$1"
}

# raw TARGET FILE
raw() {
    store "$1" <"$2"
}

# framed_text TARGET REL TEXT
framed_text() {
    { printf '%s\0' "$2"; printf '%s' "$3"; } | store "$1"
}

# seed_root DIR: every file under a directory that deprov would be pointed at, with its path
# relative to DIR.
seed_root() {
    local root=$1 file rel family base
    [[ -d $root ]] || return 0
    while IFS= read -r -d '' file; do
        rel=${file#"$root"/}
        base=${rel##*/}
        case $base in
        *.md | *.py) continue ;;
        esac
        (($(stat -c %s "$file") <= max_seed_bytes)) || continue

        framed sources "$rel" "$file"
        family=${rel%%/*}
        case $family in
        aws | gcp | azure | github | kubernetes | vault | terraform) framed "$family" "$rel" "$file" ;;
        certs | formats) framed cert_containers "$rel" "$file" ;;
        esac
        case $rel in
        vault/audit/* | *audit*) raw vault_audit "$file" ;;
        esac
        case $base in
        register.yaml | register.yml | *.csv) framed register "$rel" "$file" ;;
        esac
        case $base in
        # One byte (cut after every second entry), then the YAML register.
        register.yaml | register.yml) { printf '\001'; cat "$file"; } | store register_parts ;;
        *.tfstate | plan.json | *plan*.json | show*.json) framed terraform "$rel" "$file" ;;
        esac
        case $base in
        *.pem | *.der | *.crt | *.crl | *.p7b) raw x509 "$file" ;;
        esac
        # The secret detectors read every text file of a repository.
        if grep -Iq . "$file"; then
            framed secrets "$rel" "$file"
        fi
    done < <(find "$root" -type f -not -path '*/.git/*' -print0 | sort -z)
}

seed_root "$repo/testdata/example-org"
seed_root "$repo/testdata/platform-verdicts"
seed_root "$repo/testdata/samples"
seed_root "$samples"
seed_root "$repo/testdata/certs"
seed_root "$repo/testdata/repo-fixture"
for case_dir in "$repo"/testdata/rules/*/{fail,pass}; do
    seed_root "$case_dir"
done

# The register's CSV forms (the CMDB exports), which no sample holds.
framed_text register cmdb/identities.csv 'id,kind,status,retired_at,owner,aliases
ci-legacy,service,retired,2025-06-30,platform-team,arn:aws:iam::111122223333:user/ci-legacy;ci-legacy@example-project.iam.gserviceaccount.com
deploy-bot,service,active,,platform-team,
alice,human,active,,,alice@example.com
'
framed_text register cmdb/people.csv 'id,status,departed_at
alice,active,
bob,departed,2025-03-01
'

# Secret-bearing files the detectors treat by name: .env, MCP configurations, CI workflows.
framed_text secrets services/api/.env 'DATABASE_URL=postgres://app:s3cr3t-Pa55word@db.internal:5432/app
AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
GITHUB_TOKEN=ghp_16C7e42F292c6912E7710c838347Ae178B4a # deprov:allow STL001
'
framed_text secrets .cursor/mcp.json '{"mcpServers":{"github":{"command":"npx","args":["-y","@modelcontextprotocol/server-github"],"env":{"GITHUB_PERSONAL_ACCESS_TOKEN":"github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456"}}}}'
framed_text secrets .github/workflows/deploy.yml 'jobs:
  deploy:
    steps:
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          role-to-assume: arn:aws:iam::111122223333:user/ci-legacy
      - run: kubectl --as system:serviceaccount:ci:deployer apply -f .
        env:
          JWT: eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJjaS1sZWdhY3kifQ.c2lnbmF0dXJl
'

# Configurations: the README's examples and a few variations.
awk '/^```yaml$/ { on = 1; text = ""; next }
     /^```$/ && on { on = 0; if (text ~ /(fail_on|suppressions|thresholds):/) { n++; print text > (dir "/readme-config-" n ".yaml") } next }
     on { text = text $0 "\n" }' dir="$corpus/config" "$repo/README.md"
for file in "$corpus"/config/readme-config-*.yaml; do
    [[ -e $file ]] || continue
    raw config "$file"
    rm -f "$file"
done
printf '%s' 'fail_on: critical
thresholds: { unused_days: 45, never_used_grace_days: 0, rotation_days: 1, max_lifetime_days: 3650, max_cert_lifetime_days: 47 }
rules: { STL001: { severity: low }, DPV001: { enabled: true } }
suppressions:
  - { rule: STL003, credential: AKIAIOSFODNN7EXAMPLE, reason: r, expires: 2027-01-31 }
  - { rule: "*", path: "tests/**", reason: fixtures }
  - { fingerprint: STL003-aws-ci-legacy, reason: f }
keystores: [{ path: a.jks, password: changeit }]
limits: { max_file_size_mb: 1 }
inline_allows: true
' | store config

# Policies: every built-in rule and the baseline.
for file in "$repo"/policies/*.cedar; do
    raw policy "$file"
done

for target in "${targets[@]}"; do
    printf '%-16s %4d seeds\n' "$target" "$(find "$corpus/$target" -type f | wc -l)"
done
