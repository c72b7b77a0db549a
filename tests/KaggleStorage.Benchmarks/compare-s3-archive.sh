#!/usr/bin/env bash
# Archive, verify and restore of one real-shape day (162 files, heavy-tailed sizes) with the S3 archive store
# (s3rver on loopback) against the file system store on the same partition in the same run: wall time and peak RSS,
# to show that memory stays bounded (two multipart parts plus the parallel gzip blocks) whatever the day's size. Then `cat` of the day's smallest file from
# the bucket through a loopback relay that counts what the server sends: the bytes a one-file read fetches of the
# whole object. Not part of CI.
#   usage: tests/KaggleStorage.Benchmarks/compare-s3-archive.sh [MiB]     (default: 1024)
set -euo pipefail
cd "$(dirname "$0")/../.."
mb="${1:-1024}"
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
[ -f .ci/s3rver/node_modules/s3rver/bin/s3rver.js ] || npm install --no-audit --no-fund --prefix .ci/s3rver s3rver@3.7.1 >/dev/null
for project in src/KaggleStorage.Tool tests/KaggleStorage.Benchmarks; do
  dotnet build -c Release "$project" -v q -nologo >/dev/null || { echo "build of $project failed" >&2; exit 1; }
done
tool=(dotnet src/KaggleStorage.Tool/bin/Release/net10.0/kaggle-storage.dll)
work=$(mktemp -d "${TMPDIR:-/tmp}/ks-s3.XXXXXX")
cleanup() { [ -n "${server:-}" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
day=20241026

node .ci/s3rver/node_modules/s3rver/bin/s3rver.js -d "$work/s3" -a 127.0.0.1 -p 0 --configure-bucket bench > "$work/s3rver.log" 2>&1 & server=$!
for _ in $(seq 100); do grep -q "listening on" "$work/s3rver.log" && break; sleep 0.1; done
port=$(grep -o 'listening on [^ ]*' "$work/s3rver.log" | grep -o '[0-9]*$')
export AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_EC2_METADATA_DISABLED=true
s3=(env KaggleStorage__Archive__Store=s3 KaggleStorage__Archive__S3__Bucket=bench KaggleStorage__Archive__S3__ForcePathStyle=true
    KaggleStorage__Archive__S3__ServiceUrl="http://127.0.0.1:$port")

dotnet tests/KaggleStorage.Benchmarks/bin/Release/net10.0/KaggleStorage.Benchmarks.dll generate "$work/store/raw/$day" "$day" "$mb" real >/dev/null
# The generated day has no download manifest, so verify exits 1 for it; only its archive check matters here.
measure() { local out; out=$(mktemp); /usr/bin/time -f "%e %M" -o "$out" "$@" >>"$work/tool.log" 2>&1 || true; tail -1 "$out"; rm -f "$out"; }

printf '| %s MiB day | file system store | S3 store (s3rver) | S3 peak RSS |\n|---|---|---|---|\n' "$mb"
for step in archive verify restore; do
  args=("$step" "$day"); [ "$step" = restore ] && args+=(--into "$work/restored-fs")
  read -r fs_s fs_kb < <(measure "${tool[@]}" --root "$work/store" "${args[@]}")
  args=("$step" "$day"); [ "$step" = restore ] && args+=(--into "$work/restored-s3")
  read -r s3_s s3_kb < <(measure "${s3[@]}" "${tool[@]}" --root "$work/store" "${args[@]}")
  printf '| %s | %ss, %s MiB | %ss | %s MiB |\n' "$step" "$fs_s" "$((fs_kb / 1024))" "$s3_s" "$((s3_kb / 1024))"
done
grep -c "archive ok" "$work/tool.log" | xargs printf 'archives verified ok: %s of 2\n'
diff -r "$work/restored-fs" "$work/restored-s3" >/dev/null && echo "restored trees identical"

# One small file of the archived day from the bucket, with the live day out of the way: what the server sent.
mv "$work/store/raw/$day" "$work/live-$day"
small=$(cd "$work/live-$day" && ls -S | tail -1)
python3 - "$port" "$work/relay" <<'PY' & relay=$!
import socket, sys, threading
upstream, state = int(sys.argv[1]), sys.argv[2]
listener = socket.create_server(("127.0.0.1", 0))
open(state + ".port", "w").write(str(listener.getsockname()[1]))
total, lock = 0, threading.Lock()
def pipe(src, dst, count):
    global total
    try:
        while data := src.recv(1 << 16):
            if count:
                with lock:
                    total += len(data)
                    open(state + ".bytes", "w").write(str(total))
            dst.sendall(data)
    except OSError:
        pass
    finally:
        for s in (src, dst):
            try: s.shutdown(socket.SHUT_RDWR)
            except OSError: pass
def serve(client):
    server = socket.create_connection(("127.0.0.1", upstream))
    threading.Thread(target=pipe, args=(client, server, False), daemon=True).start()
    pipe(server, client, True)
while True:
    client, _ = listener.accept()
    threading.Thread(target=serve, args=(client,), daemon=True).start()
PY
for _ in $(seq 100); do [ -s "$work/relay.port" ] && break; sleep 0.1; done
relayed=(env KaggleStorage__Archive__Store=s3 KaggleStorage__Archive__S3__Bucket=bench KaggleStorage__Archive__S3__ForcePathStyle=true
    KaggleStorage__Archive__S3__ServiceUrl="http://127.0.0.1:$(cat "$work/relay.port")")
"${relayed[@]}" "${tool[@]}" --root "$work/store" cat "$day" "$small" > "$work/cat.out"
kill "$relay" 2>/dev/null
object=$(find "$work/s3" -type f -name "$day.tar.gz*" ! -name "*.index.json*" ! -name "*metadata*" -printf '%s\n' | sort -n | tail -1)
cmp -s "$work/cat.out" "$work/live-$day/$small" && same="bytes identical" || same="BYTES DIFFER"
printf 'cat of %s (%s B) from the bucket: the server sent %s B of a %s B object (%s)\n' \
  "$small" "$(stat -c %s "$work/live-$day/$small")" "$(cat "$work/relay.bytes" 2>/dev/null || echo 0)" "$object" "$same"
