// SPDX-License-Identifier: GPL-2.0
/*
 * vsd: a layer-4 load-balancing director.  Module initialisation and
 * teardown only; each subsystem lives in its own file.
 */

#include "compat.h"
#include "version.h"
#include "pernet.h"
#include "sched.h"
#include "conn.h"
#include "netlink.h"

#include <uapi/linux/vsd.h>

#include <linux/init.h>
#include <linux/module.h>
#include <net/genetlink.h>

static int __init vsd_mod_init(void)
{
	int ret;

	ret = vsd_sched_init();
	if (ret < 0)
		goto err_sched;

	ret = vsd_conn_init();
	if (ret < 0)
		goto err_conn;

	ret = vsd_pernet_init();
	if (ret < 0)
		goto err_pernet;

	ret = vsd_genl_init();
	if (ret < 0)
		goto err_netlink;

	pr_info("version " VSD_VERSION " loaded\n");
	return 0;

err_netlink:
	vsd_pernet_uninit();
	rcu_barrier();
err_pernet:
	vsd_conn_uninit();
err_conn:
	vsd_sched_uninit();
err_sched:
	return ret;
}

static void __exit vsd_mod_exit(void)
{
	vsd_genl_uninit();
	vsd_pernet_uninit();
	/* Connections, destinations and services are freed by RCU. */
	rcu_barrier();
	vsd_conn_uninit();
	vsd_sched_uninit();
	vsd_objects_check();
	pr_info("version " VSD_VERSION " unloaded\n");
}

module_init(vsd_mod_init);
module_exit(vsd_mod_exit);
MODULE_LICENSE("GPL v2");
MODULE_DESCRIPTION("vsd: layer-4 load-balancing director");
MODULE_AUTHOR("The vsd developers");
MODULE_VERSION(VSD_VERSION);
MODULE_ALIAS_GENL_FAMILY(VSD_GENL_NAME);
