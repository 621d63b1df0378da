#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run calls this): installs what is missing, type-checks,
# then runs every test with node's test runner inside a network namespace of its own that has
# only loopback, so that no packet of a test can leave the machine.
# Arguments, if any, are test files or globs to run instead of the whole suite.
set -euo pipefail
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/bootstrap.sh"
cd "$knet_root"

echo "type-checking (tsc --noEmit)" >&2
"$KNET_NODE" node_modules/typescript/bin/tsc --noEmit -p .

if [ "$#" -eq 0 ]; then set -- 'src/**/*.test.ts' 'test/**/*.test.ts'; fi

# unshare --net: a fresh network namespace holding only `lo` (brought up here). Tests that
# build clusters create their own namespaces from inside it.
exec unshare --net -- bash -c '
  ip link set lo up
  exec "$0" --disable-warning=ExperimentalWarning --test --test-concurrency=2 --test-timeout=600000 "$@"
' "$KNET_NODE" "$@"
