// SPDX-License-Identifier: GPL-2.0
/*
 * The debug lane's canary: takes two mutexes in one order, then in the
 * other, at load. No deadlock happens (one thread), but lockdep must report
 * the inversion; a lane whose kernel stays quiet here cannot be trusted.
 * Loaded only in the debug VM, by scripts/debug-canary.sh.
 */

#include <linux/module.h>
#include <linux/mutex.h>

static DEFINE_MUTEX(canary_a);
static DEFINE_MUTEX(canary_b);

static int __init canary_init(void)
{
	mutex_lock(&canary_a);
	mutex_lock(&canary_b);
	mutex_unlock(&canary_b);
	mutex_unlock(&canary_a);

	mutex_lock(&canary_b);
	mutex_lock(&canary_a);
	mutex_unlock(&canary_a);
	mutex_unlock(&canary_b);
	return 0;
}

static void __exit canary_exit(void)
{
}

module_init(canary_init);
module_exit(canary_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lock inversion for the debug lane's canary");
