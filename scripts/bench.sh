#!/usr/bin/env bash
# Benchmarks (npm run bench): each prints knet's figure beside a baseline measured in the same
# run. Runs inside a loopback-only network namespace like the tests.
set -euo pipefail
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/bootstrap.sh"
cd "$knet_root"
files=("$@")
[ "${#files[@]}" -gt 0 ] || files=(bench/*.bench.ts)
# The DNS benchmark drives dnsperf against knet's server and against Knot DNS, its peer.
if [[ " ${files[*]} " == *dns.bench.ts* ]]; then
  knet_debian_needs=("dnsperf:dnsperf" "/usr/sbin/knotd:knot")
  knet_debian_deps
fi
exec unshare --net -- bash -c '
  ip link set lo up
  node="$0"
  for f in "$@"; do echo "== $f"; "$node" --disable-warning=ExperimentalWarning "$f"; done
' "$KNET_NODE" "${files[@]}"
