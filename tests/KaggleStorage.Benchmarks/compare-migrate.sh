#!/usr/bin/env bash
# Migration of a legacy tree by kaggle-storage against the same work done by hand on the same tree in the same
# run: cp -r, then sync, then sha256sum of source and destination. Wall time and peak RSS. Not part of CI.
#   usage: tests/KaggleStorage.Benchmarks/compare-migrate.sh [total MiB ...]   (default: 300 1024; 5 days each)
set -euo pipefail
cd "$(dirname "$0")/../.."
sizes=("${@:-300 1024}")
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
for project in src/KaggleStorage.Tool tests/KaggleStorage.Benchmarks; do
  dotnet build -c Release "$project" -v q -nologo >/dev/null || { echo "build of $project failed" >&2; exit 1; }
done
tool=(dotnet src/KaggleStorage.Tool/bin/Release/net10.0/kaggle-storage.dll)
gen=(dotnet tests/KaggleStorage.Benchmarks/bin/Release/net10.0/KaggleStorage.Benchmarks.dll generate)
work=$(mktemp -d "${TMPDIR:-/tmp}/ks-migrate.XXXXXX")
trap 'rm -rf "$work"' EXIT

drop_caches() { sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true; }
measure() { local out; out=$(mktemp); /usr/bin/time -f "%e %M" -o "$out" "$@" >/dev/null; cat "$out"; rm -f "$out"; }

printf '| legacy tree | kaggle-storage migrate | cp -r + sync + sha256sum ×2 | ratio (ours / by hand) | our peak RSS |\n'
printf '|---|---|---|---|---|\n'
for mb in ${sizes[@]}; do
  legacy="$work/legacy-$mb/jobs/fetch-kaggle/data"
  for day in 20241022 20241023 20241024 20241025 20241026; do
    "${gen[@]}" "$legacy/kaggle_raw/$day" "$day" "$(echo "$mb / 5" | bc -l)" >/dev/null
  done
  drop_caches
  read -r ours_s ours_kb < <(measure "${tool[@]}" --root "$work/store-$mb" migrate --from "$legacy")
  drop_caches
  read -r hand_s _ < <(measure bash -c "cp -r '$legacy/kaggle_raw' '$work/copy-$mb' && sync && find '$legacy/kaggle_raw' -type f -exec sha256sum {} + >/dev/null && find '$work/copy-$mb' -type f -exec sha256sum {} + >/dev/null")
  printf '| %s MiB | %ss | %ss | %.2f× | %s MiB |\n' "$mb" "$ours_s" "$hand_s" "$(echo "$ours_s / $hand_s" | bc -l)" "$((ours_kb / 1024))"
  rm -rf "$work/legacy-$mb" "$work/store-$mb" "$work/copy-$mb"
done
