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

measure() { # command... → prints "seconds rss_kb cpu_percent"
  local out; out=$(mktemp)
  /usr/bin/time -f "%e %M %P" -o "$out" "$@" >/dev/null
  tail -1 "$out" | tr -d '%'; rm -f "$out"
}
flush() { sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true; }
row() { # step, ours_s, ours_kb, other label, other_s, ours_cpu%, other_cpu%
  printf '| %s | %ss | %s%% | %s MiB | %s %ss | %s%% | %.2f× |\n' "$1" "$2" "$6" "$(($3 / 1024))" "$4" "$5" "$7" "$(echo "$5 / $2" | bc -l)"
}

"${gen[@]}" "$root/raw/$day" "$day" "$mb" real >/dev/null
largest=$(ls -S "$root/raw/$day" | head -1); largest_mb=$(( $(stat -c %s "$root/raw/$day/$largest") >> 20 ))
echo "day: $(ls "$root/raw/$day" | wc -l) files, $(du -sm "$root/raw/$day" | cut -f1) MiB, largest $largest ($largest_mb MiB)"
echo "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores (compare ratios of one run only)"
printf '| step | kaggle-storage | its CPU | its peak RSS | reference | its CPU | ratio (reference time / ours) |\n|---|---|---|---|---|---|---|\n'

flush; read -r s kb c < <(measure "${tool[@]}" --root "$root" archive "$day")
flush; read -r t _ tc < <(measure tar czf "$work/gnu.tar.gz" -C "$root" "raw/$day")
row archive "$s" "$kb" "tar czf" "$t" "$c" "$tc"
flush; read -r p _ pc < <(measure tar -I pigz -cf "$work/pigz.tar.gz" -C "$root" "raw/$day")
row archive "$s" "$kb" "tar -I pigz -cf" "$p" "$c" "$pc"
echo "sizes: ours $(stat -c %s "$root/archive/$day.tar.gz"), gnu $(stat -c %s "$work/gnu.tar.gz"), pigz $(stat -c %s "$work/pigz.tar.gz")"

# The generated day has no download manifest, which verify reports (exit 1); its work is the same.
flush; read -r s kb c < <(measure bash -c "${tool[*]} --root '$root' verify $day || true")
flush; read -r t _ tc < <(measure bash -c "gzip -t '$root/archive/$day.tar.gz' && sha256sum '$root'/raw/$day/* > /dev/null")
row verify "$s" "$kb" "gzip -t + sha256sum" "$t" "$c" "$tc"

flush; read -r s kb c < <(measure "${tool[@]}" --root "$root" restore "$day" --into "$work/ours")
mkdir -p "$work/gnu"; flush; read -r t _ tc < <(measure tar xzf "$work/gnu.tar.gz" -C "$work/gnu")
row restore "$s" "$kb" "tar xzf" "$t" "$c" "$tc"

# One small file of the archived day: ours inflates only the blocks that hold it (the live day is moved away so
# cat must read the archive); tar must inflate the archive up to the member and, without an index, to its end.
small=$(ls -Sr "$root/raw/$day" | awk 'NR == 1')
mv "$root/raw/$day" "$work/live-$day"
flush; read -r s kb c < <(measure bash -c "${tool[*]} --root '$root' cat $day '$small' > '$work/cat.out'")
mkdir -p "$work/one"; flush; read -r t _ tc < <(measure tar xzf "$work/gnu.tar.gz" -C "$work/one" "raw/$day/$small")
row "cat one file" "$s" "$kb" "tar xzf ARCHIVE one member" "$t" "$c" "$tc"
cmp "$work/cat.out" "$work/one/raw/$day/$small" && cmp "$work/cat.out" "$work/live-$day/$small" \
  && echo "cat: $small, $(stat -c %s "$work/cat.out") bytes, identical to tar's and the source's"
mv "$work/live-$day" "$root/raw/$day"; rm -rf "$work/one" "$work/cat.out"
rm -rf "$work/ours" "$work/gnu" "$work"/*.tar.gz

# In one process: the day written by the archive writer alone, then the read-back of verify and restore (every file
# hashed) as one gzip stream and block by block on
# every core with the writer's block table; two rounds each. Columns: mode, wall s, CPU s, archive bytes, blocks.
echo "in one process: the archive written (write), then read back whole with every file hashed, as one gzip stream (sequential) and block by block on every core (parallel):"
flush; "${gen[0]}" "${gen[1]}" inflate "$root" "$day" | awk '{ printf "  %-10s %6.2f s wall %6.2f s CPU (%s blocks)\n", $1, $2, $3, $5 }'

mkdir -p "$work/legacy/kaggle_raw" && mv "$root/raw/$day" "$work/legacy/kaggle_raw/$day" && rm -rf "$root"
"${tool[@]}" --root "$work/migrated" init >/dev/null
flush; read -r s kb c < <(measure "${tool[@]}" --root "$work/migrated" migrate --from "$work/legacy")
flush; read -r t _ tc < <(measure bash -c "cp -r '$work/legacy/kaggle_raw/$day' '$work/copy' && sync && sha256sum '$work/legacy/kaggle_raw/$day'/* '$work/copy'/* > /dev/null")
row migrate "$s" "$kb" "cp -r + sync + sha256sum ×2" "$t" "$c" "$tc"
