#!/usr/bin/env bash
# Installs Wine (Debian's wine64), which tests/Overlay.Wine.Tests needs to run the runtime's tests
# on the Windows back end. Called by .ci/run before every test run, so it returns at once, silently,
# when Wine is there; run it once on a developer machine.
set -euo pipefail
if [ -x /usr/lib/wine/wine64 ] || command -v wine64 >/dev/null 2>&1; then
    exit 0
fi
# apt-get needs root; a developer's shell usually is not.
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq wine64 >/dev/null
