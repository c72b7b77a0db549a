#!/usr/bin/env bash
# Adds new public symbols of the library to PublicAPI.Unshipped.txt (review the diff before committing).
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet format analyzers src/KaggleStorage/KaggleStorage.csproj --diagnostics RS0016 RS0017 --severity info
