#!/usr/bin/env bash
# generate.sh ROOT compiles payments/broker/contracts into ROOT/build
# ({Name}.abi, {Name}.bin; contracts/test/ into build/test/) and writes the
# abigen v2 bindings: the contracts into ROOT/bindings, the test-only
# contracts into ROOT/internal/testcontracts. `make contracts` runs it with
# ROOT=payments/broker; `make check` runs it into a temporary ROOT and diffs.
#
# Environment: SOLC_MODULES, a node_modules directory holding the pinned solc
# (npm ci of package-lock.json); ABIGEN, the pinned abigen binary.
set -euo pipefail

root=${1:?usage: generate.sh ROOT}
here=$(cd "$(dirname "$0")" && pwd)
: "${SOLC_MODULES:?set SOLC_MODULES to a node_modules with solc}"
: "${ABIGEN:?set ABIGEN to the abigen binary}"

NODE_PATH=$SOLC_MODULES node "$here/compile.js" "$here/../contracts" "$root/build"

# bind DIR PKG TYPE BUILD: one binding file per contract, so the output
# order never depends on abigen's map iteration (--combined-json would).
bind() {
  local dir=$1 pkg=$2 type=$3 build=$4
  mkdir -p "$root/$dir"
  "$ABIGEN" --v2 --pkg "$pkg" --type "$type" \
    --abi "$root/$build/$type.abi" --bin "$root/$build/$type.bin" \
    --out "$root/$dir/$(tr '[:upper:]' '[:lower:]' <<<"$type").go"
}
bind bindings bindings TicketBroker build
bind bindings bindings ServiceRegistry build
bind internal/testcontracts testcontracts ReentrantRecipient build/test
