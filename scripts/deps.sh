#!/bin/sh
# Install every Debian package synfw's build, lint, tests and benchmarks need,
# and the debug lane's kernel build (bc to dwarves).
# Idempotent: quiet and fast when everything is already present.
set -eu

PKGS="build-essential make gcc clang llvm libclang-rt-14-dev pkg-config
linux-image-amd64 linux-headers-amd64 linux-source-6.1 linux-kbuild-6.1
qemu-system-x86 busybox-static kmod xz-utils zstd cpio
iproute2 iputils-ping ethtool nftables iptables conntrack netsniff-ng hping3
python3 python3-scapy iperf3 socat tcpdump nmap procps
sparse libsodium-dev valgrind linux-perf gnuplot-nox perl
bc bison flex libelf-dev libssl-dev dwarves"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${db:Status-Status}\n' "$p" 2>/dev/null | grep -qx installed ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "deps: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
