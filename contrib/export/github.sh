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

# shellcheck source=contrib/export/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
SKIP_EMPTY_LISTS=1

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
    finish github "$(jq -n --arg org "$ORG" '{org: $org}')"
}

for org in "$@"; do
    export_org "$org"
done
