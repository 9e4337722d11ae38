// SPDX-License-Identifier: GPL-2.0
/*
 * Per-network-namespace state: every namespace has its own services,
 * connections, settings and counters, created with the namespace and
 * destroyed with it.
 */

#include "compat.h"
#include "pernet.h"
#include "service.h"
#include "dest.h"
#include "conn.h"
#include "hook.h"

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/random.h>
#include <net/netns/generic.h>

/* 0: each namespace's table sized from its conn_max (conn_hash.h). */
unsigned int vsd_conn_tab_bits __read_mostly;
module_param_named(conn_tab_bits, vsd_conn_tab_bits, uint, 0444);
MODULE_PARM_DESC(conn_tab_bits,
		 "log2 of the connection hash buckets per namespace (8..24; default 0: half of conn_max, 2^8..2^20)");

unsigned int vsd_conn_max_default __read_mostly = 1 << 20;
module_param_named(conn_max, vsd_conn_max_default, uint, 0444);
MODULE_PARM_DESC(conn_max,
		 "default connection limit per namespace (default 1048576)");

struct vsd_objects vsd_objects;

static unsigned int vsd_net_id __read_mostly;

/* IPVS's defaults, in seconds. */
static const unsigned int default_timeouts[VSD_CONN_S_MAX] = {
	[VSD_TCP_S_NONE]	= 2,
	[VSD_TCP_S_ESTABLISHED]	= 15 * 60,
	[VSD_TCP_S_SYN_SENT]	= 2 * 60,
	[VSD_TCP_S_SYN_RECV]	= 60,
	[VSD_TCP_S_FIN_WAIT]	= 2 * 60,
	[VSD_TCP_S_TIME_WAIT]	= 2 * 60,
	[VSD_TCP_S_CLOSE]	= 10,
	[VSD_TCP_S_CLOSE_WAIT]	= 60,
	[VSD_TCP_S_LAST_ACK]	= 30,
	[VSD_TCP_S_LISTEN]	= 2 * 60,
	[VSD_TCP_S_SYNACK]	= 2 * 60,
	[VSD_CONN_S_UDP]	= 5 * 60,
};

#define EST_INTERVAL (2 * HZ)

struct vsd_net *vsd_net(const struct net *net)
{
	return net_generic(net, vsd_net_id);
}

void vsd_settings_store(struct vsd_settings *dst,
			const struct vsd_settings *src)
{
	int i;

	for (i = 0; i < VSD_CONN_S_MAX; i++)
		WRITE_ONCE(dst->timeout[i], src->timeout[i]);
	WRITE_ONCE(dst->conn_max, src->conn_max);
	WRITE_ONCE(dst->hook, src->hook);
	WRITE_ONCE(dst->conntrack, src->conntrack);
	WRITE_ONCE(dst->expire_nodest_conn, src->expire_nodest_conn);
}

u64 vsd_counter_sum(struct vsd_net *vn, enum vsd_counter c)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(per_cpu_ptr(vn->counters, cpu)->c[c]);
	return sum;
}

/* The rate estimator: every 2 s while the namespace has services. */
static void est_work(struct work_struct *work)
{
	struct vsd_net *vn = container_of(to_delayed_work(work),
					  struct vsd_net, est_work);
	struct vsd_service *svc;
	struct vsd_dest *dest;
	bool any = false;

	rcu_read_lock();
	list_for_each_entry_rcu(svc, &vn->services, list) {
		vsd_stats_estimate(&svc->stats);
		list_for_each_entry_rcu(dest, &svc->dests, list)
			vsd_stats_estimate(&dest->stats);
		any = true;
		cond_resched_rcu();
	}
	rcu_read_unlock();
	if (any)
		queue_delayed_work(system_power_efficient_wq, &vn->est_work,
				   EST_INTERVAL);
}

void vsd_estimator_kick(struct vsd_net *vn)
{
	lockdep_assert_held(&vn->lock);
	if (!vn->exiting)
		queue_delayed_work(system_power_efficient_wq, &vn->est_work,
				   EST_INTERVAL);
}

static int __net_init vsd_net_init(struct net *net)
{
	struct vsd_net *vn = vsd_net(net);
	struct vsd_settings *st = &vn->settings;
	int i;

	vn->net = net;
	mutex_init(&vn->lock);
	INIT_LIST_HEAD(&vn->services);
	INIT_DELAYED_WORK(&vn->est_work, est_work);
	get_random_bytes(&vn->svc_key, sizeof(vn->svc_key));
	for (i = 0; i < VSD_CONN_S_MAX; i++)
		st->timeout[i] = default_timeouts[i] * HZ;
	st->conn_max = vsd_conn_max_default;
	st->hook = VSD_HOOK_PREROUTING;
	st->conntrack = 0;
	st->expire_nodest_conn = 1;
	vn->counters = alloc_percpu(struct vsd_counters);
	if (!vn->counters)
		return -ENOMEM;
	return 0;
}

/*
 * Teardown, the reverse of a namespace's life: services out (no new
 * connections), hooks off (no packet in flight after this), the rate
 * estimator stopped, then every connection freed, which drops the last
 * references on destinations and services (freed after a grace period).
 */
static void __net_exit vsd_net_exit(struct net *net)
{
	struct vsd_net *vn = vsd_net(net);

	mutex_lock(&vn->lock);
	vn->exiting = true;
	vsd_services_flush(vn);
	mutex_unlock(&vn->lock);
	vsd_hooks_unregister(vn);
	cancel_delayed_work_sync(&vn->est_work);
	vsd_conn_table_destroy(vn);
	free_percpu(vn->counters);
	mutex_destroy(&vn->lock);
}

static struct pernet_operations vsd_net_ops = {
	.init = vsd_net_init,
	.exit = vsd_net_exit,
	.id = &vsd_net_id,
	.size = sizeof(struct vsd_net),
};

int __init vsd_pernet_init(void)
{
	if (vsd_conn_tab_bits &&
	    (vsd_conn_tab_bits < 8 || vsd_conn_tab_bits > 24)) {
		pr_err("conn_tab_bits=%u out of range 8..24 (or 0)\n",
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

/* On unload, after every namespace and every RCU callback is gone. */
void vsd_objects_check(void)
{
	int s = atomic_read(&vsd_objects.services);
	int d = atomic_read(&vsd_objects.dests);
	int c = atomic_read(&vsd_objects.conns);

	if (s || d || c)
		pr_err("leak: %d services, %d destinations, %d connections left\n",
		       s, d, c);
}
