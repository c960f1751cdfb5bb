#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build, once, the debug lane's kernel from Debian's linux-source: a config
# tailored to the VM harness and the selftests (scripts/debug.config and
# selftests/config, everything built in) with KASAN, UBSAN, lockdep, RCU
# debugging, kmemleak, lockup detectors and LKDTM. The result is cached under
# /var/tmp, keyed by the source and the config fragments; prints the build
# directory (bzImage in arch/x86/boot/, the tree to build synfw.ko against).
set -euo pipefail
cd "$(dirname "$0")/.."

CACHE=${SYNFW_DEBUG_CACHE:-/var/tmp/synfw-debug-kernel}
tarball=$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | tail -n 1)
[ -n "$tarball" ] || { echo "debug-kernel: install linux-source-6.1 (scripts/deps.sh)" >&2; exit 1; }
name=$(basename "$tarball" .tar.xz)

# Everything built in: the config lines that ask for a module ask for =y.
fragment()
{
	cat scripts/debug.config
	sed -n 's/^\(CONFIG_[A-Z0-9_]*\)=m$/\1=y/; /^CONFIG_/p' selftests/config
}

key=$( { echo "$name"; stat -c %s "$tarball"; fragment; } | sha256sum | cut -c1-16)
build=$CACHE/build-$key
if [ -e "$build/.done" ]; then
	echo "$build"
	exit 0
fi

src=$CACHE/$name
if [ ! -e "$src/.unpacked" ]; then
	echo "debug-kernel: unpacking $tarball" >&2
	rm -rf "$src"
	mkdir -p "$CACHE"
	tar -C "$CACHE" -xJf "$tarball"
	touch "$src/.unpacked"
fi

rm -rf "$build"
mkdir -p "$build"
fragment >"$build/fragment.config"
make -s -C "$src" O="$build" ARCH=x86_64 KCONFIG_ALLCONFIG="$build/fragment.config" \
	allnoconfig 2>&1 | { grep -v "warning: override:" || true; } >&2
# A line that did not survive (a typo, an unmet dependency) would silently
# drop a detector or a feature a test needs.
missing=$(grep -E '^CONFIG_' "$build/fragment.config" | sort -u | while read -r line; do
	case "$line" in
	*=n) grep -qx "# ${line%=n} is not set" "$build/.config" || echo "$line" ;;
	*) grep -qx "$line" "$build/.config" || echo "$line" ;;
	esac
done)
if [ -n "$missing" ]; then
	echo "debug-kernel: not in the resulting config:" $missing >&2
	exit 1
fi
echo "debug-kernel: building in $build ($(nproc) jobs)" >&2
start=$(date +%s)
make -s -C "$src" O="$build" ARCH=x86_64 -j"$(nproc)" bzImage modules >&2
# modprobe of a built-in module succeeds only with modules.builtin installed.
make -s -C "$src" O="$build" ARCH=x86_64 INSTALL_MOD_PATH="$build/root" modules_install >&2
echo "debug-kernel: built in $(( $(date +%s) - start )) s" >&2
touch "$build/.done"
echo "$build"
