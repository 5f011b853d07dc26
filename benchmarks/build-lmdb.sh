#!/usr/bin/env bash
# Builds liblmdb.so from the C sources the LightningDB package ships (wasm/mdb.c, wasm/midl.c):
# the package's own linux-x64 binary needs glibc 2.38, newer than some machines have (Debian 12:
# 2.36). IndexBenchmarks loads benchmarks/native/liblmdb.so when it exists (a DllImport resolver),
# else the package's. Run once after a restore:  benchmarks/build-lmdb.sh
set -euo pipefail
root="$(cd "$(dirname "$0")" && pwd)"
version=0.24.0
src="${NUGET_PACKAGES:-$HOME/.nuget/packages}/lightningdb/$version/wasm"
[ -f "$src/mdb.c" ] || { echo "no LMDB sources at $src: restore benchmarks/Overlay.Benchmarks first" >&2; exit 1; }
mkdir -p "$root/native"
cc -O2 -fPIC -shared -pthread -o "$root/native/liblmdb.so" "$src/mdb.c" "$src/midl.c"
echo "built $root/native/liblmdb.so from $src"
