#!/bin/bash
# Stop the daemons .ci/ceph-s3/start.sh started in $CEPH_S3_DIR and remove that folder. Only the processes
# named by its pid files are signalled, so nothing else on the machine is touched.
# KEEP_DATA=1 keeps $CEPH_S3_DIR (logs) instead of deleting it.
set -u
DIR=${CEPH_S3_DIR:-/tmp/kaggle-storage-ceph}
for name in client.rgw.s3 osd.0 mon.a; do
  pidf=$DIR/run/$name.pid
  [ -f "$pidf" ] || continue
  pid=$(cat "$pidf")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    echo "stopped $name (pid $pid)"
  fi
done
if [ "${KEEP_DATA:-0}" != 1 ]; then rm -rf "$DIR"; echo "removed $DIR"; fi
