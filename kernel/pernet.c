// SPDX-License-Identifier: GPL-2.0
/*
 * Per-network-namespace state: every namespace has its own services,
 * connections and settings, created with the namespace and destroyed with it.
 */

#include "compat.h"
#include "pernet.h"

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <net/netns/generic.h>

unsigned int vsd_conn_tab_bits __read_mostly = 16;
module_param_named(conn_tab_bits, vsd_conn_tab_bits, uint, 0444);
MODULE_PARM_DESC(conn_tab_bits,
		 "log2 of the connection hash buckets per namespace (8..24, default 16)");

unsigned int vsd_conn_max_default __read_mostly = 1 << 20;
module_param_named(conn_max, vsd_conn_max_default, uint, 0444);
MODULE_PARM_DESC(conn_max,
		 "default connection limit per namespace (default 1048576)");

static unsigned int vsd_net_id __read_mostly;

struct vsd_net *vsd_net(const struct net *net)
{
	return net_generic(net, vsd_net_id);
}

static int __net_init vsd_net_init(struct net *net)
{
	struct vsd_net *vn = vsd_net(net);

	vn->net = net;
	mutex_init(&vn->lock);
	return 0;
}

static void __net_exit vsd_net_exit(struct net *net)
{
	struct vsd_net *vn = vsd_net(net);

	mutex_destroy(&vn->lock);
}

static struct pernet_operations vsd_net_ops = {
	.init = vsd_net_init,
	.exit = vsd_net_exit,
	.id = &vsd_net_id,
	.size = sizeof(struct vsd_net),
};

int vsd_pernet_init(void)
{
	if (vsd_conn_tab_bits < 8 || vsd_conn_tab_bits > 24) {
		pr_err("conn_tab_bits=%u out of range 8..24\n",
		       vsd_conn_tab_bits);
		return -EINVAL;
	}
	if (!vsd_conn_max_default) {
		pr_err("conn_max must be at least 1\n");
		return -EINVAL;
	}
	return register_pernet_subsys(&vsd_net_ops);
}

void vsd_pernet_uninit(void)
{
	unregister_pernet_subsys(&vsd_net_ops);
}
