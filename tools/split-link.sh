#!/bin/sh
# The release wasm's linker (set by xtask/src/toolchain.rs): links with the toolchain's own
# rust-lld (KYC_WASM_LD; rustc's arguments start with `-flavor wasm`), then splits
# the wasm at its `wasm_split` points (src/ui/later.rs) with wasm-split-cli (crates.io
# `wasm_split_cli_support`), before trunk's wasm-bindgen sees it:
# - the linked file is replaced by the main module, which wasm-bindgen then processes as usual;
# - the split modules and their loader `__wasm_split.js` go to $KYC_SPLIT_DIR, from where the
#   post-build hook (tools/compact-glue.mjs) puts them in dist/.
# Needs KYC_WASM_LD (the real linker) and KYC_SPLIT_DIR.
set -eu
"$KYC_WASM_LD" "$@"

# The output path: `-o <path>`, on the command line or in an @response file.
out=""
prev=""
for arg in "$@"; do
  case "$arg" in
    @*) found=$(awk 'p { print; exit } $0 == "-o" { p = 1 }' "${arg#@}") && [ -n "$found" ] && out=$found ;;
  esac
  if [ "$prev" = "-o" ]; then out=$arg; fi
  prev=$arg
done
if [ -z "$out" ]; then
  echo "split-link: cannot find the linker's output (-o)" >&2
  exit 1
fi
case "$out" in
  *.wasm) ;;
  *) exit 0 ;;
esac

rm -rf "$KYC_SPLIT_DIR"
mkdir -p "$KYC_SPLIT_DIR"
wasm-split-cli "$out" "$KYC_SPLIT_DIR" --out-name main
mv "$KYC_SPLIT_DIR/main.wasm" "$out"
