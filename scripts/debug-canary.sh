#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Inside the debug VM: make the kernel report a use-after-free (LKDTM) and a
# lock inversion (tests/canary). scripts/check-debug.sh expects this run to
# fail with both reports; a lane that stays quiet here proves nothing.
set -u
# Lock inversion first: a KASAN report taints the kernel in a way that
# turns lockdep off.
insmod "$1"
rmmod synfw_canary
echo READ_AFTER_FREE >/sys/kernel/debug/provoke-crash/DIRECT
exit 0
