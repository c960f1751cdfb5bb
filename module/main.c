// SPDX-License-Identifier: GPL-2.0
/*
 * synfw: a SYN-cookie firewall for Linux border routers.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

#include "flow.h"
#include "netns.h"
#include "params.h"
#include "version.h"

static int __init synfw_mod_init(void)
{
	int ret;

	ret = synfw_flow_cache_init();
	if (ret)
		return ret;
	ret = synfw_netns_init();
	if (ret)
		goto err_cache;
	pr_info("synfw " SYNFW_VERSION " loaded\n");
	return 0;

err_cache:
	synfw_flow_cache_exit();
	return ret;
}

static void __exit synfw_mod_exit(void)
{
	synfw_netns_exit();
	synfw_flow_cache_exit();
	synfw_params_exit();
	pr_info("synfw unloaded\n");
}

module_init(synfw_mod_init);
module_exit(synfw_mod_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("SYN-cookie firewall for border routers");
MODULE_VERSION(SYNFW_VERSION);
MODULE_AUTHOR("The synfw developers");
