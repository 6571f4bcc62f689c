#!/usr/bin/env bash
# Writes the AWS IAM export that deprov reads, one directory per account (see
# `src/sources/aws/mod.rs` and docs/COLLECTORS.md).
#
#   usage: contrib/export/aws.sh OUTPUT_DIR PROFILE...
#
#   Each PROFILE is a named profile of the AWS CLI (`default` for the default credentials); the
#   export of its account goes to OUTPUT_DIR/ACCOUNT_ID/. IAM is global; IAM Access Analyzer is
#   regional and is read in the profile's region (AWS_REGION overrides it).
#
# Needs: the AWS CLI (v2, or v1 1.31 and later) and jq. Permissions (an IAM policy for the
# exporting principal; `sts:GetCallerIdentity` needs none):
#
#   {
#     "Version": "2012-10-17",
#     "Statement": [
#       {
#         "Sid": "DeprovExportRead",
#         "Effect": "Allow",
#         "Action": [
#           "iam:GetCredentialReport",
#           "iam:GetAccountAuthorizationDetails",
#           "iam:ListAccessKeys",
#           "iam:GetAccessKeyLastUsed",
#           "access-analyzer:ListAnalyzers",
#           "access-analyzer:ListFindingsV2",
#           "access-analyzer:GetFindingV2"
#         ],
#         "Resource": "*"
#       }
#     ]
#   }
#
# Read-only: it only gets and lists. It never creates, rotates, deactivates or deletes anything,
# and never calls `iam generate-credential-report`: when the account has no credential report
# younger than four hours the read fails (see export-errors.log); run
# `aws iam generate-credential-report` yourself (it creates the report, nothing else) and export
# again. No secret is ever read: access key listings carry key IDs only.
#
# What it writes, per account (OUTPUT_DIR/ACCOUNT_ID/):
#   credential-report.json              get-credential-report, `Content` decoded from base64 to the
#                                       CSV text (its GeneratedTime is kept: it decides between
#                                       disagreeing exports)
#   authorization-details.json          get-account-authorization-details, every page merged
#   access-keys/USER.json               list-access-keys per user of the authorization details
#   last-used/ACCESS_KEY_ID.json        get-access-key-last-used per key, with the key's
#                                       `AccessKeyId` added (the output does not name it)
#   access-analyzer/ANALYZER/findings.json, …/finding-ID.json
#                                       list-findings-v2 and get-finding-v2 of each unused-access
#                                       analyzer (ACCOUNT_UNUSED_ACCESS, ORGANIZATION_UNUSED_ACCESS)
#   export.json                         the manifest: tool, family, exported_at, source
# Pagination: every paginated call is read page by page (`--max-items`, `--starting-token` with
# the NextToken the CLI prints) and the pages are merged into one file.
# Reads that fail (permission denied, a report not generated, a region without Access Analyzer)
# are listed in OUTPUT_DIR/ACCOUNT_ID/export-errors.log and counted in export.json
# (`failed_reads`); the export goes on. The log is removed when nothing failed.

# Functions run through `save "$@"` look unreachable to shellcheck.
# shellcheck disable=SC2317

set -euo pipefail

# shellcheck source=contrib/export/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

SCRIPT_VERSION=1
TOOL=contrib/export/aws.sh
PAGE_SIZE=1000

usage() {
    echo "usage: $0 OUTPUT_DIR PROFILE...   (PROFILE: an AWS CLI profile; \`default\` for the default credentials)" >&2
    exit 2
}

[[ $# -ge 2 && -n "$1" ]] || usage
OUT=$1
shift

for tool in aws jq; do
    command -v "$tool" >/dev/null 2>&1 || {
        echo "$0: $tool is required" >&2
        exit 2
    }
done

# The CLI must never wait on a pager.
export AWS_PAGER=""

PROFILE=""
DIR=""
ERRORS=""
STARTED=""

# The AWS CLI for the profile being exported, with JSON output.
aws_cli() {
    aws --profile "$PROFILE" --output json "$@"
}

# aws_pages COMMAND…: every page of a paginated call, one JSON document after another.
aws_pages() {
    local page token=""
    while :; do
        if [[ -z "$token" ]]; then
            page=$(aws_cli "$@" --max-items "$PAGE_SIZE") || return 1
        else
            page=$(aws_cli "$@" --max-items "$PAGE_SIZE" --starting-token "$token") || return 1
        fi
        printf '%s\n' "$page"
        token=$(jq -r '.NextToken // .nextToken // empty' <<<"$page") || return 1
        [[ -n "$token" ]] || return 0
    done
}

# Pages of one call merged into one document: lists concatenated, other fields kept, the
# paging tokens dropped.
# shellcheck disable=SC2016 # a jq program: its `$` are jq's
MERGE_PAGES='reduce .[] as $page ({};
    reduce ($page | del(.NextToken, .nextToken, .Marker, .IsTruncated) | to_entries[]) as $field (.;
        if ($field.value | type) == "array" then .[$field.key] += $field.value
        else .[$field.key] = $field.value end))'

# paged COMMAND…: a paginated call, its pages merged.
paged() {
    aws_pages "$@" | jq -s "$MERGE_PAGES"
}

# The credential report, its CSV decoded. When AWS has none younger than four hours the read
# fails: generating one is a write this script does not make.
credential_report() {
    aws_cli iam get-credential-report | jq 'if (.Content | type) == "string" then .Content |= @base64d else . end' || {
        echo "hint: run \`aws --profile $PROFILE iam generate-credential-report\` (it creates the report, nothing else), then export again" >&2
        return 1
    }
}

last_used() {
    local key=$1
    aws_cli iam get-access-key-last-used --access-key-id "$key" | jq --arg key "$key" '. + {AccessKeyId: $key}'
}

export_keys() {
    local user key
    while IFS= read -r user; do
        [[ -n "$user" ]] || continue
        save "access-keys/$user.json" paged iam list-access-keys --user-name "$user" || continue
        while IFS= read -r key; do
            [[ -n "$key" ]] || continue
            save "last-used/$key.json" last_used "$key" || true
        done < <(jq -r '.AccessKeyMetadata[].AccessKeyId' "$DIR/access-keys/$user.json")
    done < <(jq -r '.UserDetailList[]?.UserName' "$DIR/authorization-details.json")
}

export_access_analyzer() {
    local arn name id
    save access-analyzer/analyzers.json paged accessanalyzer list-analyzers || return 0
    while IFS=$'\t' read -r arn name; do
        [[ -n "$arn" ]] || continue
        save "access-analyzer/$name/findings.json" paged accessanalyzer list-findings-v2 --analyzer-arn "$arn" || continue
        while IFS= read -r id; do
            [[ -n "$id" ]] || continue
            save "access-analyzer/$name/finding-$id.json" paged accessanalyzer get-finding-v2 --analyzer-arn "$arn" --id "$id" || true
        done < <(jq -r '.findings[]?.id' "$DIR/access-analyzer/$name/findings.json")
    done < <(jq -r '.analyzers[]?
        | select(.type == "ACCOUNT_UNUSED_ACCESS" or .type == "ORGANIZATION_UNUSED_ACCESS")
        | [.arn, .name] | @tsv' "$DIR/access-analyzer/analyzers.json")
    # The list only locates the analyzers: deprov reads their findings, and a file it does not
    # read would be listed as skipped.
    rm -f "$DIR/access-analyzer/analyzers.json"
}

export_profile() {
    local account
    PROFILE=$1
    STARTED=$(date -u +%Y-%m-%dT%H:%M:%SZ)
    if ! account=$(aws_cli sts get-caller-identity | jq -er '.Account'); then
        echo "$0: profile $PROFILE: cannot tell its account (sts get-caller-identity failed); skipped" >&2
        return 1
    fi
    DIR="$OUT/$(dir_name "$account")"
    ERRORS="$DIR/export-errors.log"
    mkdir -p "$DIR"
    : >"$ERRORS"
    echo "exporting account $account (profile $PROFILE) into $DIR" >&2
    save credential-report.json credential_report || true
    if save authorization-details.json paged iam get-account-authorization-details; then
        export_keys
    fi
    export_access_analyzer
    finish aws "$(jq -n --arg account "$account" --arg profile "$PROFILE" '{account: $account, profile: $profile}')"
}

status=0
for profile in "$@"; do
    export_profile "$profile" || status=1
done
exit "$status"
