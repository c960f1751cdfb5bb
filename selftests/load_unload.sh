#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# synfw loads and unloads 20 times, in the initial namespace and with other
# namespaces coming and going, and leaves nothing behind: no reference held
# on the module, no counters file, no slab cache, no kernel complaint. It
# depends on no other module.

source "$(dirname "$0")/lib.sh"

require_root
require_cmd insmod rmmod
[ -e "$SYNFW_KO" ] || skip "$SYNFW_KO not built (make)"
grep -q '^synfw ' /proc/modules && { fail "synfw already loaded"; finish; }

# The columns, in the order Documentation/synfw.rst gives them.
columns="syn_received synack_sent cookie_valid cookie_invalid flows_created flows_refused server_rst syn_retrans handshake_timeout idle_timeout data_held data_dropped adopted unknown_dropped bad_checksum malformed illegal_flags land martian bad_options out_of_window rst_challenged spoof_alerts unconfirmed evicted auth_passed auth_dropped wrong_path"

check_header()
{
	local got

	got=$(head -n 1 /proc/net/stat/synfw)
	[ "$got" = "$columns" ] && return 0
	fail "counter columns: expected '$columns', got '$got'"
	return 1
}

# insmod must work on a router where nothing else is loaded: no symbol of
# an optional module (nf_conntrack, nf_tables...) may be a hard dependency.
check_eq "no module dependency" "" "$(modinfo -F depends "$SYNFW_KO")"

slab_before=$(synfw_slab_objects)
bad=0
for i in $(seq 20); do
	synfw_load
	ns=synfw-lu-$suffix-$i
	ip netns add "$ns"
	# Each namespace has its own counters, created with it.
	[ -r /proc/net/stat/synfw ] || { fail "cycle $i: no /proc/net/stat/synfw"; bad=1; }
	nsx "$ns" test -r /proc/net/stat/synfw || { fail "cycle $i: no counters in new netns"; bad=1; }
	rows=$(nsx "$ns" tail -n +2 /proc/net/stat/synfw | wc -l)
	[ "$rows" = "$(nproc --all)" ] || { fail "cycle $i: $rows counter rows for $(nproc --all) CPUs"; bad=1; }
	check_header || bad=1
	refcnt=$(cat /sys/module/synfw/refcnt)
	[ "$refcnt" = 0 ] || { fail "cycle $i: module refcount $refcnt"; bad=1; }
	# Half the cycles unload with the namespace still alive: its state must
	# go with the module; the other half free it first.
	[ $((i % 2)) = 0 ] && ip netns del "$ns"
	synfw_unload
	[ $((i % 2)) = 1 ] && ip netns del "$ns"
	[ -e /sys/module/synfw ] && { fail "cycle $i: /sys/module/synfw remains"; bad=1; }
	[ -e /proc/net/stat/synfw ] && { fail "cycle $i: counters file remains"; bad=1; }
	[ "$bad" = 0 ] || break
done
[ "$bad" = 0 ] && pass "20 load/unload cycles"
check_eq "synfw slab objects after unload" "$slab_before" "$(synfw_slab_objects)"
check_eq "synfw slab caches after unload" 0 "$(grep -c '^synfw' /proc/slabinfo)"
finish
