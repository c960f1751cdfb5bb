#!/bin/sh
# Print the path of an unpacked Debian linux-source tree, unpacking the parts
# synfw uses (checkpatch, kselftest, netfilter sources to read) on first use.
set -eu
CACHE=${SYNFW_KSRC_CACHE:-/var/tmp/synfw-ksrc}
tarball=$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | tail -n 1)
[ -n "$tarball" ] || { echo "scripts/ksrc.sh: install linux-source-6.1" >&2; exit 1; }
name=$(basename "$tarball" .tar.xz)
dir=$CACHE/$name
if [ ! -e "$dir/.unpacked" ]; then
	mkdir -p "$CACHE"
	tar -C "$CACHE" -xJf "$tarball" "$name/scripts" "$name/tools/testing/selftests/kselftest" \
		"$name/tools/testing/selftests/kselftest.h" \
		"$name/tools/testing/selftests/kselftest_harness.h" \
		"$name/net/netfilter" "$name/net/ipv4" "$name/include/net"
	touch "$dir/.unpacked"
fi
echo "$dir"
