// SPDX-License-Identifier: GPL-2.0
/*
 * Round robin: the usable destinations in turn, in IPVS's order (the list
 * of the service, newest first), skipping quiesced and overloaded ones.
 */

#include "compat.h"
#include "service.h"
#include "dest.h"
#include "sched.h"

#include <linux/slab.h>
#include <linux/spinlock.h>

struct rr {
	struct vsd_sched base;
	spinlock_t lock;		/* last, against concurrent picks */
	struct list_head *last;		/* the dest picked last, or the head */
};

static struct vsd_sched *rr_alloc(struct vsd_service *svc)
{
	struct rr *rr = kzalloc(sizeof(*rr), GFP_KERNEL_ACCOUNT);

	if (!rr)
		return NULL;
	spin_lock_init(&rr->lock);
	rr->last = &svc->dests;
	return &rr->base;
}

static void rr_free(struct vsd_sched *s)
{
	kfree(container_of(s, struct rr, base));
}

/*
 * @dest was just unlinked: if it was the last pick, continue from its
 * predecessor (its next pointer is still valid, ->prev of that is the
 * predecessor now).
 */
static void rr_del_dest(struct vsd_service *svc, struct vsd_sched *s,
			struct vsd_dest *dest)
{
	struct rr *rr = container_of(s, struct rr, base);

	spin_lock_bh(&rr->lock);
	if (rr->last == &dest->list)
		rr->last = dest->list.next->prev;
	spin_unlock_bh(&rr->lock);
}

static struct vsd_dest *rr_pick(struct vsd_service *svc, struct vsd_sched *s,
				const struct sk_buff *skb,
				const struct vsd_pkt *pkt)
{
	struct rr *rr = container_of(s, struct rr, base);
	struct vsd_dest *dest, *last;
	struct list_head *p;
	int pass = 0;

	spin_lock_bh(&rr->lock);
	p = rr->last;
	last = list_entry(p, struct vsd_dest, list);
	dest = last;
	do {
		list_for_each_entry_continue_rcu(dest, &svc->dests, list) {
			if (vsd_dest_usable(dest))
				goto found;
			if (dest == last)
				goto none;
		}
		pass++;
		/* The last pick may be gone: never loop forever. */
	} while (pass < 2 && p != &svc->dests);
none:
	spin_unlock_bh(&rr->lock);
	return NULL;
found:
	rr->last = &dest->list;
	spin_unlock_bh(&rr->lock);
	return dest;
}

struct vsd_sched_ops vsd_sched_rr = {
	.name = "rr",
	.alloc = rr_alloc,
	.free = rr_free,
	.del_dest = rr_del_dest,
	.pick = rr_pick,
};
