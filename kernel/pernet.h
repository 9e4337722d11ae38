/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VSD_PERNET_H
#define _VSD_PERNET_H

#include <uapi/linux/vsd.h>

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/siphash.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>

struct vsd_conn_table;

#define VSD_SVC_HASH_BITS 8

/*
 * Settings of one namespace (VSD_CMD_SET_CONFIG).  Written under
 * vsd_net.lock with WRITE_ONCE(), read by the data path with READ_ONCE().
 */
struct vsd_settings {
	unsigned int timeout[VSD_CONN_S_MAX];	/* jiffies, per state */
	unsigned int conn_max;
	u8 hook;				/* enum vsd_hook */
	u8 conntrack;
	u8 expire_nodest_conn;
};

/* Longest timeout accepted (persistence, protocol states), seconds. */
#define VSD_TIMEOUT_MAX (365 * 24 * 3600)

/* Publish new settings to the data path, field by field. */
void vsd_settings_store(struct vsd_settings *dst,
			const struct vsd_settings *src);

/* Per-CPU counters of what the data path dropped, by reason. */
enum vsd_counter {
	VSD_CNT_DROP_NO_CONN,
	VSD_CNT_DROP_NO_DEST,
	VSD_CNT_DROP_CONN_FULL,
	VSD_CNT_DROP_NOMEM,
	VSD_CNT_DROP_MALFORMED,
	VSD_CNT_DROP_XMIT,
	VSD_CNT_EVICTED,
	VSD_CNT_MAX
};

struct vsd_counters {
	u64 c[VSD_CNT_MAX];
};

/* The state of vsd in one network namespace. */
struct vsd_net {
	struct net *net;
	struct mutex lock;		/* serialises configuration changes */

	/* Services: hashed for the data path (RCU), listed for dumps. */
	struct hlist_head svc_table[1 << VSD_SVC_HASH_BITS];
	struct hlist_head fwm_table[1 << VSD_SVC_HASH_BITS];
	struct list_head services;	/* RCU; changes under lock */
	unsigned int num_services;
	unsigned int num_null_services;	/* port-0 catch-all services */
	unsigned int gen;		/* configuration generation, dumps */
	siphash_key_t svc_key;

	struct vsd_settings settings;
	struct vsd_conn_table *conns;	/* NULL until the first service */

	/* Netfilter hooks, registered while there are services. */
	bool hooks_registered;
	u8 hooks_placement;		/* enum vsd_hook of the registration */

	struct vsd_counters __percpu *counters;
	struct delayed_work est_work;	/* rate estimator, every 2 s */
	bool exiting;
};

/*
 * Objects alive, module-wide: created minus freed.  Checked on unload, where
 * anything left is a leak reported as "vsd: leak: ...".
 */
struct vsd_objects {
	atomic_t services;
	atomic_t dests;
	atomic_t conns;
};

extern struct vsd_objects vsd_objects;
void vsd_objects_check(void);

extern unsigned int vsd_conn_tab_bits;
extern unsigned int vsd_conn_max_default;

struct vsd_net *vsd_net(const struct net *net);

static inline void vsd_count(struct vsd_net *vn, enum vsd_counter c)
{
	this_cpu_inc(vn->counters->c[c]);
}

u64 vsd_counter_sum(struct vsd_net *vn, enum vsd_counter c);

/* Under vn->lock, when a service is linked: (re)start rate estimation. */
void vsd_estimator_kick(struct vsd_net *vn);

int vsd_pernet_init(void);
void vsd_pernet_uninit(void);

#endif /* _VSD_PERNET_H */
