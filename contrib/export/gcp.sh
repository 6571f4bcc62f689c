#!/usr/bin/env bash
# Writes the Google Cloud IAM export that deprov reads, one directory per project (see
# `src/sources/gcp/mod.rs` and docs/COLLECTORS.md).
#
#   usage: contrib/export/gcp.sh OUTPUT_DIR PROJECT_ID...
#
#   gcloud's active account (or CLOUDSDK_* settings) is used; each project's export goes to
#   OUTPUT_DIR/PROJECT_ID/.
#
# Needs: the Google Cloud CLI (gcloud) and jq. Roles, granted on each project:
#   roles/iam.securityReviewer            iam.serviceAccounts.list, iam.serviceAccountKeys.list,
#                                         resourcemanager.projects.getIamPolicy
#   roles/recommender.iamViewer           recommender.iamServiceAccountInsights.list
#   roles/policyanalyzer.activityAnalysisViewer
#                                         policyanalyzer.serviceAccountLastAuthenticationActivities.query,
#                                         policyanalyzer.serviceAccountKeyLastAuthenticationActivities.query
# (or a custom role with exactly the permissions listed)
# The Recommender and Policy Analyzer APIs must be enabled on the project for the last two
# reads; the script never enables them (prompts are disabled, so gcloud cannot offer to).
#
# Read-only: it only lists and gets. It never creates, disables or deletes service accounts or
# keys (no `keys create`: a key listing holds no private key), and changes no policy.
#
# What it writes, per project (OUTPUT_DIR/PROJECT_ID/):
#   service-accounts.json               gcloud iam service-accounts list (JSON array)
#   keys/EMAIL.json                     gcloud iam service-accounts keys list, per service account
#   iam-policy.json                     gcloud projects get-iam-policy, written as a Cloud Asset
#                                       Inventory record of the project (one JSON line:
#                                       `name` //cloudresourcemanager.googleapis.com/projects/ID,
#                                       `assetType`, `iamPolicy`) so that its grants are read
#                                       in the project they were taken from (a bare policy does
#                                       not name its project)
#   recommender/service-account-insights.json
#                                       gcloud recommender insights list
#                                       --insight-type=google.iam.serviceAccount.Insight
#   activity/service-account-last-authentication.json,
#   activity/service-account-key-last-authentication.json
#                                       gcloud policy-intelligence query-activity
#                                       (serviceAccountLastAuthentication,
#                                       serviceAccountKeyLastAuthentication)
#   export.json                         the manifest: tool, family, exported_at, source
# Pagination: gcloud's list and query commands follow page tokens themselves and print every
# page (no --limit is given). An empty listing is not written (deprov would have nothing to read).
# Reads that fail are listed in OUTPUT_DIR/PROJECT_ID/export-errors.log and counted in
# export.json (`failed_reads`); the export goes on. The log is removed when nothing failed.

set -euo pipefail

# shellcheck source=contrib/export/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
SKIP_EMPTY_LISTS=1

SCRIPT_VERSION=1
TOOL=contrib/export/gcp.sh

usage() {
    echo "usage: $0 OUTPUT_DIR PROJECT_ID..." >&2
    exit 2
}

[[ $# -ge 2 && -n "$1" ]] || usage
OUT=$1
shift

for tool in gcloud jq; do
    command -v "$tool" >/dev/null 2>&1 || {
        echo "$0: $tool is required" >&2
        exit 2
    }
done

# gcloud must never ask anything (above all, never offer to enable an API).
export CLOUDSDK_CORE_DISABLE_PROMPTS=1
export CLOUDSDK_CORE_SHOULD_PROMPT_TO_ENABLE_API=false

PROJECT=""
DIR=""
ERRORS=""
STARTED=""

# gcloud for the project being exported, with JSON output.
gcloud_json() {
    gcloud "$@" --project="$PROJECT" --format=json
}

# The project's policy as a Cloud Asset Inventory record of the project.
project_policy() {
    gcloud_json projects get-iam-policy "$PROJECT" |
        jq -c --arg project "$PROJECT" '{
            name: ("//cloudresourcemanager.googleapis.com/projects/" + $project),
            assetType: "cloudresourcemanager.googleapis.com/Project",
            iamPolicy: .}'
}

export_keys() {
    local email
    while IFS= read -r email; do
        [[ -n "$email" ]] || continue
        save "keys/$(dir_name "$email").json" gcloud_json iam service-accounts keys list --iam-account="$email" || true
    done < <(jq -r '.[].email // empty' "$DIR/service-accounts.json")
}

export_project() {
    PROJECT=$1
    DIR="$OUT/$(dir_name "$PROJECT")"
    ERRORS="$DIR/export-errors.log"
    STARTED=$(date -u +%Y-%m-%dT%H:%M:%SZ)
    mkdir -p "$DIR"
    : >"$ERRORS"
    echo "exporting project $PROJECT into $DIR" >&2
    if save service-accounts.json gcloud_json iam service-accounts list &&
        [[ -f "$DIR/service-accounts.json" ]]; then
        export_keys
    fi
    save iam-policy.json project_policy || true
    save recommender/service-account-insights.json gcloud_json recommender insights list \
        --location=global --insight-type=google.iam.serviceAccount.Insight || true
    save activity/service-account-last-authentication.json gcloud_json policy-intelligence \
        query-activity --activity-type=serviceAccountLastAuthentication || true
    save activity/service-account-key-last-authentication.json gcloud_json policy-intelligence \
        query-activity --activity-type=serviceAccountKeyLastAuthentication || true
    finish gcp "$(jq -n --arg project "$PROJECT" '{project: $project}')"
}

for project in "$@"; do
    export_project "$project"
done
