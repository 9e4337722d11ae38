/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VSD_SCHED_H
#define _VSD_SCHED_H

#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/types.h>

struct sk_buff;
struct vsd_service;
struct vsd_dest;
struct vsd_pkt;

/*
 * The scheduler state of one service.  Algorithms embed it first in their
 * own structure; the service points at it under RCU, so changing the
 * scheduler (or rebuilding its state) is an RCU pointer swap.
 */
struct vsd_sched {
	const struct vsd_sched_ops *ops;
	struct rcu_head rcu;
};

/*
 * A scheduling algorithm.  alloc() builds its state for a service and may
 * sleep; reserve() (optional) makes room for @ndests destinations before a
 * change, and may sleep and fail; del_dest() (optional) hears that @dest
 * was just unlinked from svc->dests; update() (optional) brings the state
 * in line with svc->dests after a change — both under vsd_net.lock,
 * neither may fail (allocate in alloc() or reserve());
 * pick() chooses a destination for a new connection, under RCU with bottom
 * halves disabled, and returns NULL when none is usable.
 */
struct vsd_sched_ops {
	const char *name;
	struct list_head list;
	struct vsd_sched *(*alloc)(struct vsd_service *svc);
	void (*free)(struct vsd_sched *s);	/* after an RCU grace period */
	int (*reserve)(struct vsd_sched *s, unsigned int ndests);
	void (*del_dest)(struct vsd_service *svc, struct vsd_sched *s,
			 struct vsd_dest *dest);
	void (*update)(struct vsd_service *svc, struct vsd_sched *s);
	struct vsd_dest *(*pick)(struct vsd_service *svc, struct vsd_sched *s,
				 const struct sk_buff *skb,
				 const struct vsd_pkt *pkt);
};

/* Control path, under vsd_net.lock: the service's scheduler state. */
struct vsd_sched *vsd_sched_of(struct vsd_service *svc);

/* The built-in algorithms register themselves in vsd_sched_init(). */
const struct vsd_sched_ops *vsd_sched_find(const char *name);
/* Calls fn for each algorithm name, in registration order. */
int vsd_sched_for_each(int (*fn)(const char *name, void *arg), void *arg);

struct vsd_sched *vsd_sched_alloc(const struct vsd_sched_ops *ops,
				  struct vsd_service *svc);
/* Frees after an RCU grace period. */
void vsd_sched_release(struct vsd_sched *s);

/*
 * Under vsd_net.lock, before destinations are added: room for @ndests in
 * the service's scheduler state @s (the current one if NULL).
 */
int vsd_sched_reserve(struct vsd_service *svc, struct vsd_sched *s,
		      unsigned int ndests);

/* Under vsd_net.lock: svc->dests changed (or a weight did). */
void vsd_sched_update(struct vsd_service *svc);

/* Data path: choose a destination for a new connection.  Under RCU. */
struct vsd_dest *vsd_sched_pick(struct vsd_service *svc,
				const struct sk_buff *skb,
				const struct vsd_pkt *pkt);

int vsd_sched_init(void);
void vsd_sched_uninit(void);

extern struct vsd_sched_ops vsd_sched_rr;
extern struct vsd_sched_ops vsd_sched_wrr;
extern struct vsd_sched_ops vsd_sched_lc;
extern struct vsd_sched_ops vsd_sched_wlc;
extern struct vsd_sched_ops vsd_sched_sh;
extern struct vsd_sched_ops vsd_sched_mh;

/* sched_mh.c: its module parameter, checked on load. */
extern unsigned int vsd_mh_table_size;
bool vsd_sched_mh_param_ok(void);

#endif /* _VSD_SCHED_H */
