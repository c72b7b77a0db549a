#!/usr/bin/env bash
# `kaggle-storage download` on a large zip served from loopback by a minimal fake of Kaggle (RPC API, redirect to a
# storage URL), against `curl` of the same storage URL and against the bash it replaces (curl, unzip, sha256sum).
# Reports wall time, throughput and peak RSS of each, as ratios measured in the same run. The zip is stored (not
# deflated) so its size is the size on the wire. Not part of CI; needs about 4x the zip size of free disk.
#   usage: tests/KaggleStorage.Benchmarks/download-memory.sh [zip MiB]    (default: 2048)
set -euo pipefail
cd "$(dirname "$0")/../.."
mb="${1:-2048}"
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
command -v unzip >/dev/null || { apt-get update -qq && apt-get install -y -qq unzip >/dev/null; }
for project in src/KaggleStorage.Tool tests/KaggleStorage.Benchmarks; do
  dotnet build -c Release "$project" -v q -nologo >/dev/null || { echo "build of $project failed" >&2; exit 1; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/ks-download.XXXXXX")
port=$((20000 + RANDOM % 20000))
cleanup() { [ -n "${server:-}" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

dotnet tests/KaggleStorage.Benchmarks/bin/Release/net10.0/KaggleStorage.Benchmarks.dll generate "$work/csv" 20241026 "$mb" >/dev/null
(cd "$work/csv" && python3 -c "import sys, zipfile, os
with zipfile.ZipFile('../dataset.zip', 'w', zipfile.ZIP_STORED, allowZip64=True) as z:
    [z.write(f) for f in sorted(os.listdir('.'))]")
rm -rf "$work/csv"
python3 tests/KaggleStorage.Benchmarks/fake_kaggle.py "$work/dataset.zip" "$port" & server=$!
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$port/api/v1/datasets/view/b/b" && break; sleep 0.1; done
size=$(stat -c %s "$work/dataset.zip")
url="http://127.0.0.1:$port/storage/data.zip?X-Goog-Signature=bench"

measure() { # label, command...: prints "seconds kb"
  local out; out=$(mktemp)
  sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
  /usr/bin/time -f "%e %M" -o "$out" "${@:2}" >/dev/null
  cat "$out"; rm -f "$out"
}
read -r tool_s tool_kb < <(measure tool env KAGGLE_USERNAME=bench KAGGLE_KEY=bench-key \
  KaggleStorage__Kaggle__RpcBaseAddress="http://127.0.0.1:$port/v1/" \
  KaggleStorage__Kaggle__ApiBaseAddress="http://127.0.0.1:$port/api/v1/" \
  dotnet src/KaggleStorage.Tool/bin/Release/net10.0/kaggle-storage.dll --root "$work/store" download --date 20241026)
read -r curl_s curl_kb < <(measure curl curl -sS -o "$work/curl.zip" "$url")
read -r bash_s bash_kb < <(measure bash bash -c "curl -sS -o '$work/b.zip' '$url' && unzip -q -o '$work/b.zip' -d '$work/b' && (cd '$work/b' && sha256sum * > SHA256SUMS)")
cmp -s "$work/curl.zip" "$work/dataset.zip" || { echo "curl's copy differs from the served zip" >&2; exit 1; }

rate() { python3 -c "print(f'{$size / 1048576 / $1:.0f}')"; }
ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }
printf '| %s MiB zip | wall | MiB/s | peak RSS | time vs curl |\n|---|---|---|---|---|\n' "$((size / 1048576))"
printf '| kaggle-storage download (fetch, extract with CRC checks, SHA-256 manifest, publish) | %ss | %s | %s MiB | %s× |\n' "$tool_s" "$(rate "$tool_s")" "$((tool_kb / 1024))" "$(ratio "$tool_s" "$curl_s")"
printf '| curl -o (fetch only) | %ss | %s | %s MiB | 1.00× |\n' "$curl_s" "$(rate "$curl_s")" "$((curl_kb / 1024))"
printf '| curl + unzip + sha256sum | %ss | %s | %s MiB | %s× |\n' "$bash_s" "$(rate "$bash_s")" "$((bash_kb / 1024))" "$(ratio "$bash_s" "$curl_s")"
