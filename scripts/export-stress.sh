#!/usr/bin/env bash
# Runs the export-lifetime stress test (tests/Overlay.Runtime.Tests/Safety/ExportStressTests.cs)
# for ROUNDS rounds instead of CI's 8. Each round prints its seed; replay one with
#   OVERLAY_STRESS_SEED=<seed> scripts/export-stress.sh 1
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-200}"
OVERLAY_STRESS_ROUNDS="$rounds" dotnet test tests/Overlay.Runtime.Tests -c Release \
  --filter "FullyQualifiedName~ExportStressTests" --logger "console;verbosity=detailed"
