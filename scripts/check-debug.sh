#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check-debug: the debug lane. Builds, once, the debug kernel
# (scripts/debug-kernel.sh), then synfw.ko and the canary against it, and
# boots it twice under qemu:
#
#   1. the canary: LKDTM's use-after-free and tests/canary's lock inversion.
#      This run must fail, with both reports: a lane that cannot see them
#      proves nothing by passing.
#   2. the selftests in $DEBUG_SELFTESTS (default: all of them), with floods
#      scaled down by SYNFW_SCALE (KASAN under emulation is slow), judged by
#      vm-run's dmesg check (KASAN, UBSAN, lockdep, RCU, lockups) and by
#      kmemleak against a baseline (scripts/debug-guest.sh).
#
# Prints TAP lines, which scripts/check.sh counts.
set -u
cd "$(dirname "$0")/.."

build=$(scripts/debug-kernel.sh) || { echo "not ok 1 debug kernel: build failed"; exit 1; }
mod=${SYNFW_DEBUG_MOD:-/var/tmp/synfw-debug-mod}
rm -rf "$mod"
mkdir -p "$mod"
cp -r Kbuild module tests/canary "$mod/"
if ! make -s -C "$build" M="$mod" KCFLAGS=-Werror modules ||
   ! make -s -C "$build" M="$mod/canary" modules; then
	echo "not ok 1 debug kernel: synfw.ko or the canary does not build"
	exit 1
fi
make -s tools/connbench || { echo "not ok 1 debug lane: tools/connbench does not build"; exit 1; }
# pci=noacpi: under KASAN and emulation, ACPI's PCI routing method (_PRT)
# can run past the interpreter's loop timeout and stall the boot; the
# legacy routing table needs no AML (boot in 18 s instead of 50).
VM=(scripts/vm-run -q -K "$build" -m 3072 -a pci=noacpi)
rc=0

log=$(mktemp /var/tmp/synfw-canary.XXXXXX)
"${VM[@]}" -t 900 -- scripts/debug-canary.sh "$mod/canary/synfw_canary.ko" >"$log" 2>&1
canary_rc=$?
for report in 'KASAN: use-after-free' 'possible circular locking dependency'; do
	if [ "$canary_rc" != 0 ] && grep -q "$report" "$log"; then
		echo "ok 1 canary: the lane reports '$report'"
	else
		echo "not ok 1 canary: the lane missed '$report'"
		rc=1
	fi
done
[ "$rc" = 0 ] || cat "$log"
rm -f "$log"

tests=${DEBUG_SELFTESTS:-all}
[ "$tests" = all ] &&
	tests=$(make -s -C selftests -f Makefile -f - print-tests <<<'print-tests: ; @echo $(TEST_PROGS)')
"${VM[@]}" -t "${SYNFW_DEBUG_TIMEOUT:-5400}" -- env SYNFW_KO="$mod/synfw.ko" \
	SYNFW_SCALE="${SYNFW_SCALE:-10}" SYNFW_KSFT_DIR="$(scripts/ksrc.sh)/tools/testing/selftests" \
	scripts/debug-guest.sh $tests || rc=1
exit $rc
