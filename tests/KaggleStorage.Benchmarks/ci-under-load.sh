#!/usr/bin/env bash
# The whole CI (`bash .ci/run`) several times in a row, each run on a fresh clone of one commit, while a busy loop
# keeps every core at 100 %: a test that depends on timing fails here long before it fails in CI. Not part of CI
# (about 13 to 15 minutes a run on 2 cores); stops at the first failed run, whose log it names.
#   usage: tests/KaggleStorage.Benchmarks/ci-under-load.sh [runs] [commit]     (default: 10 runs of HEAD)
#   logs:  $CI_UNDER_LOAD_LOGS (default /tmp/ci-under-load): run-N.log for each run, summary.txt a line each
set -uo pipefail
repository=$(cd "$(dirname "$0")/../.." && pwd)
runs="${1:-10}"
commit=$(git -C "$repository" rev-parse --verify --quiet "${2:-HEAD}^{commit}") || { echo "error: no commit '${2:-HEAD}'" >&2; exit 2; }
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "error: runs must be a positive number, not '$runs'" >&2; exit 2; }
logs="${CI_UNDER_LOAD_LOGS:-/tmp/ci-under-load}"
clone=$(mktemp -d "${TMPDIR:-/tmp}/ks-ci-load.XXXXXX")
busy=()
trap 'kill "${busy[@]}" 2>/dev/null; rm -rf "$clone"' EXIT
mkdir -p "$logs"
for _ in $(seq "$(nproc)"); do
  (while :; do :; done) &
  busy+=($!)
done

echo "commit ${commit:0:12}: $runs runs with $(nproc) busy loops, started $(date -u +%FT%TZ)" | tee -a "$logs/summary.txt"
for i in $(seq "$runs"); do
  rm -rf "$clone/repo" && git clone -q "$repository" "$clone/repo" && git -C "$clone/repo" checkout -q "$commit" \
    || { echo "error: could not clone $repository at $commit" >&2; exit 1; }
  started=$(date +%s)
  (cd "$clone/repo" && bash .ci/run) > "$logs/run-$i.log" 2>&1
  rc=$?
  line="run $i: exit $rc in $(( $(date +%s) - started )) s, load $(cut -d' ' -f1-3 /proc/loadavg), $(grep '^tests:' "$logs/run-$i.log" | tail -1)"
  echo "$line" | tee -a "$logs/summary.txt"
  if [ "$rc" -ne 0 ]; then
    echo "error: run $i failed; see $logs/run-$i.log" >&2
    exit 1
  fi
done
echo "$runs of $runs runs passed" | tee -a "$logs/summary.txt"
