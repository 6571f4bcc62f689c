#!/usr/bin/env bash
# Writes the Microsoft Entra ID (Microsoft Graph) export that deprov reads, one directory per
# tenant (see `src/sources/azure/mod.rs` and docs/COLLECTORS.md).
#
#   usage: contrib/export/azure.sh OUTPUT_DIR TENANT...
#
#   TENANT is a tenant ID (GUID) or a verified domain of a tenant the signed-in `az` account can
#   get a token for (`az login`, or `az login --service-principal … --tenant TENANT`); each
#   tenant's export goes to OUTPUT_DIR/TENANT/.
#
# Needs: the Azure CLI (az) and jq. Microsoft Graph permissions (application permissions for a
# service principal, or the same delegated permissions with a directory role that allows them):
#   Application.Read.All    applications and service principals, with their owners
#   AuditLog.Read.All       the sign-in activity reports (beta /reports/servicePrincipalSignInActivities
#                           and /reports/appCredentialSignInActivities; they need a Microsoft
#                           Entra ID P1 or P2 licence in the tenant)
#   Directory.Read.All      only if Application.Read.All is not granted (it includes it)
#
# Read-only: every request is an HTTP GET (`az rest --method get`). It never adds or removes a
# password or key credential, and never changes an application or service principal.
#
# Tokens: `az rest` signs requests for the tenant of the current subscription only, so the
# script asks `az account get-access-token --tenant TENANT --resource-type ms-graph` for each
# tenant and hands the token to `az rest` in a header file (`--headers @FILE`) readable by the
# user only, in a private temporary directory removed on exit. The token never appears in a
# command line or in the export.
#
# What it writes, per tenant (OUTPUT_DIR/TENANT/):
#   applications.json                   GET /v1.0/applications?$expand=owners
#   service-principals.json             GET /v1.0/servicePrincipals?$expand=owners
#   service-principal-sign-ins.json     GET /beta/reports/servicePrincipalSignInActivities
#   app-credential-sign-ins.json        GET /beta/reports/appCredentialSignInActivities
#   export.json                         the manifest: tool, family, exported_at, source
# Pagination: every `@odata.nextLink` is followed and the pages are merged into one Graph page
# (the first page's `@odata.context`, every `value`).
# Reads that fail (a missing permission, a tenant without the licence the reports need) are
# listed in OUTPUT_DIR/TENANT/export-errors.log and counted in export.json (`failed_reads`); the
# export goes on. The log is removed when nothing failed.

# Functions run through `save "$@"` look unreachable to shellcheck.
# shellcheck disable=SC2317

set -euo pipefail

# shellcheck source=contrib/export/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

SCRIPT_VERSION=1
TOOL=contrib/export/azure.sh
GRAPH=https://graph.microsoft.com

usage() {
    echo "usage: $0 OUTPUT_DIR TENANT..." >&2
    exit 2
}

[[ $# -ge 2 && -n "$1" ]] || usage
OUT=$1
shift

for tool in az jq; do
    command -v "$tool" >/dev/null 2>&1 || {
        echo "$0: $tool is required" >&2
        exit 2
    }
done

PRIVATE=$(mktemp -d)
chmod 700 "$PRIVATE"
trap 'rm -rf "$PRIVATE"' EXIT
HEADERS="$PRIVATE/graph-headers.json"

TENANT=""
DIR=""
ERRORS=""
STARTED=""

# A Graph token for the tenant, written as the header file `az rest` reads. JMESPath builds the
# header inside az, so that the token passes through no shell variable or argument.
graph_token() {
    (umask 077 && az account get-access-token --tenant "$TENANT" --resource-type ms-graph \
        --query "{Authorization: join(' ', ['Bearer', accessToken])}" --output json >"$HEADERS")
}

# graph_get URL: one Graph page.
graph_get() {
    az rest --method get --url "$1" --skip-authorization-header --headers "@$HEADERS" --output json
}

# graph_all URL: every page of a Graph collection, merged into one page.
graph_all() {
    local url=$1 page
    while [[ -n "$url" ]]; do
        page=$(graph_get "$url") || return 1
        printf '%s\n' "$page"
        url=$(jq -r '."@odata.nextLink" // empty' <<<"$page") || return 1
    done | jq -s '(.[0] // {} | with_entries(select(.key == "@odata.context")))
        + {value: (map(.value // []) | add // [])}'
}

export_tenant() {
    TENANT=$1
    DIR="$OUT/$(dir_name "$TENANT")"
    ERRORS="$DIR/export-errors.log"
    STARTED=$(date -u +%Y-%m-%dT%H:%M:%SZ)
    mkdir -p "$DIR"
    : >"$ERRORS"
    echo "exporting tenant $TENANT into $DIR" >&2
    if ! graph_token 2>>"$ERRORS"; then
        echo "failed: a Microsoft Graph token for tenant $TENANT (az account get-access-token)" >>"$ERRORS"
        finish azure "$(jq -n --arg tenant "$TENANT" '{tenant: $tenant}')"
        return 1
    fi
    save applications.json graph_all "$GRAPH/v1.0/applications?\$expand=owners" || true
    save service-principals.json graph_all "$GRAPH/v1.0/servicePrincipals?\$expand=owners" || true
    save service-principal-sign-ins.json graph_all "$GRAPH/beta/reports/servicePrincipalSignInActivities" || true
    save app-credential-sign-ins.json graph_all "$GRAPH/beta/reports/appCredentialSignInActivities" || true
    rm -f "$HEADERS"
    finish azure "$(jq -n --arg tenant "$TENANT" '{tenant: $tenant}')"
}

status=0
for tenant in "$@"; do
    export_tenant "$tenant" || status=1
done
exit "$status"
