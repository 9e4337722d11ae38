// SPDX-License-Identifier: GPL-2.0
/*
 * Real servers (destinations) of a service: lifetime, parameters, and the
 * connection accounting schedulers and listings read (IPVS's ActiveConn,
 * InActConn, PersistConn and upper/lower thresholds).
 */

#include "compat.h"
#include "pernet.h"
#include "service.h"
#include "dest.h"
#include "addr.h"
#include "sched.h"

#include <linux/slab.h>
#include <net/ipv6.h>

struct vsd_dest *vsd_dest_lookup(struct vsd_service *svc, u16 af,
				 const union nf_inet_addr *addr, __be16 port)
{
	struct vsd_dest *dest;

	lockdep_assert_held(&svc->vn->lock);
	list_for_each_entry(dest, &svc->dests, list) {
		if (dest->af == af && dest->port == port &&
		    vsd_addr_equal(af, &dest->addr, addr))
			return dest;
	}
	return NULL;
}

struct vsd_dest *vsd_dest_alloc(u16 af, const union nf_inet_addr *addr,
				__be16 port)
{
	struct vsd_dest *dest;

	dest = kzalloc(sizeof(*dest), GFP_KERNEL_ACCOUNT);
	if (!dest)
		return NULL;
	if (vsd_stats_init(&dest->stats)) {
		kfree(dest);
		return NULL;
	}
	atomic_inc(&vsd_objects.dests);
	refcount_set(&dest->refcnt, 1);
	INIT_LIST_HEAD(&dest->list);
	spin_lock_init(&dest->lock);
	dest->af = af;
	dest->addr = *addr;
	dest->port = port;
	dest->weight = 1;
	return dest;
}

static void dest_free_rcu(struct rcu_head *rcu)
{
	struct vsd_dest *dest = container_of(rcu, struct vsd_dest, rcu);

	vsd_stats_uninit(&dest->stats);
	kfree(dest);
	atomic_dec(&vsd_objects.dests);
}

/*
 * The last reference goes when the destination is out of its service and no
 * connection is bound to it; readers may still hold it under RCU.
 */
void vsd_dest_put(struct vsd_dest *dest)
{
	if (!refcount_dec_and_test(&dest->refcnt))
		return;
	if (dest->svc)
		vsd_service_put(dest->svc);
	call_rcu(&dest->rcu, dest_free_rcu);
}

/*
 * The overload flag, IPVS's rule: set when the connections reach the upper
 * threshold, cleared when they fall below the lower one (by default 3/4 of
 * the upper).  @mode: 1 after a bind, -1 after an unbind, 0 after a
 * threshold change.
 */
static void update_overload(struct vsd_dest *dest, int mode)
{
	unsigned int conns;
	u32 l, u;

	lockdep_assert_held(&dest->lock);
	u = READ_ONCE(dest->u_thresh);
	if (!u)
		goto unset;
	l = READ_ONCE(dest->l_thresh_val);
	conns = atomic_read(&dest->totalconns);
	if (conns >= (mode > 0 ? l : u)) {
		set_bit(VSD_DEST_OVERLOAD, &dest->flags);
		return;
	}
	if (conns >= (mode < 0 ? u : l))
		return;
unset:
	clear_bit(VSD_DEST_OVERLOAD, &dest->flags);
}

void vsd_dest_set_params(struct vsd_dest *dest, u8 fwd, int weight,
			 u32 u_thresh, u32 l_thresh)
{
	WRITE_ONCE(dest->fwd, fwd);
	WRITE_ONCE(dest->weight, weight);
	if (dest->u_thresh == u_thresh && dest->l_thresh == l_thresh)
		return;
	spin_lock_bh(&dest->lock);
	WRITE_ONCE(dest->u_thresh, u_thresh);
	WRITE_ONCE(dest->l_thresh, l_thresh);
	WRITE_ONCE(dest->l_thresh_val,
		   l_thresh ? : u_thresh - (u_thresh >> 2));
	update_overload(dest, 0);
	spin_unlock_bh(&dest->lock);
}

void vsd_dest_conn_bind(struct vsd_dest *dest, bool template)
{
	if (template) {
		atomic_inc(&dest->persistconns);
		return;
	}
	if (atomic_inc_return(&dest->totalconns) == READ_ONCE(dest->u_thresh)) {
		spin_lock_bh(&dest->lock);
		update_overload(dest, 1);
		spin_unlock_bh(&dest->lock);
	}
}

void vsd_dest_conn_unbind(struct vsd_dest *dest, bool template, bool active)
{
	if (template) {
		atomic_dec(&dest->persistconns);
		return;
	}
	if (active)
		atomic_dec(&dest->activeconns);
	if (atomic_fetch_dec(&dest->totalconns) ==
	    READ_ONCE(dest->l_thresh_val)) {
		spin_lock_bh(&dest->lock);
		update_overload(dest, -1);
		spin_unlock_bh(&dest->lock);
	}
}

/*
 * Into the service's list, at its head as IPVS does (so rr and wrr visit
 * destinations in IPVS's order); the service's scheduler is updated by the
 * caller once all changes are made.
 */
void vsd_dest_link(struct vsd_service *svc, struct vsd_dest *dest)
{
	lockdep_assert_held(&svc->vn->lock);
	if (!dest->svc) {
		vsd_service_get(svc);
		dest->svc = svc;
	}
	set_bit(VSD_DEST_AVAILABLE, &dest->flags);
	list_add_rcu(&dest->list, &svc->dests);
	svc->num_dests++;
}

/*
 * Out of the service: no new connection is scheduled to it; connections
 * bound to it end or drain (expire_nodest_conn) and hold it until then.
 * Drops the service list's reference.
 */
void vsd_dest_unlink(struct vsd_dest *dest)
{
	struct vsd_service *svc = dest->svc;
	struct vsd_sched *s;

	lockdep_assert_held(&svc->vn->lock);
	clear_bit(VSD_DEST_AVAILABLE, &dest->flags);
	list_del_rcu(&dest->list);
	svc->num_dests--;
	s = vsd_sched_of(svc);
	if (s && s->ops->del_dest)
		s->ops->del_dest(svc, s, dest);
	vsd_dest_put(dest);
}
