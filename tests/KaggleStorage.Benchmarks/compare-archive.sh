#!/usr/bin/env bash
# Archive and restore of one day by kaggle-storage against GNU tar (tar czf / tar xzf, gzip -6) on the same
# partition in the same run: wall time, size and peak RSS. Not part of CI.
#   usage: tests/KaggleStorage.Benchmarks/compare-archive.sh [MiB ...]     (default: 200 1024)
set -euo pipefail
cd "$(dirname "$0")/../.."
sizes=("${@:-200 1024}")
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }

for project in src/KaggleStorage.Tool tests/KaggleStorage.Benchmarks; do
  dotnet build -c Release "$project" -v q -nologo >/dev/null || { echo "build of $project failed" >&2; exit 1; }
done
tool=(dotnet src/KaggleStorage.Tool/bin/Release/net10.0/kaggle-storage.dll)
gen=(dotnet tests/KaggleStorage.Benchmarks/bin/Release/net10.0/KaggleStorage.Benchmarks.dll generate)
work=$(mktemp -d "${TMPDIR:-/tmp}/ks-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
day=20241026

measure() { # label, command... → prints "seconds rss_kb"
  local out; out=$(mktemp)
  /usr/bin/time -f "%e %M" -o "$out" "${@:2}" >/dev/null
  cat "$out"; rm -f "$out"
}

printf '| partition | step | kaggle-storage | GNU tar | ratio (tar time / ours) | our size / tar size | our peak RSS |\n'
printf '|---|---|---|---|---|---|---|\n'
for mb in ${sizes[@]}; do
  root="$work/store-$mb"
  "${gen[@]}" "$root/raw/$day" "$day" "$mb" >/dev/null
  sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
  read -r ours_s ours_kb < <(measure archive "${tool[@]}" --root "$root" archive "$day")
  sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
  read -r tar_s tar_kb < <(measure tar tar czf "$work/gnu.tar.gz" -C "$root" "raw/$day")
  ours_size=$(stat -c %s "$root/archive/$day.tar.gz"); tar_size=$(stat -c %s "$work/gnu.tar.gz")
  printf '| %s MiB | archive | %ss | %ss | %.2f× | %.4f | %s MiB |\n' "$mb" "$ours_s" "$tar_s" \
    "$(echo "$tar_s / $ours_s" | bc -l)" "$(echo "$ours_size / $tar_size" | bc -l)" "$((ours_kb / 1024))"

  read -r ours_s ours_kb < <(measure restore "${tool[@]}" --root "$root" restore "$day" --into "$work/ours-$mb")
  mkdir -p "$work/gnu-$mb"
  read -r tar_s tar_kb < <(measure untar tar xzf "$work/gnu.tar.gz" -C "$work/gnu-$mb")
  diff -r "$work/ours-$mb/raw/$day" "$root/raw/$day" >/dev/null
  printf '| %s MiB | restore | %ss | %ss | %.2f× | | %s MiB |\n' "$mb" "$ours_s" "$tar_s" \
    "$(echo "$tar_s / $ours_s" | bc -l)" "$((ours_kb / 1024))"
  rm -rf "$root" "$work/ours-$mb" "$work/gnu-$mb" "$work/gnu.tar.gz"
done
