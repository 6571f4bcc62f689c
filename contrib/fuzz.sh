#!/usr/bin/env bash
# Runs every cargo-fuzz target of fuzz/ for a fixed time, one after the other on one core, after
# seeding their corpora from testdata/ and ../shared/samples/ (fuzz/seed.sh). A crash, a slow
# input (-timeout) and a memory blow-up (-rss_limit_mb, -malloc_limit_mb) are all findings: the
# target stops, the input is written to fuzz/artifacts/<target>/ and the summary names it.
# Needs a nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`).
#
#   usage: contrib/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     (default: 60 s, every target)
#
# Environment: FUZZ_TIMEOUT (seconds per input, default 10), FUZZ_RSS_MB (default 2048),
# FUZZ_MAX_LEN (bytes per input, default 65536: above the 64 KiB sniffing head), FUZZ_TOOLCHAIN
# (default nightly). Exit status: 0 when no target found anything, 1 otherwise.
set -uo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-60}
shift || true
timeout=${FUZZ_TIMEOUT:-10}
rss_mb=${FUZZ_RSS_MB:-2048}
max_len=${FUZZ_MAX_LEN:-65536}
toolchain=${FUZZ_TOOLCHAIN:-nightly}

cd "$repo/fuzz" || exit 2
if (($# > 0)); then
    targets=("$@")
else
    mapfile -t targets < <(cargo "+$toolchain" fuzz list)
fi

"$repo/fuzz/seed.sh" "$repo/fuzz/corpus" >/dev/null || exit 2
cargo "+$toolchain" fuzz build || exit 2
triple=$(rustc "+$toolchain" -vV | sed -n 's/^host: //p')

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_odr_violation=0}
logs=$repo/fuzz/artifacts/logs
mkdir -p "$logs"
summary=()
status=0
for target in "${targets[@]}"; do
    log=$logs/$target.log
    mkdir -p "$repo/fuzz/artifacts/$target"
    # One process, one core: no -jobs/-workers (libFuzzer would fork workers that log to
    # fuzz-N.log and run until every job ended).
    echo "== $target: ${seconds}s (log: ${log#"$repo"/})"
    started=$(date +%s)
    # The binary itself, not `cargo fuzz run`, so that the time measured is fuzzing time.
    "target/$triple/release/$target" -artifact_prefix="$repo/fuzz/artifacts/$target/" \
        "corpus/$target" -max_total_time="$seconds" -timeout="$timeout" -rss_limit_mb="$rss_mb" \
        -malloc_limit_mb="$rss_mb" -max_len="$max_len" -print_final_stats=1 \
        >"$log" 2>&1
    code=$?
    elapsed=$(($(date +%s) - started))
    execs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$')
    corpus_size=$(find "corpus/$target" -type f | wc -l)
    artifact=$(grep -o 'Test unit written to [^ ]*' "$log" | tail -1 | sed 's/Test unit written to //')
    if ((code == 0)); then
        result=ok
    else
        status=1
        if grep -q 'ALARM: working on the last Unit' "$log"; then
            result=TIMEOUT
        elif grep -q 'out-of-memory' "$log"; then
            result=OOM
        elif grep -qE 'deadly signal|AddressSanitizer|panicked' "$log"; then
            result=CRASH
        else
            result="FAILED (exit $code)"
        fi
    fi
    summary+=("$(printf '%-16s %-10s %6ss %12s execs %6s corpus  %s' \
        "$target" "$result" "$elapsed" "${execs:-?}" "$corpus_size" "${artifact:-}")")
    echo "${summary[-1]}"
done

echo
echo "target           result        time        executions   corpus  artifact"
printf '%s\n' "${summary[@]}"
exit "$status"
