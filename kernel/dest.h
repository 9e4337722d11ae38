/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VSD_DEST_H
#define _VSD_DEST_H

#include "stats.h"

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/netfilter.h>
#include <linux/rcupdate.h>
#include <linux/minmax.h>
#include <linux/refcount.h>
#include <linux/spinlock.h>

struct vsd_service;

/* vsd_dest.flags (atomic bit numbers) */
enum {
	VSD_DEST_AVAILABLE,	/* linked in its service */
	VSD_DEST_OVERLOAD,	/* at its upper connection threshold */
};

/*
 * A real server of a service.  Linked in svc->dests (RCU) while it belongs
 * to the service; each connection bound to it holds a reference, so it
 * lives on, unlinked, while connections drain.  Parameters the control path
 * edits (fwd, weight, thresholds) are read with READ_ONCE().
 */
struct vsd_dest {
	struct list_head list;		/* svc->dests */
	struct rcu_head rcu;
	refcount_t refcnt;
	struct vsd_service *svc;	/* holds a reference */

	union nf_inet_addr addr;
	__be16 port;
	u16 af;
	u8 fwd;				/* enum vsd_fwd */
	unsigned long flags;		/* VSD_DEST_* bits */
	int weight;			/* 0..VSD_WEIGHT_MAX; 0: quiesced */
	u32 u_thresh;			/* 0: no limit */
	u32 l_thresh;			/* as configured; 0: 3/4 of u_thresh */
	u32 l_thresh_val;		/* the lower threshold in effect */
	spinlock_t lock;		/* overload flag against thresholds */

	atomic_t activeconns;		/* established (TCP) */
	atomic_t totalconns;		/* all but templates */
	atomic_t persistconns;		/* persistence templates */

	struct vsd_stats stats;
};

static inline bool vsd_dest_available(const struct vsd_dest *dest)
{
	return test_bit(VSD_DEST_AVAILABLE, &dest->flags);
}

/* May the scheduler pick it for a new connection? */
static inline bool vsd_dest_usable(const struct vsd_dest *dest)
{
	return READ_ONCE(dest->weight) > 0 &&
	       !test_bit(VSD_DEST_OVERLOAD, &dest->flags);
}

static inline void vsd_dest_get(struct vsd_dest *dest)
{
	refcount_inc(&dest->refcnt);
}

/*
 * A reference on a destination a scheduler just picked under RCU: it may
 * have been unlinked meanwhile, its last reference gone.  False then, and
 * the caller treats it as no destination.
 */
static inline bool vsd_dest_tryget(struct vsd_dest *dest)
{
	return refcount_inc_not_zero(&dest->refcnt);
}

void vsd_dest_put(struct vsd_dest *dest);

/* Control path, under vsd_net.lock. */
struct vsd_dest *vsd_dest_lookup(struct vsd_service *svc, u16 af,
				 const union nf_inet_addr *addr, __be16 port);
/* A new destination, unlinked, holding one reference (GFP_KERNEL). */
struct vsd_dest *vsd_dest_alloc(u16 af, const union nf_inet_addr *addr,
				__be16 port);
void vsd_dest_set_params(struct vsd_dest *dest, u8 fwd, int weight,
			 u32 u_thresh, u32 l_thresh);
/* Into svc->dests (takes over the reference), and out of it again. */
void vsd_dest_link(struct vsd_service *svc, struct vsd_dest *dest);
void vsd_dest_unlink(struct vsd_dest *dest);

/*
 * Connection accounting, IPVS's: a new connection counts as inactive, TCP
 * moves it to active when established and back when it leaves that state
 * (vsd_dest_conn_activate(dest, true/false) on each such transition);
 * templates count as persistent.  Binding and unbinding update the
 * overload flag against the thresholds.  @active: the connection was
 * counted active when it is unbound.
 */
void vsd_dest_conn_bind(struct vsd_dest *dest, bool template);
void vsd_dest_conn_unbind(struct vsd_dest *dest, bool template,
			  bool active);

static inline void vsd_dest_conn_activate(struct vsd_dest *dest, bool active)
{
	if (active)
		atomic_inc(&dest->activeconns);
	else
		atomic_dec(&dest->activeconns);
}

/* InActConn as IPVS shows it. */
static inline int vsd_dest_inactconns(const struct vsd_dest *dest)
{
	return max(atomic_read(&dest->totalconns) -
		   atomic_read(&dest->activeconns), 0);
}

/* The load lc and wlc compare: active connections weigh 256 times more. */
static inline int vsd_dest_overhead(const struct vsd_dest *dest)
{
	return (atomic_read(&dest->activeconns) << 8) +
	       atomic_read(&dest->totalconns);
}

#endif /* _VSD_DEST_H */
