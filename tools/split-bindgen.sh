#!/bin/sh
# trunk's wasm-bindgen in the release build (linked as `wasm-bindgen` in the size toolchain's
# PATH directory by xtask/src/toolchain.rs): the real one ($KYC_WASM_BINDGEN), told to keep the
# function table's export. The second wasm module (tools/split-link.sh) imports that table:
# it calls the main module's functions through it and adds its own.
set -eu
case "${1:-}" in
  --version | -V) exec "$KYC_WASM_BINDGEN" "$@" ;;
esac
exec "$KYC_WASM_BINDGEN" --keep-lld-exports "$@"
