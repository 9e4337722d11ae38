// SPDX-License-Identifier: GPL-2.0
/*
 * Maglev hashing: a consistent hash from the flow to a destination through
 * a lookup table of a prime number of slots (module parameter
 * mh_table_size).  Removing one of n destinations moves about 1/n of the
 * flows; weights set each destination's share.  The table depends only on
 * the set of destinations and their weights (never on the order they were
 * added or on a random seed), so directors with the same configuration
 * choose the same destination for a flow.
 *
 * Hashed: the client address (IPVS's default); sched flag 2 ("mh-port")
 * adds the client port; sched flag 3 hashes the whole 5-tuple.  Sched flag 1
 * ("mh-fallback") looks further when the chosen destination is quiesced or
 * overloaded.
 *
 * The table is immutable once published; a change builds a new one into a
 * spare that reserve() allocated beforehand, so update() never fails.
 */

#include "compat.h"
#include "pernet.h"
#include "service.h"
#include "dest.h"
#include "packet.h"
#include "sched.h"
#include "maglev.h"

#include <uapi/linux/vsd.h>

#include <linux/gcd.h>
#include <linux/moduleparam.h>
#include <linux/siphash.h>
#include <linux/slab.h>
#include <linux/sort.h>

unsigned int vsd_mh_table_size __read_mostly = 4093;
module_param_named(mh_table_size, vsd_mh_table_size, uint, 0444);
MODULE_PARM_DESC(mh_table_size,
		 "slots of each mh scheduler table, a prime 251..131071 (default 4093)");

/* Fixed keys: every director computes the same hashes. */
static const siphash_key_t flow_key = { .key = MAGLEV_FLOW_KEY };
static const siphash_key_t offset_key = { .key = MAGLEV_OFFSET_KEY };
static const siphash_key_t skip_key = { .key = MAGLEV_SKIP_KEY };

/* Most turns a destination takes per round (IPVS: 2^6). */
#define MH_TURNS_BITS 6

struct mh_table {
	struct rcu_head rcu;
	u32 n;				/* destinations */
	u32 cap;
	struct vsd_dest **dests;	/* n, sorted by address */
	u32 slot[];			/* m indices into dests */
};

struct mh {
	struct vsd_sched base;
	u32 m;
	struct mh_table __rcu *table;	/* NULL: no usable destination */
	struct mh_table *spare;		/* from reserve(), for update() */
	struct maglev_dest *md;		/* scratch, md_cap entries */
	u32 md_cap;
	unsigned long *used;		/* scratch bitmap, m bits */
};

bool vsd_sched_mh_param_ok(void)
{
	unsigned int i, m = vsd_mh_table_size;

	if (m < 251 || m > 131071)
		return false;
	for (i = 2; i * i <= m; i++) {
		if (!(m % i))
			return false;
	}
	return true;
}

static struct mh_table *table_alloc(u32 m, u32 cap)
{
	struct mh_table *t;

	t = kvzalloc(struct_size(t, slot, m) + cap * sizeof(*t->dests),
		     GFP_KERNEL_ACCOUNT);
	if (!t)
		return NULL;
	t->cap = cap;
	t->dests = (struct vsd_dest **)&t->slot[m];
	return t;
}

static void table_free_rcu(struct rcu_head *rcu)
{
	kvfree(container_of(rcu, struct mh_table, rcu));
}

static int mh_reserve(struct vsd_sched *s, unsigned int ndests)
{
	struct mh *mh = container_of(s, struct mh, base);
	u32 cap = max(ndests, 1U);

	if (mh->md_cap < cap) {
		struct maglev_dest *md;

		md = kvcalloc(cap, sizeof(*md), GFP_KERNEL_ACCOUNT);
		if (!md)
			return -ENOMEM;
		kvfree(mh->md);
		mh->md = md;
		mh->md_cap = cap;
	}
	if (!mh->spare || mh->spare->cap < cap) {
		struct mh_table *t = table_alloc(mh->m, cap);

		if (!t)
			return -ENOMEM;
		kvfree(mh->spare);
		mh->spare = t;
	}
	return 0;
}

static void dest_init(struct maglev_dest *md, const struct vsd_dest *dest,
		      u32 m, u32 turns, u32 weight)
{
	struct maglev_key k = { .port = (__force u16)dest->port,
				.af = dest->af };

	memcpy(k.addr, &dest->addr, sizeof(k.addr));
	maglev_dest_init(md, siphash(&k, sizeof(k), &offset_key),
			 siphash(&k, sizeof(k), &skip_key), m, turns, weight);
}

static int dest_cmp(const void *a, const void *b)
{
	const struct vsd_dest *x = *(const struct vsd_dest **)a;
	const struct vsd_dest *y = *(const struct vsd_dest **)b;
	int r = memcmp(&x->addr, &y->addr, sizeof(x->addr));

	if (r)
		return r;
	if (x->port != y->port)
		return ntohs(x->port) < ntohs(y->port) ? -1 : 1;
	return x->af - y->af;
}

/* Publish @t (or no table) and retire the old one after a grace period. */
static void publish(struct mh *mh, struct mh_table *t)
{
	struct mh_table *old = rcu_replace_pointer(mh->table, t, true);

	if (old)
		call_rcu(&old->rcu, table_free_rcu);
}

static void mh_update(struct vsd_service *svc, struct vsd_sched *s)
{
	struct mh *mh = container_of(s, struct mh, base);
	struct mh_table *t = mh->spare;
	u32 n = 0, i, g = 0, maxw = 0, shift;
	struct vsd_dest *dest;

	/* Only destinations that may take new flows are in the table. */
	list_for_each_entry(dest, &svc->dests, list) {
		if (READ_ONCE(dest->weight) > 0)
			n++;
	}
	if (!n) {
		publish(mh, NULL);
		return;
	}
	if (!t || t->cap < n || mh->md_cap < n) {
		pr_warn_once("mh: table not rebuilt: no room reserved\n");
		return;
	}
	n = 0;
	list_for_each_entry(dest, &svc->dests, list) {
		int w = READ_ONCE(dest->weight);

		if (w <= 0)
			continue;
		t->dests[n++] = dest;
		g = g ? gcd(g, w) : w;
		maxw = max_t(u32, maxw, w);
	}
	t->n = n;
	sort(t->dests, n, sizeof(*t->dests), dest_cmp, NULL);
	shift = max_t(int, fls(maxw / g) - MH_TURNS_BITS, 0);
	for (i = 0; i < n; i++) {
		u32 w = READ_ONCE(t->dests[i]->weight);

		dest_init(&mh->md[i], t->dests[i], mh->m,
			  maglev_turns(w, g, shift), w);
	}
	maglev_populate(t->slot, mh->m, mh->md, n, mh->used);
	mh->spare = NULL;
	publish(mh, t);
}

static struct vsd_sched *mh_alloc(struct vsd_service *svc)
{
	struct mh *mh = kzalloc(sizeof(*mh), GFP_KERNEL_ACCOUNT);

	if (!mh)
		return NULL;
	mh->m = vsd_mh_table_size;
	mh->used = kvzalloc(maglev_used_size(mh->m), GFP_KERNEL_ACCOUNT);
	if (!mh->used || mh_reserve(&mh->base, svc->num_dests))
		goto err;
	mh_update(svc, &mh->base);
	return &mh->base;
err:
	kvfree(mh->used);
	kvfree(mh->md);
	kvfree(mh->spare);
	kfree(mh);
	return NULL;
}

/* After a grace period: no reader sees the state any more. */
static void mh_free(struct vsd_sched *s)
{
	struct mh *mh = container_of(s, struct mh, base);

	kvfree(rcu_dereference_protected(mh->table, true));
	kvfree(mh->spare);
	kvfree(mh->md);
	kvfree(mh->used);
	kfree(mh);
}

static u32 flow_hash(const struct vsd_pkt *pkt, u32 flags)
{
	struct {
		struct in6_addr saddr;
		struct in6_addr daddr;
		__be16 sport;
		__be16 dport;
		u32 proto;
	} k = {};

	memcpy(&k.saddr, &pkt->saddr, sizeof(k.saddr));
	if (flags & (VSD_SVC_F_SCHED2 | VSD_SVC_F_SCHED3))
		k.sport = pkt->sport;
	if (flags & VSD_SVC_F_SCHED3) {
		memcpy(&k.daddr, &pkt->daddr, sizeof(k.daddr));
		k.dport = pkt->dport;
		k.proto = pkt->protocol;
	}
	return siphash(&k, sizeof(k), &flow_key);
}

static struct vsd_dest *mh_pick(struct vsd_service *svc, struct vsd_sched *s,
				const struct sk_buff *skb,
				const struct vsd_pkt *pkt)
{
	struct mh *mh = container_of(s, struct mh, base);
	u32 flags = READ_ONCE(svc->flags), h, off;
	struct mh_table *t = rcu_dereference(mh->table);
	struct vsd_dest *dest;

	if (!t)
		return NULL;
	h = flow_hash(pkt, flags) % mh->m;
	dest = t->dests[t->slot[h]];
	if (vsd_dest_usable(dest))
		return dest;
	if (!(flags & VSD_SVC_F_SCHED1))
		return NULL;
	/* Fallback: the owners of the following slots, in order. */
	for (off = 1; off < mh->m; off++) {
		dest = t->dests[t->slot[(h + off) % mh->m]];
		if (vsd_dest_usable(dest))
			return dest;
	}
	return NULL;
}

struct vsd_sched_ops vsd_sched_mh = {
	.name = "mh",
	.alloc = mh_alloc,
	.free = mh_free,
	.reserve = mh_reserve,
	.update = mh_update,
	.pick = mh_pick,
};
