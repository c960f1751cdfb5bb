# SPDX-License-Identifier: GPL-2.0
#
# synfw: out-of-tree build, lint gates, host unit tests and VM selftests.

# The host may run a kernel without headers: build against the newest
# installed kernel tree rather than `uname -r`.
KDIR ?= $(lastword $(sort $(wildcard /lib/modules/*/build)))
KVER := $(notdir $(patsubst %/build,%,$(KDIR)))
# Debian's linux-source, unpacked in part, for checkpatch and kselftest.
KSRC ?= $(shell scripts/ksrc.sh)

MAKEFLAGS += --no-print-directory
VM := scripts/vm-run -q -k $(KVER)

all: module

module:
	@test -d "$(KDIR)" || { echo "no kernel build tree: install linux-headers-amd64 (scripts/deps.sh) or set KDIR" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C tests/unit clean
	$(MAKE) -C tests/fuzz clean
	$(MAKE) -C tests/bench clean
	$(MAKE) -C $(KDIR) M=$(CURDIR)/tests/canary clean
	rm -rf results/.tmp results/profile/.run tools/connbench selftests/__pycache__ .checkpatch-camelcase.git.

# Used inside the VM only: never on the host, whose kernel is not ours.
install: module
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_DIR=extra modules_install
	depmod -a $(KVER)

# Lint gates: W=1 with warnings as errors, sparse, checkpatch --strict.
lint: lint-w1 lint-sparse lint-checkpatch

lint-w1:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean >/dev/null
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 KCFLAGS=-Werror modules

lint-sparse:
	$(MAKE) -C $(KDIR) M=$(CURDIR) C=2 modules 2>&1 | tee .sparse.log
	@! grep -E '(warning|error):' .sparse.log && rm -f .sparse.log

lint-checkpatch:
	$(KSRC)/scripts/checkpatch.pl --strict --no-tree --show-types \
		--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG -q -f module/*.[ch]

unit:
	$(MAKE) -C tests/unit run

fuzz:
	$(MAKE) -C tests/fuzz run

# Selftests in the VM; SELFTESTS="a.sh b.sh" runs a subset.
selftests: module tools/connbench
	$(VM) -- $(MAKE) -C selftests run_tests KSFT_DIR=$(KSRC)/tools/testing/selftests \
		$(if $(SELFTESTS),TEST_PROGS="$(SELFTESTS)")

check:
	@scripts/check.sh

# The debug lane alone: KASAN, UBSAN, lockdep, kmemleak, every selftest
# (DEBUG_SELFTESTS="a.sh b.sh" for some).
check-debug:
	@scripts/check-debug.sh

# Everything, outside CI: both lanes with every selftest, and the stock lane
# again with checksum offload off.
check-full:
	@SYNFW_FULL=1 DEBUG_SELFTESTS=all scripts/check.sh

demo: module
	$(VM) -- scripts/demo.sh

tools/connbench: tools/connbench.c
	$(CC) -O2 -Wall -Wextra -Werror -o $@ $<

# Benchmarks in one VM boot; results in results/latest (BENCH_PACKETS,
# BENCH_ROUNDS, BENCH_CONNS and BENCH_FLOWS scale it).
bench: module tools/connbench
	rm -rf results/.tmp
	$(VM) -m 6144 -t 5400 -o results/.tmp -- env $(foreach v,BENCH_PACKETS BENCH_ROUNDS \
		BENCH_CONNS BENCH_FLOWS,$(if $($(v)),$(v)='$($(v))')) scripts/bench.sh
	rm -rf results/latest && mv results/.tmp/out results/latest && rm -rf results/.tmp
	{ echo "host: $$(nproc) CPUs, $$(awk -F': ' '/model name/ { print $$2; exit }' /proc/cpuinfo)"; \
	  echo "vm: $$(qemu-system-x86_64 --version | head -n 1), TCG, 2 vCPUs, 6 GiB"; \
	} >>results/latest/environment.txt
	rm -f results/latest/hold.*
	scripts/bench-plot.sh results/latest

# Profiles (issue 4), not tests: instructions per call of the core's hot
# paths on the host under callgrind (PROFILE_N iterations), and perf's
# cpu-clock samples in the VM under a SYN and a random-ACK flood
# (PERF_SECONDS each). Results in results/profile/.
profile:
	$(MAKE) -C tests/bench profile $(if $(PROFILE_N),PROFILE_N=$(PROFILE_N))

perf: module
	rm -rf results/profile/.run
	$(VM) -m 3072 -t 1800 -o results/profile/.run -- \
		env $(if $(PERF_SECONDS),PERF_SECONDS=$(PERF_SECONDS)) scripts/perf.sh
	python3 scripts/perf-report.py results/profile/.run/out results/profile/perf.md

.PHONY: all module clean install lint lint-w1 lint-sparse lint-checkpatch unit fuzz selftests check \
	check-debug check-full demo \
	profile perf
