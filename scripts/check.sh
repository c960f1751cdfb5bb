#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: lint gates, host unit tests, a short fuzz pass, every selftest
# in the VM on Debian's kernel, then the debug lane (scripts/check-debug.sh:
# the canary and the selftests in DEBUG_SELFTESTS on a KASAN/lockdep/kmemleak
# kernel). Each gate, unit test and selftest counts once per lane in the
# final "N passed, N failed" line; a skipped selftest counts as failed, since
# every tool is installed where this runs. SYNFW_FULL=1 adds the stock lane
# with checksum offload off (make check-full).

set -u
cd "$(dirname "$0")/.."

passed=0
failed=0
failures=()
LOG=$(mktemp -d /var/tmp/synfw-check.XXXXXX)
trap 'rm -rf "$LOG"' EXIT
FUZZ_SECONDS=${FUZZ_SECONDS:-30}
# The debug lane's share of make check (and CI); "all" for every selftest.
export DEBUG_SELFTESTS=${DEBUG_SELFTESTS-"load_unload.sh handshake.sh teardown.sh adopt.sh
	unload.sh icmp.sh limits.sh attacks.sh reentry.sh learn.sh lifecycle.sh stress.sh trust.sh"}
[ "$DEBUG_SELFTESTS" = all ] && DEBUG_SELFTESTS=""

# gate NAME COMMAND...: one pass or fail, output kept for a failure.
gate()
{
	local name=$1

	shift
	echo "== $name"
	if "$@" >"$LOG/$name" 2>&1; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		failures+=("$name")
		tail -n 40 "$LOG/$name"
	fi
}

# counted NAME PATTERN COMMAND...: a stage whose tests are counted from its
# output, "N passed, N failed" (unit) or TAP lines (selftests).
counted()
{
	local name=$1 kind=$2 p f rc

	shift 2
	echo "== $name"
	"$@" 2>&1 | tee "$LOG/$name"
	rc=${PIPESTATUS[0]}
	if [ "$kind" = summary ]; then
		read -r p f < <(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' \
			"$LOG/$name" | tail -n 1)
	else
		# Each test once: a failed VM run shows its console a second time.
		grep -E '^(not )?ok [0-9]+ ' "$LOG/$name" | sort -u >"$LOG/$name.tap"
		p=$(grep -Ec '^ok [0-9]+ ' "$LOG/$name.tap")
		f=$(grep -Ec '^not ok [0-9]+ |^ok [0-9]+ .*# SKIP' "$LOG/$name.tap")
		p=$((p - $(grep -Ec '^ok [0-9]+ .*# SKIP' "$LOG/$name.tap")))
	fi
	p=${p:-0}
	f=${f:-0}
	# A stage that failed without a failed test (a build error, a dead VM)
	# still fails.
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		f=1
	fi
	[ "$f" = 0 ] || failures+=("$name")
	passed=$((passed + p))
	failed=$((failed + f))
}

gate w1-build make lint-w1
gate sparse make lint-sparse
gate checkpatch make lint-checkpatch
counted unit summary make unit
gate fuzz make fuzz FUZZ_SECONDS="$FUZZ_SECONDS"
gate module make module
counted selftests tap make selftests
[ "${SYNFW_FULL:-0}" = 1 ] && counted selftests-offload-off tap env SYNFW_OFFLOAD=off make selftests
counted debug tap scripts/check-debug.sh

echo
echo "make check took $((SECONDS / 60)) min $((SECONDS % 60)) s"
[ ${#failures[@]} = 0 ] || echo "failed stages: ${failures[*]}"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
