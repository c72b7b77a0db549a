#!/usr/bin/env bash
# The lifecycle model test, long: fresh random seeds of many steps each (downloads, ETL re-writes, archive, prune,
# restore, verify, status --check, migrate from a legacy folder, names that are not UTF-8 and SIGKILLs on a real
# store), every failure printed with its seed and steps
# for a replay with KAGGLE_STORAGE_MODEL_SEED / KAGGLE_STORAGE_MODEL_STEPS. CI runs the short seed set. Not part of CI.
#   usage: tests/KaggleStorage.Benchmarks/model-lifecycle.sh [seeds] [steps per seed]     (default: 20 150)
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet build KaggleStorage.sln -c Release -v q -nologo >/dev/null || { echo "build failed" >&2; exit 1; }
KAGGLE_STORAGE_MODEL_LONG=1 KAGGLE_STORAGE_MODEL_SEEDS="${1:-20}" KAGGLE_STORAGE_MODEL_STEPS="${2:-150}" \
  dotnet test tests/KaggleStorage.IntegrationTests -c Release --no-build --filter "FullyQualifiedName~LifecycleModelTests" \
  --logger "console;verbosity=normal"
