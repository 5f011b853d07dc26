#!/usr/bin/env bash
# Builds the documentation site (docfx 2.81.0, pinned in .config/dotnet-tools.json) from docs/ and
# the runtime's XML documentation, into artifacts/site, with docfx's warnings as errors; then, with
# "serve", serves it on http://localhost:8080 (PORT=... for another port).
#
#   scripts/docs.sh          # build the site and check it (tests/Overlay.Docs.Tests: every link resolves)
#   scripts/docs.sh serve    # the same, then serve it
#
# CI builds and checks the site the same way: the tests in tests/Overlay.Docs.Tests run docfx.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

dotnet build tests/Overlay.Docs.Tests -c Release
dotnet test tests/Overlay.Docs.Tests -c Release --no-build

if [[ "${1:-}" == "serve" ]]; then
    dotnet tool restore
    dotnet docfx serve artifacts/site --port "${PORT:-8080}"
fi
