#!/usr/bin/env bash
# Writes the Vault / OpenBao export that deprov reads: one JSON response per file, in a directory
# that mirrors the API paths read (see `src/sources/vault/mod.rs`).
#
#   usage: contrib/export/vault.sh OUTPUT_DIR
#
#   VAULT_ADDR / VAULT_TOKEN (or BAO_ADDR / BAO_TOKEN) as for the CLI; VAULT_BIN=bao for OpenBao.
#   The token needs read and list on what is exported, and sudo for `auth/token/accessors` and
#   `sys/leases/lookup`.
#
# Read-only: it only lists, reads and looks up. The one `write` it issues is
# `auth/MOUNT/role/NAME/secret-id-accessor/lookup`, the documented (POST) lookup call, which
# changes nothing. It never creates, renews or revokes tokens, secret IDs or leases, and never
# reads a KV secret's values (only its metadata). A token lookup by accessor carries no token.
#
# What it exports:
#   auth/token/accessors.json, auth/token/accessors/ACCESSOR.json   tokens, by accessor
#   auth/MOUNT/role/NAME.json                                         AppRole and Kubernetes roles
#   auth/MOUNT/role/NAME/role-id.json, …/secret-id.json,
#   auth/MOUNT/role/NAME/secret-id-accessor/ACCESSOR.json            AppRole role IDs, secret IDs
#   identity/entity/id/ID.json                                        entities
#   sys/leases/lookup[/PREFIX…].json, sys/leases/lookup/PREFIX…/ID.json  leases (recursive)
#   MOUNT/metadata/PATH.json                                          KV v2 metadata
#   MOUNT/certs.json, MOUNT/cert/SERIAL.json                          PKI certificates
# Secret-engine mounts nested in several path components (`team/kv/`) are written with `/` → `-`
# (`team-kv/metadata/…`) so that the export's layout stays unambiguous; serials use `-` for `:`.
#   export.json                                                       the manifest: tool, family,
#                                                                     exported_at, source (the address)
# Audit logs are not exported here: copy the file audit device's log into OUTPUT_DIR/audit/.
# Reads that fail (permission denied, a path that vanished) are listed in
# OUTPUT_DIR/export-errors.log and counted in export.json (`failed_reads`), and the export goes
# on; the log is removed when nothing failed.
#
# This script could not be run against a live Vault or OpenBao server where it was written:
# it was checked with `bash -n` and shellcheck only. Try it on a test server first.

set -euo pipefail

usage() {
    echo "usage: $0 OUTPUT_DIR   (VAULT_BIN=bao for OpenBao)" >&2
    exit 2
}

[[ $# -eq 1 && -n "$1" ]] || usage
OUT=$1
VAULT_BIN=${VAULT_BIN:-vault}

for tool in "$VAULT_BIN" jq; do
    command -v "$tool" >/dev/null 2>&1 || {
        echo "$0: $tool is required" >&2
        exit 2
    }
done

# The server's address, as it is shown and recorded: without any user information it may hold.
address=${VAULT_ADDR:-${BAO_ADDR:-}}
if [[ "$address" == *://*@* ]]; then
    address="${address%%://*}://${address#*@}"
fi

mkdir -p "$OUT"
STARTED=$(date -u +%Y-%m-%dT%H:%M:%SZ)
ERRORS="$OUT/export-errors.log"
: >"$ERRORS"

# Runs the CLI with JSON output.
cli() {
    "$VAULT_BIN" "$@"
}

# save REL COMMAND…: writes the command's output to OUT/REL.json, or logs why it could not.
save() {
    local rel=$1
    shift
    local file="$OUT/$rel.json"
    mkdir -p "$(dirname "$file")"
    if "$@" >"$file.partial" 2>>"$ERRORS"; then
        mv "$file.partial" "$file"
    else
        rm -f "$file.partial"
        echo "failed: $rel" >>"$ERRORS"
        return 1
    fi
}

# keys PATH: the keys a list returns, one per line (nothing when the list is empty or denied).
keys() {
    cli list -format=json "$1" 2>>"$ERRORS" | jq -r '.[]' || true
}

# list_to REL PATH: saves a list as the CLI prints it (a bare array), then prints its keys.
list_to() {
    local rel=$1 path=$2
    if save "$rel" cli list -format=json "$path"; then
        jq -r '.[]' "$OUT/$rel.json"
    fi
}

# mounts KIND TYPE: mount paths (without the trailing `/`) of auth methods or secret engines.
mounts() {
    local kind=$1 type=$2
    cli "$kind" list -format=json | jq -r --arg type "$type" '
        to_entries[]
        | select(.value.type == $type
                 or ($type == "kv-v2" and .value.type == "kv" and (.value.options.version // "1") == "2"))
        | .key | rtrimstr("/")'
}

export_tokens() {
    local accessor
    while IFS= read -r accessor; do
        [[ -n "$accessor" ]] || continue
        save "auth/token/accessors/$accessor" cli token lookup -format=json -accessor "$accessor" || true
    done < <(list_to auth/token/accessors auth/token/accessors)
}

export_approle() {
    local mount=$1 role accessor
    while IFS= read -r role; do
        [[ -n "$role" ]] || continue
        local base="auth/$mount/role/$role"
        save "$base" cli read -format=json "$base" || continue
        save "$base/role-id" cli read -format=json "$base/role-id" || true
        while IFS= read -r accessor; do
            [[ -n "$accessor" ]] || continue
            save "$base/secret-id-accessor/$accessor" \
                cli write -format=json "$base/secret-id-accessor/lookup" \
                secret_id_accessor="$accessor" || true
        done < <(list_to "$base/secret-id" "$base/secret-id")
    done < <(keys "auth/$mount/role")
}

export_kubernetes_roles() {
    local mount=$1 role
    while IFS= read -r role; do
        [[ -n "$role" ]] || continue
        save "auth/$mount/role/$role" cli read -format=json "auth/$mount/role/$role" || true
    done < <(keys "auth/$mount/role")
}

export_entities() {
    local id
    while IFS= read -r id; do
        [[ -n "$id" ]] || continue
        save "identity/entity/id/$id" cli read -format=json "identity/entity/id/$id" || true
    done < <(keys identity/entity/id)
}

# export_leases PREFIX: PREFIX is empty or ends with `/`.
export_leases() {
    local prefix=$1 key rel
    rel="sys/leases/lookup${prefix:+/${prefix%/}}"
    while IFS= read -r key; do
        [[ -n "$key" ]] || continue
        if [[ "$key" == */ ]]; then
            export_leases "$prefix$key"
        else
            save "sys/leases/lookup/$prefix$key" cli lease lookup -format=json "$prefix$key" || true
        fi
    done < <(list_to "$rel" "sys/leases/lookup/$prefix")
}

# export_kv MOUNT [PATH]: PATH is empty or ends with `/`.
export_kv() {
    local mount=$1 path=${2:-} key
    local dir=${mount//\//-}
    while IFS= read -r key; do
        [[ -n "$key" ]] || continue
        if [[ "$key" == */ ]]; then
            export_kv "$mount" "$path$key"
        else
            save "$dir/metadata/$path$key" cli read -format=json "$mount/metadata/$path$key" || true
        fi
    done < <(keys "$mount/metadata/$path")
}

export_pki() {
    local mount=$1 serial
    local dir=${mount//\//-}
    while IFS= read -r serial; do
        [[ -n "$serial" ]] || continue
        save "$dir/cert/${serial//:/-}" cli read -format=json "$mount/cert/$serial" || true
    done < <(list_to "$dir/certs" "$mount/certs")
}

echo "exporting from ${address:-the default address} into $OUT" >&2
export_tokens
while IFS= read -r mount; do export_approle "$mount"; done < <(mounts auth approle)
while IFS= read -r mount; do export_kubernetes_roles "$mount"; done < <(mounts auth kubernetes)
export_entities
export_leases ""
while IFS= read -r mount; do export_kv "$mount"; done < <(mounts secrets kv-v2)
while IFS= read -r mount; do export_pki "$mount"; done < <(mounts secrets pki)

failures=$(grep -c '^failed: ' "$ERRORS" || true)
files=$(find "$OUT" -name '*.json' | wc -l)
# The manifest deprov lists under `sources`: where and when the export was taken.
jq -n --arg at "$STARTED" --arg address "$address" --arg cli "$VAULT_BIN" --argjson failed "$failures" \
    '{tool: "contrib/export/vault.sh", script_version: "1", family: "vault", exported_at: $at,
      source: {address: $address, cli: $cli}, failed_reads: $failed}' >"$OUT/export.json"
if [[ "$failures" -eq 0 ]]; then
    rm -f "$ERRORS"
    echo "done: $files files" >&2
else
    echo "done: $files files; $failures read(s) failed (see $ERRORS)" >&2
fi
