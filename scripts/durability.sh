#!/usr/bin/env bash
# Runs the process-crash test (tests/Overlay.Runtime.Tests/Durability/KillTests.cs) with N SIGKILL
# trials instead of CI's 200, four children at a time.
set -euo pipefail
cd "$(dirname "$0")/.."
trials="${1:-2000}"
OVERLAY_KILL_TRIALS="$trials" dotnet test tests/Overlay.Runtime.Tests -c Release \
  --filter "FullyQualifiedName~KillTests" --logger "console;verbosity=detailed"
