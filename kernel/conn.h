/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VSD_CONN_H
#define _VSD_CONN_H

#include "conn_hash.h"
#include "dest.h"
#include "route.h"

#include <linux/atomic.h>
#include <linux/jiffies.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/siphash.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

struct netlink_callback;
struct sk_buff;
struct vsd_dest;
struct vsd_net;
struct vsd_pkt;

/* vsd_conn.state of a connection that has ended (after its accounting). */
#define VSD_CONN_S_DEAD		0xff

/*
 * A connection, or a persistence template (key.template).  Found under RCU
 * in its namespace's table; the table holds one reference while it is
 * linked, and each connection a template controls holds one on it.  Freed
 * after an RCU grace period.  A NAT connection is also linked in the reply
 * index by the tuple of its real server's replies (rnode).  128 bytes, two
 * cache lines: what a lookup by the client's tuple compares (node, key) is
 * in the first.
 */
struct vsd_conn {
	struct hlist_node node;		/* table bucket (RCU) */
	struct vsd_conn_key key;
	u32 state;			/* enum vsd_conn_state; by cmpxchg */
	refcount_t refcnt;
	/* Second cache line. */
	struct hlist_node rnode;	/* reply index bucket (NAT only, RCU) */
	unsigned long expires;		/* jiffies */
	struct vsd_dest *dest;		/* holds a reference */
	struct vsd_conn *control;	/* template, holds a reference */
	u8 fwd;				/* enum vsd_fwd, fixed at creation */
	struct rcu_head rcu;
};

/*
 * The connection table of a namespace (vsd_net.conns), with what the data
 * path keeps beside it: the routes to real servers.  Buckets are RCU hash
 * chains, changed under one of a fixed array of spinlocks (a bucket's lock
 * is locks[bucket & lock_mask]); there are as many as half the namespace's
 * conn_max when the table is made (vsd_conn_tab_bits_for()).  The reply
 * index has as many buckets, by the tuple of the replies of NAT
 * connections, with its own locks, taken inside a bucket's lock and never
 * the other way round.
 */
struct vsd_conn_table {
	struct hlist_head *buckets;
	spinlock_t *locks;		/* changes to the buckets */
	unsigned int mask;		/* buckets - 1 */
	unsigned int lock_mask;		/* locks - 1 */
	hsiphash_key_t key;		/* random, per namespace */
	atomic_t count;			/* linked or not yet freed */
	atomic_t nat_count;		/* linked in the reply index */
	struct vsd_net *vn;

	struct hlist_head *rbuckets;	/* reply index (RCU) */
	spinlock_t *rlocks;		/* changes to rbuckets */

	struct delayed_work gc;		/* expiry: scans buckets in batches */
	unsigned int gc_next;		/* next bucket to scan */
	/*
	 * What the table holds, for the collector's pace: the kinds of entry
	 * (GC_KIND_*, bits) and the shortest persistence timeout (jiffies),
	 * of the entries the current pass met or that were made since it
	 * began; and the same of the pass before.
	 */
	unsigned long gc_kinds;
	unsigned int gc_tmpl_timeout;
	unsigned long gc_kinds_prev;
	unsigned int gc_tmpl_timeout_prev;

	struct vsd_routes routes;
};

/* Module-wide: the connection slab cache. */
int vsd_conn_init(void);
void vsd_conn_uninit(void);

/*
 * Per namespace: the connection table, created (under vn->lock) when the
 * namespace gets its first service and destroyed when the namespace goes
 * (after its hooks are gone): every connection is freed then.
 */
int vsd_conn_table_create(struct vsd_net *vn);
void vsd_conn_table_destroy(struct vsd_net *vn);

/* Connections in the namespace now (0 without a table). */
unsigned int vsd_conn_count(struct vsd_net *vn);

/* Hash buckets of the namespace's table, or of the one it would make. */
unsigned int vsd_conn_tab_size(struct vsd_net *vn);

/* Data path, under RCU with bottom halves disabled. */

/* The hash of a key in @t, for vsd_conn_lookup_hash() and vsd_conn_new(). */
static inline u32 vsd_conn_hash(const struct vsd_conn_table *t,
				const struct vsd_conn_key *key)
{
	return vsd_conn_key_hash(key, &t->key);
}

/* A live connection (or template) with this key and hash, or NULL. */
struct vsd_conn *vsd_conn_lookup_hash(struct vsd_conn_table *t,
				      const struct vsd_conn_key *key,
				      u32 hash);

static inline struct vsd_conn *vsd_conn_lookup(struct vsd_conn_table *t,
					       const struct vsd_conn_key *key)
{
	return vsd_conn_lookup_hash(t, key, vsd_conn_hash(t, key));
}

/* Flags of vsd_conn_new(). */
#define VSD_CONN_NEW_EVICT	BIT(0)	/* may evict another entry if full */
#define VSD_CONN_NEW_HOLD	BIT(1)	/* *cp comes with a reference */

/*
 * A new connection to @dest, bound and linked, controlled by @control
 * (whose reference it takes over, also on failure); @hash is
 * vsd_conn_hash() of @key, as the lookup that missed computed it.  0: *cp
 * is the new connection; -EEXIST: another CPU linked the same key first
 * and *cp is that connection; another negative errno: nothing was
 * created, the drop is counted.
 */
int vsd_conn_new(struct vsd_conn_table *t, const struct vsd_conn_key *key,
		 u32 hash, struct vsd_dest *dest, struct vsd_conn *control,
		 u32 state, unsigned int timeout, unsigned int flags,
		 struct vsd_conn **cp);

/*
 * The NAT connection a real server's reply belongs to: @pkt from the real
 * server's address and port to the client's; NULL if none.
 */
struct vsd_conn *vsd_conn_reply_lookup(struct vsd_conn_table *t,
				       const struct vsd_pkt *pkt);

/* Are there NAT connections, whose replies are worth looking up? */
static inline bool vsd_conn_have_nat(const struct vsd_conn_table *t)
{
	return atomic_read(&t->nat_count);
}

/* End a connection now: out of the table, its packets no longer match. */
void vsd_conn_expire(struct vsd_conn_table *t, struct vsd_conn *c);

void vsd_conn_put(struct vsd_conn_table *t, struct vsd_conn *c);

static inline bool vsd_conn_expired(const struct vsd_conn *c,
				    unsigned long now)
{
	return time_after_eq(now, READ_ONCE(c->expires));
}

/*
 * Alive, for lookups: not expired, or a template that still controls
 * connections (it lives on while they do, as in IPVS).  Expired entries
 * are absent before the collector frees them.
 */
static inline bool vsd_conn_alive(const struct vsd_conn *c, unsigned long now)
{
	return !vsd_conn_expired(c, now) || refcount_read(&c->refcnt) > 1;
}

/* Expire @timeout jiffies from now. */
static inline void vsd_conn_refresh(struct vsd_conn *c, unsigned int timeout)
{
	unsigned long expires = jiffies + timeout;

	/* Written at most once a jiffy: the cache line stays shared. */
	if (READ_ONCE(c->expires) != expires)
		WRITE_ONCE(c->expires, expires);
}

/* The real server's port: its own, or the client's (port 0: any port). */
static inline __be16 vsd_conn_dport(const struct vsd_conn *c)
{
	return c->dest->port ? : c->key.vport;
}

/* The key of the connection a packet from a client belongs to. */
void vsd_conn_key_from_pkt(struct vsd_conn_key *key,
			   const struct vsd_pkt *pkt);

/* VSD_CMD_GET_CONN (nl_conn.c). */
int vsd_nl_conn_dump(struct sk_buff *skb, struct netlink_callback *cb);

#endif /* _VSD_CONN_H */
