#!/bin/bash
# Start a throw-away single-node Ceph (Pacific 16.2, Debian 12 packages) with
# one monitor, one memstore OSD and a radosgw (beast) S3 endpoint on 127.0.0.1,
# the production S3 server the archive store's tests run against in CI.
#
#   sudo .ci/ceph-s3/start.sh     # installs packages if missing, starts, prints endpoint
#   .ci/ceph-s3/stop.sh           # stops the daemons (and deletes the data dir)
#   sudo .ci/ceph-s3/test.sh      # both around the S3 integration tests
#
# Everything lives in $CEPH_S3_DIR (default /tmp/kaggle-storage-ceph); nothing
# touches /etc/ceph or systemd.  Data is kept in RAM (memstore), lost on stop.
# The monitor binds the fixed ports 3300 and 6789: one such cluster per machine.
# Env knobs: CEPH_S3_DIR, S3_PORT (7480), S3_ACCESS_KEY, S3_SECRET_KEY,
#            S3_BUCKET (kaggle-storage-test, created empty),
#            MEMSTORE_BYTES (4 GiB: the OSD's capacity, allocated lazily).
set -euo pipefail

DIR=${CEPH_S3_DIR:-/tmp/kaggle-storage-ceph}
PORT=${S3_PORT:-7480}
AK=${S3_ACCESS_KEY:-AK}
SK=${S3_SECRET_KEY:-SK}
BUCKET=${S3_BUCKET:-kaggle-storage-test}
MEMSTORE_BYTES=${MEMSTORE_BYTES:-4294967296}
T0=$(date +%s.%N)
say() { printf '[ceph-s3 %6.1fs] %s\n' "$(awk -v a="$(date +%s.%N)" -v b="$T0" 'BEGIN{print a-b}')" "$*"; }

# --- packages -------------------------------------------------------------
if ! command -v radosgw >/dev/null || ! command -v ceph-mon >/dev/null || ! command -v ceph-osd >/dev/null \
   || ! command -v curl >/dev/null; then
  say "installing radosgw ceph-mon ceph-osd from Debian apt (about 50 s, 68 packages)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends radosgw ceph-mon ceph-osd curl
  say "packages installed"
fi

if [ -e "$DIR/ceph.conf" ]; then
  echo "ceph-s3: $DIR already exists; run .ci/ceph-s3/stop.sh first" >&2
  exit 1
fi
mkdir -p "$DIR"/{run,log,mon.a,osd.0}
FSID=$(cat /proc/sys/kernel/random/uuid)
CONF=$DIR/ceph.conf
export CEPH_CONF=$CONF

cat > "$CONF" <<EOF
[global]
fsid = $FSID
mon host = [v2:127.0.0.1:3300,v1:127.0.0.1:6789]
public addr = 127.0.0.1
public network = 127.0.0.0/8
ms bind ipv6 = false
auth cluster required = none
auth service required = none
auth client required = none
run dir = $DIR/run
log file = $DIR/log/\$name.log
pid file = $DIR/run/\$name.pid
keyring = $DIR/keyring
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon allow pool delete = true
mon max pg per osd = 1000
mon warn on pool no redundancy = false
mon warn on insecure global id reclaim allowed = false
mon data avail warn = 1
mon data avail crit = 0

[mon]
admin socket = $DIR/run/\$name.asok
mon data = $DIR/mon.\$id
mon cluster log file = $DIR/log/cluster.log

[osd]
admin socket = $DIR/run/\$name.asok
osd data = $DIR/osd.\$id
osd objectstore = memstore
memstore device bytes = $MEMSTORE_BYTES
osd crush update on start = true

[client.rgw.s3]
admin socket = $DIR/run/\$name.asok
# radosgw's built-in defaults are auth_client_required=cephx and
# ms_mon_client_mode=secure; 'secure' is impossible with auth=none (EACCES -13)
auth client required = none
ms mon client mode = crc
client mount timeout = 30
rgw frontends = beast endpoint=127.0.0.1:$PORT
rgw dns name = 127.0.0.1
rgw data = $DIR/rgw
log file = $DIR/log/rgw.log
EOF

# --- monitor --------------------------------------------------------------
say "creating monitor"
monmaptool --create --fsid "$FSID" --addv a "[v2:127.0.0.1:3300,v1:127.0.0.1:6789]" "$DIR/monmap" >/dev/null
ceph-authtool --create-keyring "$DIR/keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
ceph-mon -c "$CONF" --mkfs -i a --monmap "$DIR/monmap" --keyring "$DIR/keyring"
ceph-mon -c "$CONF" -i a
say "monitor started"
timeout 60 bash -c "until ceph -c '$CONF' mon stat >/dev/null 2>&1; do sleep 0.5; done"

# --- OSD (memstore) -------------------------------------------------------
OSD_UUID=$(cat /proc/sys/kernel/random/uuid)
OSD_ID=$(ceph -c "$CONF" osd new "$OSD_UUID")
[ "$OSD_ID" = 0 ] || { echo "unexpected osd id $OSD_ID" >&2; exit 1; }
ceph-osd -c "$CONF" -i 0 --mkfs --osd-uuid "$OSD_UUID" 2>>"$DIR/log/osd-mkfs.log"
ceph-osd -c "$CONF" -i 0
say "osd started, waiting for it to come up"
timeout 120 bash -c "until ceph -c '$CONF' osd dump 2>/dev/null | grep -q '^osd.0 up'; do sleep 0.5; done"
say "osd up"

# --- radosgw --------------------------------------------------------------
mkdir -p "$DIR/rgw"
radosgw -c "$CONF" -n client.rgw.s3
say "radosgw started, waiting for http://127.0.0.1:$PORT"
timeout 180 bash -c "until curl -fs -o /dev/null http://127.0.0.1:$PORT/; do sleep 0.5; done" \
  || { echo "radosgw did not answer; see $DIR/log/rgw.log" >&2; tail -30 "$DIR/log/rgw.log" >&2; exit 1; }
radosgw-admin -c "$CONF" user create --uid test --display-name test \
  --access-key "$AK" --secret-key "$SK" >"$DIR/user.json"
say "S3 user created"

# Debian's curl signs S3 requests itself; RGW wants the payload hash header with it.
curl -fsS --aws-sigv4 "aws:amz:us-east-1:s3" --user "$AK:$SK" -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" \
  -X PUT "http://127.0.0.1:$PORT/$BUCKET" -o /dev/null
say "bucket $BUCKET created"

cat <<EOF
S3 endpoint:       http://127.0.0.1:$PORT   (path-style; region us-east-1 / 'default')
bucket:            $BUCKET
AWS_ACCESS_KEY_ID=$AK
AWS_SECRET_ACCESS_KEY=$SK
ceph conf:         $CONF   (export CEPH_CONF=$CONF for ceph / radosgw-admin)
logs:              $DIR/log
EOF
