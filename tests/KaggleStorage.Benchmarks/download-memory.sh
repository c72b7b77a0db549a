#!/usr/bin/env bash
# Peak memory of `kaggle-storage download` on a large zip served from loopback by a minimal fake of Kaggle's API.
# The zip is stored (not deflated) so its size is the size on the wire. Not part of CI.
#   usage: tests/KaggleStorage.Benchmarks/download-memory.sh [zip MiB]    (default: 500)
set -euo pipefail
cd "$(dirname "$0")/../.."
mb="${1:-500}"
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
for project in src/KaggleStorage.Tool tests/KaggleStorage.Benchmarks; do
  dotnet build -c Release "$project" -v q -nologo >/dev/null || { echo "build of $project failed" >&2; exit 1; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/ks-download.XXXXXX")
port=$((20000 + RANDOM % 20000))
cleanup() { [ -n "${server:-}" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

dotnet tests/KaggleStorage.Benchmarks/bin/Release/net10.0/KaggleStorage.Benchmarks.dll generate "$work/csv" 20241026 "$mb" >/dev/null
(cd "$work/csv" && python3 -c "import sys, zipfile, os
with zipfile.ZipFile('../dataset.zip', 'w', zipfile.ZIP_STORED) as z:
    [z.write(f) for f in sorted(os.listdir('.'))]")
python3 tests/KaggleStorage.Benchmarks/fake_kaggle.py "$work/dataset.zip" "$port" & server=$!
sleep 1

out=$(mktemp)
KAGGLE_USERNAME=bench KAGGLE_KEY=bench-key KaggleStorage__Kaggle__ApiBaseAddress="http://127.0.0.1:$port/api/v1/" \
  /usr/bin/time -f "%e %M" -o "$out" dotnet src/KaggleStorage.Tool/bin/Release/net10.0/kaggle-storage.dll \
  --root "$work/store" download --date 20241026 >/dev/null
read -r seconds kb < "$out"
printf '| zip | download + extract + manifest | peak RSS |\n|---|---|---|\n'
printf '| %s MiB | %ss | %s MiB |\n' "$(( $(stat -c %s "$work/dataset.zip") / 1048576 ))" "$seconds" "$((kb / 1024))"
