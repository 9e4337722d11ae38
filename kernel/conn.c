// SPDX-License-Identifier: GPL-2.0
/*
 * The connection table of a namespace: which real server each client
 * connection (and each persistent client) goes to.
 *
 * - Lookups are lockless, under RCU.  Changes to a bucket take one of a
 *   fixed array of spinlocks (not bit spinlocks: PREEMPT_RT).
 * - Buckets are chosen by hsiphash with a random key per namespace, so
 *   clients cannot aim at one chain; there are half as many as the
 *   namespace's conn_max (within bounds), so that chains stay short.
 * - There is no timer per connection.  A connection past its expiry time
 *   is absent for lookups at once.  A new connection frees what expired
 *   in its own bucket, whose lock it holds anyway; a garbage collector (one
 *   delayed work per namespace) walks the buckets in batches and frees the
 *   rest, a full pass in half the shortest timeout the table's entries may
 *   have (GC_PERIOD_MIN to GC_PERIOD_MAX).
 * - The table holds at most settings.conn_max entries.  When it is full,
 *   a new connection first reclaims expired entries near its bucket; a new
 *   TCP connection may then evict one entry that is not yet established,
 *   or failing that one that is finished (counted VSD_CNT_EVICTED).
 *   Established and closing connections, UDP flows and persistence
 *   templates are never evicted: failing that, the new connection is
 *   refused (VSD_CNT_DROP_CONN_FULL).
 */

#include "compat.h"
#include "pernet.h"
#include "service.h"
#include "dest.h"
#include "packet.h"
#include "proto.h"
#include "conn.h"
#include "addr.h"

#include <linux/mm.h>
#include <linux/random.h>
#include <linux/slab.h>

/*
 * The collector's pace: a full pass over the buckets takes half the
 * shortest timeout that the kinds of entry in the table may have, within
 * these bounds, in runs GC_STEP apart (longer for small tables, so that a
 * run scans GC_BATCH_MIN buckets at least).  An expired entry is freed at
 * most a pass and a run after it expires.
 */
#define GC_PERIOD_MIN	HZ
#define GC_PERIOD_MAX	(16 * HZ)
#define GC_STEP		(HZ / 10 ? : 1)
#define GC_BATCH_MIN	64
/* Kinds of entry, for the pace (vsd_conn_table.gc_kinds). */
#define GC_KIND_TCP	0
#define GC_KIND_UDP	1
/* Bucket locks: enough to spread writers, few enough to stay cached. */
#define LOCKS_MAX	1024
/*
 * Where a new connection looks for room in a full table: the buckets from
 * its own on, up to ROOM_BUCKETS non-empty ones among ROOM_SCAN, or up to
 * ROOM_BUCKETS_MAX while none of them has an entry it may evict (a table
 * mostly of established and closing connections).
 */
#define ROOM_BUCKETS		8
#define ROOM_BUCKETS_MAX	64
#define ROOM_SCAN		1024

static struct kmem_cache *conn_cache __read_mostly;

int __init vsd_conn_init(void)
{
	BUILD_BUG_ON(sizeof(struct vsd_conn) > 128);
	BUILD_BUG_ON(offsetofend(struct vsd_conn, key) > 64);
	conn_cache = kmem_cache_create("vsd_conn", sizeof(struct vsd_conn), 0,
				       SLAB_HWCACHE_ALIGN, NULL);
	return conn_cache ? 0 : -ENOMEM;
}

/* After every namespace is gone and an rcu_barrier(). */
void vsd_conn_uninit(void)
{
	kmem_cache_destroy(conn_cache);
}

static struct hlist_head *bucket_of(struct vsd_conn_table *t, u32 hash)
{
	return &t->buckets[hash & t->mask];
}

/* lock_mask <= mask: a bucket's lock is the same for any hash into it. */
static spinlock_t *lock_of(struct vsd_conn_table *t, u32 hash)
{
	return &t->locks[hash & t->lock_mask];
}

static void conn_free_rcu(struct rcu_head *rcu)
{
	kmem_cache_free(conn_cache, container_of(rcu, struct vsd_conn, rcu));
	atomic_dec(&vsd_objects.conns);
}

/*
 * End the accounting of a connection: from @state (if it is still that)
 * to dead, and out of its destination's counters.  Exactly one caller
 * wins; packets still holding the connection under RCU see it dead and
 * change nothing more.
 */
static bool conn_kill(struct vsd_conn *c, u32 state)
{
	if (cmpxchg(&c->state, state, VSD_CONN_S_DEAD) != state)
		return false;
	vsd_dest_conn_unbind(c->dest, c->key.template,
			     vsd_proto_active(c->key.protocol, state));
	return true;
}

/* The last reference is gone: the connection is out of the table. */
static void conn_release(struct vsd_conn_table *t, struct vsd_conn *c)
{
	u32 state;

	do {
		state = READ_ONCE(c->state);
	} while (state != VSD_CONN_S_DEAD && !conn_kill(c, state));
	vsd_dest_put(c->dest);
	if (c->control)
		vsd_conn_put(t, c->control);
	atomic_dec(&t->count);
	call_rcu(&c->rcu, conn_free_rcu);
}

void vsd_conn_put(struct vsd_conn_table *t, struct vsd_conn *c)
{
	if (refcount_dec_and_test(&c->refcnt))
		conn_release(t, c);
}

/*
 * The reply index: a NAT connection by the tuple its real server's replies
 * carry, (real server's address and port -> client's address and port).
 */
static u32 reply_hash(struct vsd_conn_table *t, u8 af, u8 protocol,
		      const union nf_inet_addr *saddr, __be16 sport,
		      const union nf_inet_addr *daddr, __be16 dport)
{
	struct vsd_conn_key k = {
		.caddr = *daddr,
		.vaddr = *saddr,
		.cport = dport,
		.vport = sport,
		.af = af,
		.protocol = protocol,
	};

	return vsd_conn_key_hash(&k, &t->key);
}

static u32 conn_reply_hash(struct vsd_conn_table *t, const struct vsd_conn *c)
{
	return reply_hash(t, c->key.af, c->key.protocol, &c->dest->addr,
			  vsd_conn_dport(c), &c->key.caddr, c->key.cport);
}

/* Under the lock of @c's bucket: into the reply index. */
static void reply_link(struct vsd_conn_table *t, struct vsd_conn *c)
{
	u32 hash = conn_reply_hash(t, c);
	spinlock_t *rlock = &t->rlocks[hash & t->lock_mask];

	spin_lock(rlock);
	hlist_add_head_rcu(&c->rnode, &t->rbuckets[hash & t->mask]);
	spin_unlock(rlock);
	atomic_inc(&t->nat_count);
}

static void reply_unlink(struct vsd_conn_table *t, struct vsd_conn *c)
{
	u32 hash = conn_reply_hash(t, c);
	spinlock_t *rlock = &t->rlocks[hash & t->lock_mask];

	spin_lock(rlock);
	hlist_del_init_rcu(&c->rnode);
	spin_unlock(rlock);
	atomic_dec(&t->nat_count);
}

/* Out of the table (and the reply index), the table's reference put. */
static void unlink_put(struct vsd_conn_table *t, struct vsd_conn *c,
		       spinlock_t *lock)
{
	lockdep_assert_held(lock);
	hlist_del_init_rcu(&c->node);
	/* rnode only changes under the lock of c's bucket: this one. */
	if (!hlist_unhashed(&c->rnode))
		reply_unlink(t, c);
	vsd_conn_put(t, c);
}

struct vsd_conn *vsd_conn_lookup_hash(struct vsd_conn_table *t,
				      const struct vsd_conn_key *key,
				      u32 hash)
{
	unsigned long now = jiffies;
	struct vsd_conn *c;

	hlist_for_each_entry_rcu(c, bucket_of(t, hash), node) {
		if (vsd_conn_key_equal(&c->key, key) && vsd_conn_alive(c, now))
			return c;
	}
	return NULL;
}

struct vsd_conn *vsd_conn_reply_lookup(struct vsd_conn_table *t,
				       const struct vsd_pkt *pkt)
{
	u32 hash = reply_hash(t, pkt->af, pkt->protocol, &pkt->saddr,
			      pkt->sport, &pkt->daddr, pkt->dport);
	unsigned long now = jiffies;
	struct vsd_conn *c;

	hlist_for_each_entry_rcu(c, &t->rbuckets[hash & t->mask], rnode) {
		if (c->key.cport == pkt->dport &&
		    c->key.protocol == pkt->protocol &&
		    c->key.af == pkt->af &&
		    vsd_addr_equal(pkt->af, &c->key.caddr, &pkt->daddr) &&
		    vsd_conn_dport(c) == pkt->sport &&
		    vsd_addr_equal(pkt->af, &c->dest->addr, &pkt->saddr) &&
		    vsd_conn_alive(c, now))
			return c;
	}
	return NULL;
}

void vsd_conn_expire(struct vsd_conn_table *t, struct vsd_conn *c)
{
	u32 hash = vsd_conn_hash(t, &c->key);
	spinlock_t *lock = lock_of(t, hash);

	spin_lock_bh(lock);
	if (!hlist_unhashed(&c->node))
		unlink_put(t, c, lock);
	spin_unlock_bh(lock);
}

void vsd_conn_key_from_pkt(struct vsd_conn_key *key,
			   const struct vsd_pkt *pkt)
{
	memset(key, 0, sizeof(*key));
	key->af = pkt->af;
	key->protocol = pkt->protocol;
	key->caddr = pkt->saddr;
	key->vaddr = pkt->daddr;
	key->cport = pkt->sport;
	key->vport = pkt->dport;
}

/*
 * Should the collector (or a full table) free this entry now?  Expired
 * entries, unless a template still controls connections (then it lives
 * on); templates of destinations that are gone; connections to them with
 * expire_nodest_conn set.
 */
static bool reapable(struct vsd_conn *c, unsigned long now,
		     bool expire_nodest)
{
	bool gone = !vsd_dest_available(c->dest);

	if (c->key.template) {
		if (gone)
			return true;
		if (!vsd_conn_expired(c, now))
			return false;
		if (refcount_read(&c->refcnt) == 1)
			return true;
		/* Controls connections: extend by the service's timeout. */
		WRITE_ONCE(c->expires,
			   now + max_t(unsigned int, HZ,
				       READ_ONCE(c->dest->svc->timeout)));
		return false;
	}
	return vsd_conn_expired(c, now) || (gone && expire_nodest);
}

/*
 * Note an entry's kind for the collector's pace (see gc_period()).  Reads
 * first: the words are written once per pass and kind, not per entry.
 */
static void gc_note(struct vsd_conn_table *t, const struct vsd_conn *c,
		    unsigned int timeout)
{
	unsigned int old;

	if (c->key.template) {
		old = READ_ONCE(t->gc_tmpl_timeout);
		while (timeout < old &&
		       !try_cmpxchg(&t->gc_tmpl_timeout, &old, timeout))
			;
		return;
	}
	if (!test_bit(c->key.protocol == IPPROTO_TCP ? GC_KIND_TCP :
		      GC_KIND_UDP, &t->gc_kinds))
		set_bit(c->key.protocol == IPPROTO_TCP ? GC_KIND_TCP :
			GC_KIND_UDP, &t->gc_kinds);
}

/* Under the bucket's lock: free what is reapable in @head; how many. */
static unsigned int reap_bucket(struct vsd_conn_table *t,
				struct hlist_head *head, spinlock_t *lock,
				unsigned long now, bool expire_nodest)
{
	struct hlist_node *tmp;
	unsigned int n = 0;
	struct vsd_conn *c;

	hlist_for_each_entry_safe(c, tmp, head, node) {
		if (reapable(c, now, expire_nodest)) {
			unlink_put(t, c, lock);
			n++;
		}
	}
	return n;
}

/*
 * A candidate for eviction: its rank (vsd_tcp_evict_rank(), NEVER for no
 * candidate), its expiry, and its state then (what conn_kill() expects).
 */
struct victim {
	enum vsd_tcp_evict rank;
	unsigned long expires;
	u32 state;
};

/*
 * Is @c a better victim than @v: a higher rank, or as high and older?  Never
 * when @c's rank is NEVER (then @v's expiry may not be set).
 */
static bool better_victim(const struct victim *v, const struct victim *c)
{
	if (c->rank != v->rank)
		return c->rank > v->rank;
	return c->rank != VSD_TCP_EVICT_NEVER &&
	       time_before(c->expires, v->expires);
}

/*
 * Under the bucket's lock: the TCP connection of this bucket a full table
 * gives up first, described in *@v (rank NEVER and NULL if none): the best
 * rank, and of those the one closest to expiring, a SYN flood's oldest
 * entry rather than a client's SYN of a moment ago, whose ACK would then
 * find no connection.
 */
static struct vsd_conn *best_victim(struct hlist_head *head, struct victim *v)
{
	struct vsd_conn *c, *victim = NULL;

	v->rank = VSD_TCP_EVICT_NEVER;
	hlist_for_each_entry(c, head, node) {
		struct victim cv;

		if (c->key.template || c->key.protocol != IPPROTO_TCP)
			continue;
		cv.state = READ_ONCE(c->state);
		cv.rank = vsd_tcp_evict_rank(cv.state);
		cv.expires = READ_ONCE(c->expires);
		if (better_victim(v, &cv)) {
			victim = c;
			*v = cv;
		}
	}
	return victim;
}

/*
 * Under the bucket's lock: evict its best victim.  Its state is taken by
 * cmpxchg, so one that changed meanwhile (became established, say) is left
 * alone.
 */
static bool evict_one(struct vsd_conn_table *t, struct hlist_head *head,
		      spinlock_t *lock)
{
	struct vsd_conn *victim;
	struct victim v;

	victim = best_victim(head, &v);
	if (!victim || !conn_kill(victim, v.state))
		return false;
	unlink_put(t, victim, lock);
	return true;
}

/*
 * One pass of make_room(): reap the buckets from @hash on and, when @evict,
 * evict the best victim seen.  True when there is room now: the count is
 * within @max, or this pass freed an entry, the one the caller's
 * reservation stands for (checking the count alone, another CPU's
 * reservation could take every entry this one frees).  *@victimless when
 * there was nothing to evict.
 */
static bool room_pass(struct vsd_conn_table *t, u32 hash, bool evict,
		      unsigned int max, bool *victimless)
{
	bool expire_nodest = READ_ONCE(t->vn->settings.expire_nodest_conn);
	unsigned int i, seen = 0, scan = min(ROOM_SCAN, t->mask + 1);
	struct victim best = { .rank = VSD_TCP_EVICT_NEVER };
	unsigned long now = jiffies;
	u32 victim_hash = 0;
	bool evicted;

	for (i = 0; i < scan; i++) {
		u32 h = hash + i;
		struct hlist_head *head = bucket_of(t, h);
		spinlock_t *lock = lock_of(t, h);
		unsigned int reaped;
		struct victim v;

		if (hlist_empty(head))
			continue;
		seen++;
		spin_lock_bh(lock);
		reaped = reap_bucket(t, head, lock, now, expire_nodest);
		if (evict && best_victim(head, &v) && better_victim(&best, &v)) {
			best = v;
			victim_hash = h;
		}
		spin_unlock_bh(lock);
		if (reaped || atomic_read(&t->count) <= max)
			return true;
		if (seen >= (best.rank != VSD_TCP_EVICT_NEVER ? ROOM_BUCKETS :
								ROOM_BUCKETS_MAX))
			break;
	}
	*victimless = best.rank == VSD_TCP_EVICT_NEVER;
	if (*victimless)
		return false;
	spin_lock_bh(lock_of(t, victim_hash));
	evicted = evict_one(t, bucket_of(t, victim_hash),
			    lock_of(t, victim_hash));
	spin_unlock_bh(lock_of(t, victim_hash));
	if (evicted)
		vsd_count(t->vn, VSD_CNT_EVICTED);
	return evicted || atomic_read(&t->count) <= max;
}

/*
 * The table is full (@t->count includes the caller's reservation): reap
 * what can be reaped in the buckets from the new key's on and, if that is
 * not enough and @evict, evict the best victim of the buckets seen.  A
 * second pass when another CPU evicted the same victim first.  True when
 * there is room now.
 */
static bool make_room(struct vsd_conn_table *t, u32 hash, bool evict,
		      unsigned int max)
{
	bool victimless = false;

	if (room_pass(t, hash, evict, max, &victimless))
		return true;
	return !victimless && room_pass(t, hash, evict, max, &victimless);
}

static void gc_kick(struct vsd_conn_table *t)
{
	queue_delayed_work(system_power_efficient_wq, &t->gc, GC_STEP);
}

/* Reserve a place in the table: false (counted) when it is full. */
static bool reserve(struct vsd_conn_table *t, u32 hash, bool evict)
{
	unsigned int max = READ_ONCE(t->vn->settings.conn_max);
	unsigned int n = atomic_inc_return(&t->count);

	if (n == 1)
		gc_kick(t);
	if (likely(n <= max) || make_room(t, hash, evict, max))
		return true;
	atomic_dec(&t->count);
	vsd_count(t->vn, VSD_CNT_DROP_CONN_FULL);
	return false;
}

/* A connection that was never linked: undo vsd_conn_new()'s work. */
static void conn_discard(struct vsd_conn_table *t, struct vsd_conn *c)
{
	/* Nobody saw it: no other reference, no accounting transition. */
	vsd_dest_conn_unbind(c->dest, c->key.template, false);
	vsd_dest_put(c->dest);
	if (c->control)
		vsd_conn_put(t, c->control);
	atomic_dec(&t->count);
	kmem_cache_free(conn_cache, c);
	atomic_dec(&vsd_objects.conns);
}

int vsd_conn_new(struct vsd_conn_table *t, const struct vsd_conn_key *key,
		 u32 hash, struct vsd_dest *dest, struct vsd_conn *control,
		 u32 state, unsigned int timeout, unsigned int flags,
		 struct vsd_conn **cp)
{
	bool expire_nodest = READ_ONCE(t->vn->settings.expire_nodest_conn);
	struct hlist_head *head = bucket_of(t, hash);
	spinlock_t *lock = lock_of(t, hash);
	unsigned long now = jiffies;
	struct vsd_conn *c, *old;
	struct hlist_node *tmp;
	int ret;

	ret = -ENOSPC;
	if (!reserve(t, hash, flags & VSD_CONN_NEW_EVICT))
		goto err;
	ret = -ENOMEM;
	c = kmem_cache_alloc(conn_cache, GFP_ATOMIC);
	if (!c) {
		atomic_dec(&t->count);
		vsd_count(t->vn, VSD_CNT_DROP_NOMEM);
		goto err;
	}
	atomic_inc(&vsd_objects.conns);
	c->key = *key;
	c->state = state;
	refcount_set(&c->refcnt, flags & VSD_CONN_NEW_HOLD ? 2 : 1);
	INIT_HLIST_NODE(&c->rnode);
	c->fwd = READ_ONCE(dest->fwd);
	c->expires = now + timeout;
	vsd_dest_get(dest);
	c->dest = dest;
	c->control = control;
	vsd_dest_conn_bind(dest, key->template);

	/*
	 * The bucket is walked anyway, for the same key: what expired in it
	 * (the same key's dead entry among them) is freed on the way.
	 */
	spin_lock_bh(lock);
	hlist_for_each_entry_safe(old, tmp, head, node) {
		if (vsd_conn_key_equal(&old->key, key) &&
		    vsd_conn_alive(old, now)) {
			/* Another CPU scheduled the same packet first. */
			if (flags & VSD_CONN_NEW_HOLD)
				refcount_inc(&old->refcnt);
			spin_unlock_bh(lock);
			conn_discard(t, c);
			*cp = old;
			return -EEXIST;
		}
		if (reapable(old, now, expire_nodest))
			unlink_put(t, old, lock);
	}
	hlist_add_head_rcu(&c->node, head);
	if (c->fwd == VSD_FWD_MASQ && !key->template)
		reply_link(t, c);
	spin_unlock_bh(lock);
	gc_note(t, c, timeout);
	*cp = c;
	return 0;
err:
	if (control)
		vsd_conn_put(t, control);
	return ret;
}

/* The shortest timeout of the TCP states a packet may leave behind. */
static unsigned int tcp_shortest(const struct vsd_settings *st)
{
	unsigned int i, min = UINT_MAX;

	/* NONE is only a new connection's state until its first packet. */
	for (i = VSD_TCP_S_NONE + 1; i < VSD_TCP_S_LAST; i++)
		min = min(min, READ_ONCE(st->timeout[i]));
	return min;
}

/*
 * How long a full pass of the collector takes: half the shortest timeout
 * that the kinds of entry the table holds (the current pass's and the
 * previous one's) may have, with the namespace's timeouts as they are now.
 */
static unsigned int gc_period(struct vsd_conn_table *t)
{
	const struct vsd_settings *st = &t->vn->settings;
	unsigned long kinds = READ_ONCE(t->gc_kinds) |
			      READ_ONCE(t->gc_kinds_prev);
	unsigned int min;

	min = min(READ_ONCE(t->gc_tmpl_timeout),
		  READ_ONCE(t->gc_tmpl_timeout_prev));
	if (test_bit(GC_KIND_TCP, &kinds))
		min = min(min, tcp_shortest(st));
	if (test_bit(GC_KIND_UDP, &kinds))
		min = min(min, READ_ONCE(st->timeout[VSD_CONN_S_UDP]));
	return clamp_t(unsigned int, min / 2, GC_PERIOD_MIN, GC_PERIOD_MAX);
}

/*
 * The collector: a full pass over the buckets every gc_period(), in runs
 * GC_STEP apart or more (at least GC_BATCH_MIN buckets each).  Between
 * passes it notes what kinds of entry it met.  It stops after a pass that
 * leaves the table empty; the first new connection starts it again.
 */
static void gc_work(struct work_struct *work)
{
	struct vsd_conn_table *t = container_of(to_delayed_work(work),
						struct vsd_conn_table, gc);
	bool expire_nodest = READ_ONCE(t->vn->settings.expire_nodest_conn);
	unsigned int size = t->mask + 1, period = gc_period(t);
	unsigned int runs = clamp_t(unsigned int, period / GC_STEP, 1,
				    max(size / GC_BATCH_MIN, 1U));
	unsigned int b, end = min(t->gc_next + DIV_ROUND_UP(size, runs), size);
	unsigned long now = jiffies;
	struct vsd_conn *c;

	for (b = t->gc_next; b < end; b++) {
		struct hlist_head *head = &t->buckets[b];
		spinlock_t *lock = lock_of(t, b);

		if (hlist_empty(head))
			continue;
		spin_lock_bh(lock);
		reap_bucket(t, head, lock, now, expire_nodest);
		/* What remains, for the next passes' pace. */
		hlist_for_each_entry(c, head, node)
			gc_note(t, c, c->key.template ?
				READ_ONCE(c->dest->svc->timeout) : 0);
		spin_unlock_bh(lock);
		if (!((b - t->gc_next) & 255))
			cond_resched();
	}
	t->gc_next = end < size ? end : 0;
	if (t->gc_next) {
		queue_delayed_work(system_power_efficient_wq, &t->gc,
				   period / runs);
		return;
	}
	/* A full pass: what it met becomes the previous pass's. */
	WRITE_ONCE(t->gc_kinds_prev, xchg(&t->gc_kinds, 0));
	WRITE_ONCE(t->gc_tmpl_timeout_prev,
		   xchg(&t->gc_tmpl_timeout, UINT_MAX));
	vsd_routes_gc(&t->routes, false);
	if (atomic_read(&t->count) || READ_ONCE(t->routes.count))
		queue_delayed_work(system_power_efficient_wq, &t->gc,
				   period / runs);
}

/*
 * The buckets of a table made now: 2^conn_tab_bits if the module parameter
 * is set, else from the namespace's conn_max.
 */
static unsigned int tab_size_for(struct vsd_net *vn)
{
	return 1U << (vsd_conn_tab_bits ? :
		      vsd_conn_tab_bits_for(READ_ONCE(vn->settings.conn_max)));
}

unsigned int vsd_conn_tab_size(struct vsd_net *vn)
{
	struct vsd_conn_table *t = READ_ONCE(vn->conns);

	return t ? t->mask + 1 : tab_size_for(vn);
}

int vsd_conn_table_create(struct vsd_net *vn)
{
	unsigned int size = tab_size_for(vn);
	unsigned int nlocks = min_t(unsigned int, size, LOCKS_MAX);
	struct vsd_conn_table *t;
	unsigned int i;

	lockdep_assert_held(&vn->lock);
	t = kzalloc(sizeof(*t), GFP_KERNEL_ACCOUNT);
	if (!t)
		goto err;
	t->buckets = kvmalloc_array(size, sizeof(*t->buckets), GFP_KERNEL_ACCOUNT);
	if (!t->buckets)
		goto err_buckets;
	t->locks = kvmalloc_array(nlocks, sizeof(*t->locks), GFP_KERNEL_ACCOUNT);
	if (!t->locks)
		goto err_locks;
	t->rbuckets = kvmalloc_array(size, sizeof(*t->rbuckets), GFP_KERNEL_ACCOUNT);
	if (!t->rbuckets)
		goto err_rbuckets;
	t->rlocks = kvmalloc_array(nlocks, sizeof(*t->rlocks), GFP_KERNEL_ACCOUNT);
	if (!t->rlocks)
		goto err_rlocks;
	for (i = 0; i < size; i++) {
		INIT_HLIST_HEAD(&t->buckets[i]);
		INIT_HLIST_HEAD(&t->rbuckets[i]);
	}
	for (i = 0; i < nlocks; i++)
		spin_lock_init(&t->locks[i]);
	/* Another lock class: taken inside t->locks[]. */
	for (i = 0; i < nlocks; i++)
		spin_lock_init(&t->rlocks[i]);
	t->mask = size - 1;
	t->lock_mask = nlocks - 1;
	get_random_bytes(&t->key, sizeof(t->key));
	atomic_set(&t->count, 0);
	atomic_set(&t->nat_count, 0);
	t->gc_tmpl_timeout = UINT_MAX;
	t->gc_tmpl_timeout_prev = UINT_MAX;
	t->vn = vn;
	INIT_DELAYED_WORK(&t->gc, gc_work);
	vsd_routes_init(&t->routes);
	/* The hooks, which read it, are registered after this. */
	WRITE_ONCE(vn->conns, t);
	return 0;

err_rlocks:
	kvfree(t->rbuckets);
err_rbuckets:
	kvfree(t->locks);
err_locks:
	kvfree(t->buckets);
err_buckets:
	kfree(t);
err:
	return -ENOMEM;
}

/*
 * Namespace exit, with the hooks unregistered (no packet in flight) and no
 * service left: free every connection, which puts the last references on
 * destinations and services.
 */
void vsd_conn_table_destroy(struct vsd_net *vn)
{
	struct vsd_conn_table *t = vn->conns;
	struct hlist_node *tmp;
	struct vsd_conn *c;
	unsigned int i;
	int left;

	if (!t)
		return;
	cancel_delayed_work_sync(&t->gc);
	for (i = 0; i <= t->mask; i++) {
		spinlock_t *lock = lock_of(t, i);

		spin_lock_bh(lock);
		hlist_for_each_entry_safe(c, tmp, &t->buckets[i], node)
			unlink_put(t, c, lock);
		spin_unlock_bh(lock);
		if (!(i & 1023))
			cond_resched();
	}
	left = atomic_read(&t->count);
	if (left)
		pr_err("leak: %d connections not freed with their namespace\n",
		       left);
	vsd_routes_gc(&t->routes, true);
	vn->conns = NULL;
	kvfree(t->rlocks);
	kvfree(t->rbuckets);
	kvfree(t->locks);
	kvfree(t->buckets);
	kfree(t);
}

unsigned int vsd_conn_count(struct vsd_net *vn)
{
	struct vsd_conn_table *t = READ_ONCE(vn->conns);

	return t ? atomic_read(&t->count) : 0;
}
