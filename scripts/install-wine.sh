#!/usr/bin/env bash
# Installs Wine (Debian's wine64), which tests/Overlay.Wine.Tests needs to run the runtime's tests
# on the Windows back end. Called by .ci/run; run it once on a developer machine (as root).
set -euo pipefail
if [ -x /usr/lib/wine/wine64 ] || command -v wine64 >/dev/null 2>&1; then
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq wine64 >/dev/null
