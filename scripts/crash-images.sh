#!/usr/bin/env bash
# Runs the crash-state enumeration (tests/Overlay.Runtime.Tests/Durability/CrashImageTests.cs) with
# N power-loss images per writer history instead of CI's 500 (six histories: 6 N images in all),
# and prints each history's tally.
set -euo pipefail
cd "$(dirname "$0")/.."
images="${1:-5000}"
OVERLAY_CRASH_IMAGES="$images" dotnet test tests/Overlay.Runtime.Tests -c Release \
  --filter "FullyQualifiedName~CrashImageTests" --logger "console;verbosity=detailed"
