#!/usr/bin/env bash
# Writes the Kubernetes export that deprov reads, one directory per kubeconfig context (see
# `src/sources/kubernetes/mod.rs` and docs/COLLECTORS.md).
#
#   usage: contrib/export/kubernetes.sh OUTPUT_DIR CONTEXT...
#
#   Each CONTEXT is a context of the kubeconfig kubectl uses (KUBECONFIG); its export goes to
#   OUTPUT_DIR/CONTEXT/ (characters other than letters, digits, `.`, `_`, `@` and `-`
#   written as `_`).
#   deprov does not learn the cluster from kubectl's output: scan one context's directory per
#   run, or the clusters' identities merge (`kubernetes:cluster`).
#
# Needs: kubectl and jq. Permissions: bind this ClusterRole to the exporting identity with a
# ClusterRoleBinding:
#
#   apiVersion: rbac.authorization.k8s.io/v1
#   kind: ClusterRole
#   metadata:
#     name: deprov-export
#   rules:
#     - apiGroups: [""]
#       resources: ["serviceaccounts", "secrets"]
#       verbs: ["list"]
#     - apiGroups: ["rbac.authorization.k8s.io"]
#       resources: ["rolebindings", "clusterrolebindings"]
#       verbs: ["list"]
#
# `list` on secrets lets the holder read Secret values: keep this identity to the export.
#
# Read-only: it only lists (`kubectl get`). It never creates, patches or deletes anything, and
# never writes a Secret's value: only Secrets of type kubernetes.io/service-account-token are
# listed (a field selector), and their `data` and `stringData`, the
# `kubectl.kubernetes.io/last-applied-configuration` annotation (which can hold a copy of them)
# and `managedFields` are removed with jq before anything is written.
#
# What it writes, per context (OUTPUT_DIR/CONTEXT/), each a `kind: List`:
#   serviceaccounts.json                kubectl get serviceaccounts --all-namespaces -o json
#   secrets.json                        kubectl get secrets --all-namespaces -o json
#                                       --field-selector=type=kubernetes.io/service-account-token,
#                                       without values (see above)
#   rolebindings.json                   kubectl get rolebindings --all-namespaces -o json
#   clusterrolebindings.json            kubectl get clusterrolebindings -o json
#   export.json                         the manifest: tool, family, exported_at, source
# Pagination: kubectl reads large lists in chunks itself (--chunk-size, 500 by default) and
# prints one List.
# Reads that fail are listed in OUTPUT_DIR/CONTEXT/export-errors.log and counted in export.json
# (`failed_reads`); the export goes on. The log is removed when nothing failed.

set -euo pipefail

# shellcheck source=contrib/export/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

SCRIPT_VERSION=1
TOOL=contrib/export/kubernetes.sh

usage() {
    echo "usage: $0 OUTPUT_DIR CONTEXT..." >&2
    exit 2
}

[[ $# -ge 2 && -n "$1" ]] || usage
OUT=$1
shift

for tool in kubectl jq; do
    command -v "$tool" >/dev/null 2>&1 || {
        echo "$0: $tool is required" >&2
        exit 2
    }
done

CONTEXT=""
DIR=""
ERRORS=""
STARTED=""

# kubectl get … -o json in the context being exported.
kube_list() {
    kubectl --context="$CONTEXT" get "$@" -o json
}

# Token Secrets, without anything that holds a value.
token_secrets() {
    kube_list secrets --all-namespaces --field-selector=type=kubernetes.io/service-account-token |
        jq 'del(.items[]?.data, .items[]?.stringData, .items[]?.metadata.managedFields,
                .items[]?.metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"])'
}

export_context() {
    CONTEXT=$1
    DIR="$OUT/$(dir_name "$CONTEXT")"
    ERRORS="$DIR/export-errors.log"
    STARTED=$(date -u +%Y-%m-%dT%H:%M:%SZ)
    mkdir -p "$DIR"
    : >"$ERRORS"
    echo "exporting context $CONTEXT into $DIR" >&2
    save serviceaccounts.json kube_list serviceaccounts --all-namespaces || true
    save secrets.json token_secrets || true
    save rolebindings.json kube_list rolebindings --all-namespaces || true
    save clusterrolebindings.json kube_list clusterrolebindings || true
    finish kubernetes "$(jq -n --arg context "$CONTEXT" '{context: $context}')"
}

for context in "$@"; do
    export_context "$context"
done
