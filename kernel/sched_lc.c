// SPDX-License-Identifier: GPL-2.0
/*
 * Least connections and weighted least connections, with IPVS's load
 * figure (active connections weigh 256 times more than the rest) and its
 * tie-breaking (the first in the list wins).
 */

#include "compat.h"
#include "service.h"
#include "dest.h"
#include "sched.h"

#include <linux/slab.h>

static struct vsd_sched *lc_alloc(struct vsd_service *svc)
{
	return kzalloc(sizeof(struct vsd_sched), GFP_KERNEL_ACCOUNT);
}

static void lc_free(struct vsd_sched *s)
{
	kfree(s);
}

static struct vsd_dest *lc_pick(struct vsd_service *svc, struct vsd_sched *s,
				const struct sk_buff *skb,
				const struct vsd_pkt *pkt)
{
	struct vsd_dest *dest, *least = NULL;
	int loh = 0, doh;

	list_for_each_entry_rcu(dest, &svc->dests, list) {
		if (!vsd_dest_usable(dest))
			continue;
		doh = vsd_dest_overhead(dest);
		if (!least || doh < loh) {
			least = dest;
			loh = doh;
		}
	}
	return least;
}

/* Least overhead / weight, compared as loh * dw > doh * lw. */
static struct vsd_dest *wlc_pick(struct vsd_service *svc,
				 struct vsd_sched *s,
				 const struct sk_buff *skb,
				 const struct vsd_pkt *pkt)
{
	struct vsd_dest *dest, *least = NULL;
	int loh = 0, doh, lw = 0, dw;

	list_for_each_entry_rcu(dest, &svc->dests, list) {
		if (test_bit(VSD_DEST_OVERLOAD, &dest->flags))
			continue;
		dw = READ_ONCE(dest->weight);
		if (!least) {
			if (dw <= 0)
				continue;
			least = dest;
			loh = vsd_dest_overhead(dest);
			lw = dw;
			continue;
		}
		doh = vsd_dest_overhead(dest);
		if ((s64)loh * dw > (s64)doh * lw) {
			least = dest;
			loh = doh;
			lw = dw;
		}
	}
	return least;
}

struct vsd_sched_ops vsd_sched_lc = {
	.name = "lc",
	.alloc = lc_alloc,
	.free = lc_free,
	.pick = lc_pick,
};

struct vsd_sched_ops vsd_sched_wlc = {
	.name = "wlc",
	.alloc = lc_alloc,
	.free = lc_free,
	.pick = wlc_pick,
};
