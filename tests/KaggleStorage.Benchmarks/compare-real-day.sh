#!/usr/bin/env bash
# One day shaped like the real dataset (162 files, heavy-tailed sizes; the largest about a sixth of the day) through
# archive, verify, restore, cat of one file and migrate, against GNU tar (gzip -6), tar with pigz, and cp + sync + sha256sum on the
# same data in the same run: wall time, ratios and peak RSS. Not part of CI.
#   usage: tests/KaggleStorage.Benchmarks/compare-real-day.sh [MiB]     (default: 2048; the real day is ~6500)
set -euo pipefail
cd "$(dirname "$0")/../.."
mb="${1:-2048}"
for tool in time pigz bc; do
  command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/bin/$tool" ] || { apt-get update -qq && apt-get install -y -qq "$tool" >/dev/null; }
done
for project in src/KaggleStorage.Tool tests/KaggleStorage.Benchmarks; do
  dotnet build -c Release "$project" -v q -nologo >/dev/null || { echo "build of $project failed" >&2; exit 1; }
done
tool=(dotnet src/KaggleStorage.Tool/bin/Release/net10.0/kaggle-storage.dll)
gen=(dotnet tests/KaggleStorage.Benchmarks/bin/Release/net10.0/KaggleStorage.Benchmarks.dll generate)
work=$(mktemp -d "${TMPDIR:-/tmp}/ks-real.XXXXXX")
trap 'rm -rf "$work"' EXIT
day=20251126
root="$work/store"

measure() { # command... → prints "seconds rss_kb"
  local out; out=$(mktemp)
  /usr/bin/time -f "%e %M" -o "$out" "$@" >/dev/null
  cat "$out"; rm -f "$out"
}
flush() { sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true; }
row() { # step, ours_s, ours_kb, other label, other_s
  printf '| %s | %ss | %s MiB | %s %ss | %.2f× |\n' "$1" "$2" "$(($3 / 1024))" "$4" "$5" "$(echo "$5 / $2" | bc -l)"
}

"${gen[@]}" "$root/raw/$day" "$day" "$mb" real >/dev/null
largest=$(ls -S "$root/raw/$day" | head -1); largest_mb=$(( $(stat -c %s "$root/raw/$day/$largest") >> 20 ))
echo "day: $(ls "$root/raw/$day" | wc -l) files, $(du -sm "$root/raw/$day" | cut -f1) MiB, largest $largest ($largest_mb MiB)"
printf '| step | kaggle-storage | its peak RSS | reference | ratio (reference time / ours) |\n|---|---|---|---|---|\n'

flush; read -r s kb < <(measure "${tool[@]}" --root "$root" archive "$day")
flush; read -r t _ < <(measure tar czf "$work/gnu.tar.gz" -C "$root" "raw/$day")
row archive "$s" "$kb" "tar czf" "$t"
flush; read -r p _ < <(measure tar -I pigz -cf "$work/pigz.tar.gz" -C "$root" "raw/$day")
row archive "$s" "$kb" "tar + pigz" "$p"
echo "sizes: ours $(stat -c %s "$root/archive/$day.tar.gz"), gnu $(stat -c %s "$work/gnu.tar.gz"), pigz $(stat -c %s "$work/pigz.tar.gz")"

# The generated day has no download manifest, which verify reports (exit 1); its work is the same.
flush; read -r s kb < <(measure bash -c "${tool[*]} --root '$root' verify $day || true")
flush; read -r t _ < <(measure bash -c "gzip -t '$root/archive/$day.tar.gz' && sha256sum '$root'/raw/$day/* > /dev/null")
row verify "$s" "$kb" "gzip -t + sha256sum" "$t"

flush; read -r s kb < <(measure "${tool[@]}" --root "$root" restore "$day" --into "$work/ours")
mkdir -p "$work/gnu"; flush; read -r t _ < <(measure tar xzf "$work/gnu.tar.gz" -C "$work/gnu")
row restore "$s" "$kb" "tar xzf" "$t"

# One small file of the archived day: ours inflates only the blocks that hold it (the live day is moved away so
# cat must read the archive); tar must inflate the archive up to the member and, without an index, to its end.
small=$(ls -Sr "$root/raw/$day" | awk 'NR == 1')
mv "$root/raw/$day" "$work/live-$day"
flush; read -r s kb < <(measure bash -c "${tool[*]} --root '$root' cat $day '$small' > '$work/cat.out'")
mkdir -p "$work/one"; flush; read -r t _ < <(measure tar xzf "$work/gnu.tar.gz" -C "$work/one" "raw/$day/$small")
row "cat one file" "$s" "$kb" "tar xzf ARCHIVE one member" "$t"
cmp "$work/cat.out" "$work/one/raw/$day/$small" && cmp "$work/cat.out" "$work/live-$day/$small" \
  && echo "cat: $small, $(stat -c %s "$work/cat.out") bytes, identical to tar's and the source's"
mv "$work/live-$day" "$root/raw/$day"; rm -rf "$work/one" "$work/cat.out"
rm -rf "$work/ours" "$work/gnu" "$work"/*.tar.gz

mkdir -p "$work/legacy/kaggle_raw" && mv "$root/raw/$day" "$work/legacy/kaggle_raw/$day" && rm -rf "$root"
flush; read -r s kb < <(measure "${tool[@]}" --root "$work/migrated" migrate --from "$work/legacy")
flush; read -r t _ < <(measure bash -c "cp -r '$work/legacy/kaggle_raw/$day' '$work/copy' && sync && sha256sum '$work/legacy/kaggle_raw/$day'/* '$work/copy'/* > /dev/null")
row migrate "$s" "$kb" "cp -r + sync + sha256sum ×2" "$t"
