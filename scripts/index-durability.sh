#!/usr/bin/env bash
# Runs the hash index's crash tests with more trials than CI: N SIGKILL trials
# (tests/Overlay.Runtime.Tests/Durability/HashIndexKillTests.cs, CI: 100) and M crash images a
# history (HashIndexCrashImageTests.cs, CI: 300).
set -euo pipefail
cd "$(dirname "$0")/.."
trials="${1:-1000}"
images="${2:-3000}"
OVERLAY_INDEX_KILL_TRIALS="$trials" OVERLAY_INDEX_CRASH_IMAGES="$images" dotnet test tests/Overlay.Runtime.Tests -c Release \
  --filter "FullyQualifiedName~HashIndexKillTests|FullyQualifiedName~HashIndexCrashImageTests" --logger "console;verbosity=detailed"
