/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VSD_SERVICE_H
#define _VSD_SERVICE_H

#include "stats.h"
#include "addr.h"

#include <linux/list.h>
#include <linux/netfilter.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/spinlock.h>

struct vsd_net;
struct vsd_sched;

/*
 * What identifies a service: (af, protocol, addr, port), or (af, fwmark)
 * for a firewall-mark service (then protocol, addr and port are zero).
 */
struct vsd_service_key {
	union nf_inet_addr addr;
	u32 fwmark;
	__be16 port;
	u16 af;
	u16 protocol;
};

/*
 * A virtual service.  Found by the data path under RCU (vsd_service_find),
 * changed under vsd_net.lock.  A service holds a reference on itself while
 * it is linked; each of its destinations holds one, so a destination still
 * used by connections keeps its service's counters alive after deletion.
 */
struct vsd_service {
	struct hlist_node hnode;	/* vsd_net.svc_table or .fwm_table */
	struct list_head list;		/* vsd_net.services */
	struct rcu_head rcu;
	refcount_t refcnt;
	struct vsd_net *vn;

	struct vsd_service_key key;
	u32 flags;			/* VSD_SVC_F_* */
	unsigned int timeout;		/* persistence, jiffies; 0: none */
	u8 netmask;			/* persistence prefix length */
	union nf_inet_addr mask;	/* netmask as an address mask */
	bool linked;			/* in the tables (under vn->lock) */

	struct list_head dests;		/* RCU list of vsd_dest */
	unsigned int num_dests;
	struct vsd_sched __rcu *sched;	/* the scheduler and its state */

	struct vsd_stats stats;
};

static inline bool vsd_service_key_equal(const struct vsd_service_key *a,
					 const struct vsd_service_key *b)
{
	if (a->af != b->af || a->fwmark != b->fwmark)
		return false;
	if (a->fwmark)
		return true;
	return a->protocol == b->protocol && a->port == b->port &&
	       vsd_addr_equal(a->af, &a->addr, &b->addr);
}

/* Data path: the service a packet is for, or NULL.  Under RCU. */
struct vsd_service *vsd_service_find(struct vsd_net *vn, u16 af, u16 proto,
				     const union nf_inet_addr *daddr,
				     __be16 dport, u32 mark);

/* Control path, under vn->lock. */
struct vsd_service *vsd_service_lookup(struct vsd_net *vn,
				       const struct vsd_service_key *key);
/* A new, unlinked service holding one reference (GFP_KERNEL). */
struct vsd_service *vsd_service_alloc(struct vsd_net *vn,
				      const struct vsd_service_key *key);
/* Into the tables: the data path sees it from now on. */
void vsd_service_link(struct vsd_service *svc);
/* Out of the tables with its destinations; drops the linked reference. */
void vsd_service_unlink(struct vsd_service *svc);
void vsd_service_get(struct vsd_service *svc);
void vsd_service_put(struct vsd_service *svc);
/* Unlink every service of the namespace and unregister its hooks. */
void vsd_services_flush(struct vsd_net *vn);

#endif /* _VSD_SERVICE_H */
