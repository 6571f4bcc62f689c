# Shared by the collectors in contrib/export/ (sourced, not run): the directory name of a
# system, saving one read into the export, and the manifest written last. Each collector sets
# TOOL, SCRIPT_VERSION and, per system, DIR (its export directory), ERRORS (its error log) and
# STARTED (when its export began). Keep this file beside the collectors.
# shellcheck shell=bash

# dir_name NAME: NAME as one path component (other characters as `_`, never `.` or `..`).
dir_name() {
    local name=${1//[^A-Za-z0-9._@-]/_}
    if [[ -z "$name" || "$name" == .* ]]; then
        name="_$name"
    fi
    printf '%s' "$name"
}

# save REL COMMAND…: the command's output into DIR/REL, or a line in the error log. With
# SKIP_EMPTY_LISTS=1, an empty JSON array is not written (deprov would have nothing to read).
save() {
    local rel=$1
    shift
    local file="$DIR/$rel"
    mkdir -p "$(dirname "$file")"
    if "$@" >"$file.partial" 2>>"$ERRORS"; then
        if [[ "${SKIP_EMPTY_LISTS:-0}" == 1 ]] &&
            jq -e 'type == "array" and length == 0' "$file.partial" >/dev/null 2>&1; then
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

# finish FAMILY SOURCE_JSON: the manifest (export.json), written last; the error log goes when
# nothing failed.
finish() {
    local family=$1 source=$2 failures
    failures=$(grep -c '^failed: ' "$ERRORS" || true)
    jq -n --arg tool "$TOOL" --arg version "$SCRIPT_VERSION" --arg at "$STARTED" \
        --arg family "$family" --argjson source "$source" --argjson failed "$failures" \
        '{tool: $tool, script_version: $version, family: $family, exported_at: $at,
          source: $source, failed_reads: $failed}' >"$DIR/export.json"
    if [[ "$failures" -eq 0 ]]; then
        rm -f "$ERRORS"
        echo "  $DIR: done" >&2
    else
        echo "  $DIR: done; $failures read(s) failed (see $ERRORS)" >&2
    fi
}
