#!/usr/bin/env bash
# Runs the S3 archive store's integration tests (every class named S3*) against Ceph RADOS Gateway on loopback:
# starts it with start.sh (installing the Debian packages when missing), runs the tests with the real-endpoint
# settings, and stops the daemons again, also when the tests fail or the run is interrupted. Extra arguments go to
# `dotnet test` (CI adds its TRX logger). Run as root, after `dotnet build KaggleStorage.sln -c Release`.
set -uo pipefail
cd "$(dirname "$0")/../.."
here=.ci/ceph-s3
export CEPH_S3_DIR=${CEPH_S3_DIR:-/tmp/kaggle-storage-ceph}
export S3_PORT=${S3_PORT:-7480} S3_BUCKET=${S3_BUCKET:-kaggle-storage-test}
export S3_ACCESS_KEY=${S3_ACCESS_KEY:-kaggle-storage-test} S3_SECRET_KEY=${S3_SECRET_KEY:-kaggle-storage-test-secret}

trap 'bash "$here/stop.sh" >/dev/null 2>&1' EXIT
trap 'exit 130' INT TERM HUP

# A cluster that a killed run left in this folder holds the monitor's fixed ports; its pid files name it.
bash "$here/stop.sh" >/dev/null 2>&1
started=$(date +%s)
bash "$here/start.sh" || { echo "Ceph RGW did not start; see $CEPH_S3_DIR/log" >&2; exit 1; }
echo "Ceph RGW up in $(( $(date +%s) - started )) s (including any package install)"

tests=$(date +%s)
KAGGLE_STORAGE_S3_TEST_ENDPOINT="http://127.0.0.1:$S3_PORT" \
KAGGLE_STORAGE_S3_TEST_BUCKET="$S3_BUCKET" \
KAGGLE_STORAGE_S3_TEST_PATH_STYLE=true \
AWS_ACCESS_KEY_ID="$S3_ACCESS_KEY" AWS_SECRET_ACCESS_KEY="$S3_SECRET_KEY" AWS_REGION=us-east-1 \
AWS_EC2_METADATA_DISABLED=true \
  dotnet test tests/KaggleStorage.IntegrationTests -c Release --no-build \
    --filter "FullyQualifiedName~KaggleStorage.IntegrationTests.S3" "$@"
rc=$?
echo "S3 tests against Ceph RGW took $(( $(date +%s) - tests )) s"
exit $rc
