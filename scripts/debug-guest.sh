#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Inside the debug VM (scripts/check-debug.sh): the selftests named in $@ on
# the debug kernel, then a kmemleak verdict. Leaks are judged against a
# baseline taken before synfw is first loaded: what the boot, 9p and virtio
# left unreferenced by then is marked as seen, so that only leaks made from
# here on count.
set -u
cd "$(dirname "$0")/.."

KMEMLEAK=/sys/kernel/debug/kmemleak
# kmemleak reports only objects older than this (jiffies_min_age).
MIN_AGE=6

scan()
{
	sleep "$MIN_AGE"
	echo scan >"$KMEMLEAK"
	echo scan >"$KMEMLEAK"
}

[ -w "$KMEMLEAK" ] || { echo "debug-guest: no kmemleak in this kernel" >&2; exit 1; }
# Scans happen when asked, not on kmemleak's own clock in the middle of a test.
echo scan=off >"$KMEMLEAK"
scan
echo clear >"$KMEMLEAK"

make -C selftests run_tests KSFT_DIR="$SYNFW_KSFT_DIR" TEST_PROGS="$*"
rc=$?

grep -q '^synfw ' /proc/modules && rmmod synfw
# Objects freed after a grace period must be gone before the verdict.
sleep 2
scan
if [ -s "$KMEMLEAK" ]; then
	echo "not ok 1000 kmemleak: new unreferenced objects"
	head -n 120 "$KMEMLEAK"
	exit 1
fi
echo "ok 1000 kmemleak: no new unreferenced object"
exit $rc
