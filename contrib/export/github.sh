#!/usr/bin/env bash
# Writes the GitHub export that deprov reads, one directory per organisation (see
# `src/sources/github/mod.rs` and docs/COLLECTORS.md).
#
#   usage: contrib/export/github.sh OUTPUT_DIR ORG...
#
#   gh's token is used (GH_TOKEN, GITHUB_TOKEN or `gh auth login`); GH_HOST for GitHub
#   Enterprise Server. Each organisation's export goes to OUTPUT_DIR/ORG/.
#
# Needs: the GitHub CLI (gh) and jq. Token permissions:
#   - the fine-grained personal access token list (GET /orgs/ORG/personal-access-tokens) answers
#     GitHub App tokens only: use a GitHub App installation (or user) token with the
#     organisation permission "Personal access tokens: read";
#   - organisation permission "Administration: read" (app installations);
#   - repository permissions "Administration: read" (deploy keys) and "Metadata: read", on every
#     repository.
#   A classic personal access token needs `read:org` and `repo` (and organisation owner or
#   repository admin rights for installations and deploy keys); it cannot list fine-grained
#   tokens, which is then a failed read.
#
# Read-only: every request is a GET (`gh api` without a method or fields). It never revokes a
# token, deletes a deploy key or changes an installation. No secret is read: listings carry
# token IDs and public keys only.
#
# What it writes, per organisation (OUTPUT_DIR/ORG/):
#   installations.json                  GET /orgs/ORG/installations, pages merged into one
#                                       {"total_count", "installations"} page
#   fine-grained-pats.json              GET /orgs/ORG/personal-access-tokens (granted tokens)
#   deploy-keys/REPO.json               GET /repos/OWNER/REPO/keys, per repository of
#                                       GET /orgs/ORG/repos (the listing itself is not written)
#   export.json                         the manifest: tool, family, exported_at, source
# Pagination: `gh api --paginate` follows the Link headers and prints every page; the pages are
# merged into one document. An empty listing is not written (deprov would have nothing to read).
# Reads that fail are listed in OUTPUT_DIR/ORG/export-errors.log and counted in export.json
# (`failed_reads`); the export goes on. The log is removed when nothing failed.

set -euo pipefail

SCRIPT_VERSION=1
TOOL=contrib/export/github.sh
API_VERSION="X-GitHub-Api-Version: 2022-11-28"

usage() {
    echo "usage: $0 OUTPUT_DIR ORG..." >&2
    exit 2
}

[[ $# -ge 2 && -n "$1" ]] || usage
OUT=$1
shift

for tool in gh jq; do
    command -v "$tool" >/dev/null 2>&1 || {
        echo "$0: $tool is required" >&2
        exit 2
    }
done

ORG=""
DIR=""
ERRORS=""
STARTED=""

# dir_name NAME: NAME as one path component (other characters as `_`, never `.` or `..`).
dir_name() {
    local name=${1//[^A-Za-z0-9._@-]/_}
    if [[ -z "$name" || "$name" == .* ]]; then
        name="_$name"
    fi
    printf '%s' "$name"
}

# gh_all PATH: every page of a GET.
gh_all() {
    gh api --paginate -H "$API_VERSION" "$1"
}

# list_all PATH: every page of a list, as one array.
list_all() {
    gh_all "$1" | jq -s 'add // []'
}

installations() {
    gh_all "/orgs/$ORG/installations?per_page=100" |
        jq -s '{total_count: (map(.total_count) | max // 0), installations: (map(.installations // []) | add // [])}'
}

# save REL COMMAND…: the command's output into DIR/REL, or a line in the error log. An empty
# JSON array (an empty listing) is not kept.
save() {
    local rel=$1
    shift
    local file="$DIR/$rel"
    mkdir -p "$(dirname "$file")"
    if "$@" >"$file.partial" 2>>"$ERRORS"; then
        if jq -e 'type == "array" and length == 0' "$file.partial" >/dev/null 2>&1; then
            rm -f "$file.partial"
        else
            mv "$file.partial" "$file"
        fi
    else
        rm -f "$file.partial"
        echo "failed: $rel" >>"$ERRORS"
        return 1
    fi
}

export_deploy_keys() {
    local repos full
    if ! repos=$(list_all "/orgs/$ORG/repos?per_page=100" 2>>"$ERRORS"); then
        echo "failed: the repositories of $ORG (GET /orgs/$ORG/repos)" >>"$ERRORS"
        return 0
    fi
    while IFS= read -r full; do
        [[ -n "$full" ]] || continue
        save "deploy-keys/$(dir_name "${full#*/}").json" list_all "/repos/$full/keys?per_page=100" || true
    done < <(jq -r '.[].full_name // empty' <<<"$repos")
}

# The manifest, written last; the error log goes when nothing failed.
finish() {
    local failures
    failures=$(grep -c '^failed: ' "$ERRORS" || true)
    jq -n --arg tool "$TOOL" --arg version "$SCRIPT_VERSION" --arg at "$STARTED" \
        --arg org "$ORG" --argjson failed "$failures" \
        '{tool: $tool, script_version: $version, family: "github", exported_at: $at,
          source: {org: $org}, failed_reads: $failed}' >"$DIR/export.json"
    if [[ "$failures" -eq 0 ]]; then
        rm -f "$ERRORS"
        echo "  $DIR: done" >&2
    else
        echo "  $DIR: done; $failures read(s) failed (see $ERRORS)" >&2
    fi
}

export_org() {
    ORG=$1
    DIR="$OUT/$(dir_name "$ORG")"
    ERRORS="$DIR/export-errors.log"
    STARTED=$(date -u +%Y-%m-%dT%H:%M:%SZ)
    mkdir -p "$DIR"
    : >"$ERRORS"
    echo "exporting organisation $ORG into $DIR" >&2
    save installations.json installations || true
    save fine-grained-pats.json list_all "/orgs/$ORG/personal-access-tokens?per_page=100" || true
    export_deploy_keys
    finish
}

for org in "$@"; do
    export_org "$org"
done
