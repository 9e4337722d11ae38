// SPDX-License-Identifier: GPL-2.0
/*
 * Weighted round robin, IPVS's sequence: sweep the destinations (newest
 * first) with a current weight that starts at the maximum and steps down by
 * the weights' greatest common divisor; a destination is picked when its
 * weight reaches the current weight.
 */

#include "compat.h"
#include "pernet.h"
#include "service.h"
#include "dest.h"
#include "sched.h"

#include <linux/gcd.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

struct wrr {
	struct vsd_sched base;
	spinlock_t lock;	/* the sweep, against concurrent picks */
	struct list_head *cl;	/* current dest, or the head */
	int cw;			/* current weight */
	int mw;			/* maximum weight, less di - 1 */
	int di;			/* step: gcd of the weights */
};

static int gcd_weight(struct vsd_service *svc)
{
	struct vsd_dest *dest;
	int g = 0, w;

	list_for_each_entry(dest, &svc->dests, list) {
		w = READ_ONCE(dest->weight);
		if (w > 0)
			g = g ? gcd(w, g) : w;
	}
	return g ? g : 1;
}

static int max_weight(struct vsd_service *svc)
{
	struct vsd_dest *dest;
	int m = 0;

	list_for_each_entry(dest, &svc->dests, list)
		m = max(m, READ_ONCE(dest->weight));
	return m;
}

static struct vsd_sched *wrr_alloc(struct vsd_service *svc)
{
	struct wrr *w = kzalloc(sizeof(*w), GFP_KERNEL_ACCOUNT);

	if (!w)
		return NULL;
	spin_lock_init(&w->lock);
	w->cl = &svc->dests;
	w->di = gcd_weight(svc);
	w->mw = max_weight(svc) - (w->di - 1);
	w->cw = w->mw;
	return &w->base;
}

static void wrr_free(struct vsd_sched *s)
{
	kfree(container_of(s, struct wrr, base));
}

/* Restart the sweep from the head, keeping the current weight if it fits. */
static void wrr_update(struct vsd_service *svc, struct vsd_sched *s)
{
	struct wrr *w = container_of(s, struct wrr, base);
	int di = gcd_weight(svc), mw = max_weight(svc) - (di - 1);

	spin_lock_bh(&w->lock);
	w->cl = &svc->dests;
	w->di = di;
	w->mw = mw;
	if (w->cw > w->mw || !w->cw)
		w->cw = w->mw;
	else if (w->di > 1)
		w->cw = (w->cw / w->di) * w->di + 1;
	spin_unlock_bh(&w->lock);
}

static struct vsd_dest *wrr_pick(struct vsd_service *svc, struct vsd_sched *s,
				 const struct sk_buff *skb,
				 const struct vsd_pkt *pkt)
{
	struct wrr *w = container_of(s, struct wrr, base);
	struct vsd_dest *dest, *last, *stop = NULL;
	bool last_pass = false, restarted = false;

	spin_lock_bh(&w->lock);
	dest = list_entry(w->cl, struct vsd_dest, list);
	if (w->mw <= 0)
		goto none;
	last = dest;
	/* Stop only once every dest was checked against weight >= 1. */
	for (;;) {
		list_for_each_entry_continue_rcu(dest, &svc->dests, list) {
			if (!test_bit(VSD_DEST_OVERLOAD, &dest->flags) &&
			    READ_ONCE(dest->weight) >= w->cw)
				goto found;
			if (dest == stop)
				goto none;
		}
		w->cw -= w->di;
		if (w->cw <= 0) {
			w->cw = w->mw;
			/* A last pass from the head checked them all. */
			if (last_pass || &last->list == &svc->dests)
				goto none;
			restarted = true;
		}
		last_pass = w->cw <= w->di;
		/*
		 * The first sweep for weight >= 1 began after 'last': sweep
		 * the ones up to 'last' too.
		 */
		if (last_pass && restarted && &last->list != &svc->dests)
			stop = last;
	}
found:
	w->cl = &dest->list;
	spin_unlock_bh(&w->lock);
	return dest;
none:
	w->cl = &dest->list;
	spin_unlock_bh(&w->lock);
	return NULL;
}

struct vsd_sched_ops vsd_sched_wrr = {
	.name = "wrr",
	.alloc = wrr_alloc,
	.free = wrr_free,
	.update = wrr_update,
	.pick = wrr_pick,
};
