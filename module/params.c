// SPDX-License-Identifier: GPL-2.0
/*
 * Module parameters, global to every network namespace. Each setter
 * validates the whole value and keeps the old one on error (-EINVAL), so a
 * bad write never leaves a half-applied configuration.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "params.h"

static int uint_set(const char *val, const struct kernel_param *kp)
{
	struct synfw_uint_param *p = kp->arg;
	unsigned int v;

	if (kstrtouint(val, 0, &v) || v < p->min || v > p->max)
		return -EINVAL;
	WRITE_ONCE(p->val, v);
	return 0;
}

static int uint_get(char *buf, const struct kernel_param *kp)
{
	const struct synfw_uint_param *p = kp->arg;

	return sysfs_emit(buf, "%u\n", READ_ONCE(p->val));
}

static const struct kernel_param_ops uint_ops = {
	.set = uint_set,
	.get = uint_get,
};

static int auto_set(const char *val, const struct kernel_param *kp)
{
	struct synfw_auto_param *p = kp->arg;
	int v;

	if (sysfs_streq(val, "auto")) {
		WRITE_ONCE(p->val, SYNFW_AUTO);
		return 0;
	}
	if (kstrtoint(val, 0, &v) || v < p->min || v > p->max)
		return -EINVAL;
	WRITE_ONCE(p->val, v);
	return 0;
}

static int auto_get(char *buf, const struct kernel_param *kp)
{
	const struct synfw_auto_param *p = kp->arg;
	int v = READ_ONCE(p->val);

	return v == SYNFW_AUTO ? sysfs_emit(buf, "auto\n") : sysfs_emit(buf, "%d\n", v);
}

static const struct kernel_param_ops auto_ops = {
	.set = auto_set,
	.get = auto_get,
};

struct synfw_auto_param synfw_mss = { .val = SYNFW_AUTO, .min = 536, .max = 9000 };
module_param_cb(mss, &auto_ops, &synfw_mss, 0644);
MODULE_PARM_DESC(mss,
		 "MSS the SYN/ACK advertises; auto: the server's (auto or 536-9000, default auto)");

struct synfw_auto_param synfw_wscale = { .val = SYNFW_AUTO, .min = 0, .max = 14 };
module_param_cb(wscale, &auto_ops, &synfw_wscale, 0644);
MODULE_PARM_DESC(wscale,
		 "Window scale the SYN/ACK advertises; auto: the server's (auto or 0-14, default auto)");

struct synfw_auto_param synfw_sack = { .val = SYNFW_AUTO, .min = 0, .max = 1 };
module_param_cb(sack, &auto_ops, &synfw_sack, 0644);
MODULE_PARM_DESC(sack,
		 "Whether the SYN/ACK permits SACK; auto: as the server (auto or 0-1, default auto)");

struct synfw_auto_param synfw_timestamps = { .val = SYNFW_AUTO, .min = 0, .max = 1 };
module_param_cb(timestamps, &auto_ops, &synfw_timestamps, 0644);
MODULE_PARM_DESC(timestamps,
		 "Whether the SYN/ACK carries timestamps; auto: as the server (auto or 0-1, default auto)");

struct synfw_auto_param synfw_ecn = { .val = SYNFW_AUTO, .min = 0, .max = 1 };
module_param_cb(ecn, &auto_ops, &synfw_ecn, 0644);
MODULE_PARM_DESC(ecn,
		 "Whether the SYN/ACK accepts ECN; auto: as the server (auto or 0-1, default auto)");

struct synfw_uint_param synfw_key_rotate_s = { .val = 30, .min = 1, .max = 86400 };
module_param_cb(key_rotate_s, &uint_ops, &synfw_key_rotate_s, 0644);
MODULE_PARM_DESC(key_rotate_s,
		 "Seconds between cookie secret rotations; a cookie lives one to two periods (1-86400, default 30)");

struct synfw_uint_param synfw_max_flows = { .val = 262144, .min = 1, .max = 16777216 };
module_param_cb(max_flows, &uint_ops, &synfw_max_flows, 0644);
MODULE_PARM_DESC(max_flows,
		 "Most spliced flows per network namespace (1-16777216, default 262144)");

struct synfw_uint_param synfw_handshake_timeout_s = { .val = 30, .min = 1, .max = 600 };
module_param_cb(handshake_timeout_s, &uint_ops, &synfw_handshake_timeout_s, 0644);
MODULE_PARM_DESC(handshake_timeout_s,
		 "Seconds to wait for the server's SYN/ACK before resetting the client (1-600, default 30)");

struct synfw_uint_param synfw_idle_timeout_s = { .val = 432000, .min = 1, .max = 2592000 };
module_param_cb(idle_timeout_s, &uint_ops, &synfw_idle_timeout_s, 0644);
MODULE_PARM_DESC(idle_timeout_s,
		 "Seconds without a packet before an open flow is reset at both ends (1-2592000, default 432000)");

struct synfw_uint_param synfw_close_timeout_s = { .val = 120, .min = 1, .max = 3600 };
module_param_cb(close_timeout_s, &uint_ops, &synfw_close_timeout_s, 0644);
MODULE_PARM_DESC(close_timeout_s,
		 "Seconds a closed or reset flow lingers for late segments (1-3600, default 120)");

struct synfw_uint_param synfw_adopt_s = { .val = 120, .min = 0, .max = 86400 };
module_param_cb(adopt_s, &uint_ops, &synfw_adopt_s, 0644);
MODULE_PARM_DESC(adopt_s,
		 "Seconds after protection starts during which unknown connections are adopted (0-86400, default 120)");

struct synfw_uint_param synfw_spoof_alert = { .val = 100, .min = 0, .max = 65535 };
module_param_cb(spoof_alert, &uint_ops, &synfw_spoof_alert, 0644);
MODULE_PARM_DESC(spoof_alert,
		 "Wrong cookies within a second from one source that raise a blind-spoofing alert (0 off, 0-65535, default 100)");

struct synfw_protect_param __rcu *synfw_protect;
struct synfw_protect_param __rcu *synfw_auth_pass;
static DEFINE_MUTEX(set_lock);

/* A set of destinations, protect's syntax; kp->arg is the pointer to publish it in. */
static int set_set(const char *val, const struct kernel_param *kp)
{
	struct synfw_protect_param __rcu **slot = kp->arg;
	static u32 gen;		/* under set_lock */
	struct synfw_protect_param *p, *old;
	size_t len = strnlen(val, SYNFW_PROTECT_STRLEN + 1);
	const char *err;

	if (len > SYNFW_PROTECT_STRLEN)
		return -EINVAL;
	p = kzalloc(struct_size(p, str, len + 1), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	if (synfw_protect_parse(val, &p->set, &err)) {
		pr_warn("%s: cannot parse \"%.*s\"\n", kp->name, (int)strcspn(err, ","), err);
		kfree(p);
		return -EINVAL;
	}
	memcpy(p->str, val, len);
	strim(p->str);
	p->since = jiffies;

	mutex_lock(&set_lock);
	p->gen = ++gen;
	old = rcu_replace_pointer(*slot, p, lockdep_is_held(&set_lock));
	mutex_unlock(&set_lock);
	if (old)
		kfree_rcu(old, rcu);
	return 0;
}

static int set_get(char *buf, const struct kernel_param *kp)
{
	struct synfw_protect_param __rcu **slot = kp->arg;
	const struct synfw_protect_param *p;
	int ret;

	rcu_read_lock();
	p = rcu_dereference(*slot);
	ret = sysfs_emit(buf, "%s\n", p ? p->str : "");
	rcu_read_unlock();
	return ret;
}

static const struct kernel_param_ops set_ops = {
	.set = set_set,
	.get = set_get,
};

module_param_cb(protect, &set_ops, &synfw_protect, 0644);
MODULE_PARM_DESC(protect,
		 "Protected destinations: ADDR[/PREFIX][:PORT[-PORT]],... (default: none)");

module_param_cb(auth_pass, &set_ops, &synfw_auth_pass, 0644);
MODULE_PARM_DESC(auth_pass,
		 "Protected destinations whose SYNs with TCP-MD5 or TCP-AO pass unproxied, not flood-protected (BGP peers): protect's syntax (default: none)");

void synfw_params_exit(void)
{
	kfree(rcu_dereference_protected(synfw_protect, 1));
	kfree(rcu_dereference_protected(synfw_auth_pass, 1));
}
