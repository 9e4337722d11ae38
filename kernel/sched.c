// SPDX-License-Identifier: GPL-2.0
/*
 * Scheduling algorithms: the registry, and each service's scheduler state
 * behind an RCU pointer so that the configuration can swap it while packets
 * are being scheduled.
 */

#include "compat.h"
#include "pernet.h"
#include "service.h"
#include "sched.h"

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>

static LIST_HEAD(algorithms);

const struct vsd_sched_ops *vsd_sched_find(const char *name)
{
	const struct vsd_sched_ops *ops;

	list_for_each_entry(ops, &algorithms, list) {
		if (!strcmp(ops->name, name))
			return ops;
	}
	return NULL;
}

int vsd_sched_for_each(int (*fn)(const char *name, void *arg), void *arg)
{
	const struct vsd_sched_ops *ops;
	int ret;

	list_for_each_entry(ops, &algorithms, list) {
		ret = fn(ops->name, arg);
		if (ret)
			return ret;
	}
	return 0;
}

struct vsd_sched *vsd_sched_of(struct vsd_service *svc)
{
	return rcu_dereference_protected(svc->sched,
					 lockdep_is_held(&svc->vn->lock));
}

struct vsd_sched *vsd_sched_alloc(const struct vsd_sched_ops *ops,
				  struct vsd_service *svc)
{
	struct vsd_sched *s;

	s = ops->alloc(svc);
	if (!s)
		return NULL;
	s->ops = ops;
	return s;
}

static void sched_free_rcu(struct rcu_head *rcu)
{
	struct vsd_sched *s = container_of(rcu, struct vsd_sched, rcu);

	s->ops->free(s);
}

void vsd_sched_release(struct vsd_sched *s)
{
	if (s)
		call_rcu(&s->rcu, sched_free_rcu);
}

int vsd_sched_reserve(struct vsd_service *svc, struct vsd_sched *s,
		      unsigned int ndests)
{
	if (!s)
		s = vsd_sched_of(svc);
	if (!s || !s->ops->reserve)
		return 0;
	return s->ops->reserve(s, ndests);
}

void vsd_sched_update(struct vsd_service *svc)
{
	struct vsd_sched *s;

	s = vsd_sched_of(svc);
	if (s && s->ops->update)
		s->ops->update(svc, s);
}

struct vsd_dest *vsd_sched_pick(struct vsd_service *svc,
				const struct sk_buff *skb,
				const struct vsd_pkt *pkt)
{
	struct vsd_sched *s = rcu_dereference(svc->sched);

	if (unlikely(!s))
		return NULL;
	return s->ops->pick(svc, s, skb, pkt);
}

static struct vsd_sched_ops *const builtin[] = {
	&vsd_sched_rr,
	&vsd_sched_wrr,
	&vsd_sched_lc,
	&vsd_sched_wlc,
	&vsd_sched_sh,
	&vsd_sched_mh,
};

int __init vsd_sched_init(void)
{
	unsigned int i;

	if (!vsd_sched_mh_param_ok()) {
		pr_err("mh_table_size=%u is not a prime in 251..131071\n",
		       vsd_mh_table_size);
		return -EINVAL;
	}
	for (i = 0; i < ARRAY_SIZE(builtin); i++)
		list_add_tail(&builtin[i]->list, &algorithms);
	return 0;
}

void vsd_sched_uninit(void)
{
	INIT_LIST_HEAD(&algorithms);
}
