#!/usr/bin/env bash
# Benchmarks (npm run bench): each prints knet's figure beside a baseline measured in the same
# run. Runs inside a loopback-only network namespace like the tests.
set -euo pipefail
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/bootstrap.sh"
cd "$knet_root"
files=("$@")
[ "${#files[@]}" -gt 0 ] || files=(bench/*.bench.ts)
exec unshare --net -- bash -c '
  ip link set lo up
  node="$0"
  for f in "$@"; do echo "== $f"; "$node" --disable-warning=ExperimentalWarning "$f"; done
' "$KNET_NODE" "${files[@]}"
