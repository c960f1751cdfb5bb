// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU counters, shown in /proc/net/stat/synfw in the layout of
 * /proc/net/stat/synproxy: a header line of column names, then one line per
 * possible CPU of hexadecimal values. Readers sum the lines.
 */

#include <linux/proc_fs.h>
#include <linux/seq_file.h>

#include "netns.h"
#include "stats.h"

/* The first possible CPU at or after @cpu; position p > 0 stands for CPU p - 1. */
static void *cpu_from(struct seq_file *seq, int cpu, loff_t *pos)
{
	struct synfw_net *sn = synfw_pernet(seq_file_net(seq));

	for (; cpu < nr_cpu_ids; cpu++) {
		if (!cpu_possible(cpu))
			continue;
		*pos = cpu + 1;
		return per_cpu_ptr(sn->stats, cpu);
	}
	return NULL;
}

static const char * const names[SYNFW_STAT_MAX] = {
	[SYNFW_STAT_SYN_RECEIVED] = "syn_received",
	[SYNFW_STAT_SYNACK_SENT] = "synack_sent",
	[SYNFW_STAT_COOKIE_VALID] = "cookie_valid",
	[SYNFW_STAT_COOKIE_INVALID] = "cookie_invalid",
	[SYNFW_STAT_FLOWS_CREATED] = "flows_created",
	[SYNFW_STAT_FLOWS_REFUSED] = "flows_refused",
	[SYNFW_STAT_SERVER_RST] = "server_rst",
	[SYNFW_STAT_SYN_RETRANS] = "syn_retrans",
	[SYNFW_STAT_HANDSHAKE_TIMEOUT] = "handshake_timeout",
	[SYNFW_STAT_IDLE_TIMEOUT] = "idle_timeout",
	[SYNFW_STAT_DATA_HELD] = "data_held",
	[SYNFW_STAT_DATA_DROPPED] = "data_dropped",
	[SYNFW_STAT_ADOPTED] = "adopted",
	[SYNFW_STAT_UNKNOWN_DROPPED] = "unknown_dropped",
	[SYNFW_STAT_BAD_CHECKSUM] = "bad_checksum",
	[SYNFW_STAT_MALFORMED] = "malformed",
	[SYNFW_STAT_ILLEGAL_FLAGS] = "illegal_flags",
	[SYNFW_STAT_LAND] = "land",
	[SYNFW_STAT_MARTIAN] = "martian",
	[SYNFW_STAT_BAD_OPTIONS] = "bad_options",
	[SYNFW_STAT_OUT_OF_WINDOW] = "out_of_window",
	[SYNFW_STAT_RST_CHALLENGED] = "rst_challenged",
	[SYNFW_STAT_SPOOF_ALERTS] = "spoof_alerts",
	[SYNFW_STAT_UNCONFIRMED] = "unconfirmed",
	[SYNFW_STAT_EVICTED] = "evicted",
	[SYNFW_STAT_AUTH_PASSED] = "auth_passed",
	[SYNFW_STAT_AUTH_DROPPED] = "auth_dropped",
	[SYNFW_STAT_WRONG_PATH] = "wrong_path",
};

static void *seq_start(struct seq_file *seq, loff_t *pos)
{
	return *pos ? cpu_from(seq, *pos - 1, pos) : SEQ_START_TOKEN;
}

static void *seq_next(struct seq_file *seq, void *v, loff_t *pos)
{
	void *next = cpu_from(seq, *pos, pos);

	if (!next)
		(*pos)++;
	return next;
}

static void seq_stop(struct seq_file *seq, void *v)
{
}

static int seq_show(struct seq_file *seq, void *v)
{
	const struct synfw_stats *st = v;
	int i;

	if (v == SEQ_START_TOKEN) {
		for (i = 0; i < SYNFW_STAT_MAX; i++)
			seq_printf(seq, "%s%s", i ? " " : "", names[i]);
		seq_putc(seq, '\n');
		return 0;
	}

	for (i = 0; i < SYNFW_STAT_MAX; i++)
		seq_printf(seq, "%s%08llx", i ? " " : "", READ_ONCE(st->v[i]));
	seq_putc(seq, '\n');
	return 0;
}

static const struct seq_operations stats_seq_ops = {
	.start = seq_start,
	.next = seq_next,
	.stop = seq_stop,
	.show = seq_show,
};

int synfw_stats_init(struct net *net, struct synfw_net *sn)
{
	sn->stats = alloc_percpu(struct synfw_stats);
	if (!sn->stats)
		return -ENOMEM;

	if (!proc_create_net("synfw", 0444, net->proc_net_stat, &stats_seq_ops,
			     sizeof(struct seq_net_private)))
		goto err_free_stats;
	return 0;

err_free_stats:
	free_percpu(sn->stats);
	return -ENOMEM;
}

void synfw_stats_exit(struct net *net, struct synfw_net *sn)
{
	remove_proc_entry("synfw", net->proc_net_stat);
	free_percpu(sn->stats);
}
