// SPDX-License-Identifier: GPL-2.0
/*
 * VSD_CMD_REPLACE: the whole configuration in one request, applied
 * atomically.  Three phases under vsd_net.lock:
 *
 *  1. parse and check every service and destination (duplicates included);
 *  2. prepare: find what exists, allocate what is new (services,
 *     destinations, scheduler states), create the connection table and
 *     register the hooks if needed — any failure undoes this phase only;
 *  3. commit: delete what goes, update what stays, link what is new.  This
 *     phase cannot fail, so the configuration is either the old one or the
 *     new one.
 *
 * Services and destinations that stay keep their connections and counters.
 */

#include "compat.h"
#include "pernet.h"
#include "service.h"
#include "dest.h"
#include "sched.h"
#include "conn.h"
#include "hook.h"
#include "netlink.h"
#include "nl_service.h"

#include <linux/sort.h>
#include <linux/bsearch.h>
#include <linux/slab.h>
#include <net/genetlink.h>

struct rdest {
	struct vsd_dest_spec spec;
	struct vsd_dest *dest;		/* existing, or new until linked */
	bool is_new;
};

struct rsvc {
	struct vsd_svc_spec spec;
	struct vsd_service *svc;	/* existing, or new until linked */
	struct vsd_sched *sched;	/* a new scheduler state, or NULL */
	bool is_new;
	unsigned int ndests;
	struct rdest *dests;		/* into struct replace.dests */
	struct rdest **sorted;		/* dests by key, for lookups */
};

struct replace {
	unsigned int nsvcs;
	unsigned int ndests;
	struct rsvc *svcs;
	struct rsvc **sorted;		/* services by key */
	struct rdest *dests;
	struct rdest **dsorted;
};

static int svc_key_cmp(const struct vsd_service_key *a,
		       const struct vsd_service_key *b)
{
	return memcmp(a, b, sizeof(*a));
}

static int rsvc_cmp(const void *a, const void *b)
{
	const struct rsvc *x = *(const struct rsvc **)a;
	const struct rsvc *y = *(const struct rsvc **)b;

	return svc_key_cmp(&x->spec.key, &y->spec.key);
}

/* Destinations are identified by (af, addr, port) within a service. */
struct dest_key {
	union nf_inet_addr addr;
	__be16 port;
	u16 af;
};

static int dest_key_cmp(const struct dest_key *a, const struct dest_key *b)
{
	int r = memcmp(&a->addr, &b->addr, sizeof(a->addr));

	if (r)
		return r;
	if (a->port != b->port)
		return (__force u16)a->port < (__force u16)b->port ? -1 : 1;
	return a->af - b->af;
}

static void spec_dest_key(const struct vsd_dest_spec *s, struct dest_key *k)
{
	k->addr = s->addr;
	k->port = s->port;
	k->af = s->af;
}

static int rdest_cmp(const void *a, const void *b)
{
	const struct rdest *x = *(const struct rdest **)a;
	const struct rdest *y = *(const struct rdest **)b;
	struct dest_key kx, ky;

	spec_dest_key(&x->spec, &kx);
	spec_dest_key(&y->spec, &ky);
	return dest_key_cmp(&kx, &ky);
}

static int svc_find_cmp(const void *key, const void *elt)
{
	const struct rsvc *r = *(const struct rsvc **)elt;

	return svc_key_cmp(key, &r->spec.key);
}

static int dest_find_cmp(const void *key, const void *elt)
{
	const struct rdest *r = *(const struct rdest **)elt;
	struct dest_key k;

	spec_dest_key(&r->spec, &k);
	return dest_key_cmp(key, &k);
}

static void replace_free(struct replace *rp)
{
	kvfree(rp->svcs);
	kvfree(rp->sorted);
	kvfree(rp->dests);
	kvfree(rp->dsorted);
}

/* Phase 1: count, allocate the arrays, parse, check for duplicates. */
static int parse(struct replace *rp, struct genl_info *info)
{
	struct netlink_ext_ack *extack = info->extack;
	unsigned int s = 0, d = 0, i, j;
	struct rsvc *cur = NULL;
	struct nlattr *attr;
	int rem, ret;

	nlmsg_for_each_attr(attr, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(attr) == VSD_A_SERVICE) {
			rp->nsvcs++;
		} else if (nla_type(attr) == VSD_A_DEST) {
			if (!rp->nsvcs) {
				NL_SET_ERR_MSG_ATTR(extack, attr,
						    "destination before any service");
				return -EINVAL;
			}
			rp->ndests++;
		} else {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "only services and destinations here");
			return -EINVAL;
		}
	}
	rp->svcs = kvcalloc(rp->nsvcs, sizeof(*rp->svcs), GFP_KERNEL_ACCOUNT);
	rp->sorted = kvcalloc(rp->nsvcs, sizeof(*rp->sorted), GFP_KERNEL_ACCOUNT);
	rp->dests = kvcalloc(rp->ndests, sizeof(*rp->dests), GFP_KERNEL_ACCOUNT);
	rp->dsorted = kvcalloc(rp->ndests, sizeof(*rp->dsorted), GFP_KERNEL_ACCOUNT);
	if ((rp->nsvcs && (!rp->svcs || !rp->sorted)) ||
	    (rp->ndests && (!rp->dests || !rp->dsorted)))
		return -ENOMEM;

	nlmsg_for_each_attr(attr, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(attr) == VSD_A_SERVICE) {
			cur = &rp->svcs[s];
			rp->sorted[s++] = cur;
			ret = vsd_nl_parse_service(attr, &cur->spec, extack);
			if (!ret)
				ret = vsd_nl_check_service(&cur->spec, extack);
			if (ret)
				return ret;
			cur->dests = &rp->dests[d];
			cur->sorted = &rp->dsorted[d];
		} else {
			struct rdest *rd = &rp->dests[d];

			ret = vsd_nl_parse_dest(attr, &cur->spec.key, &rd->spec,
						extack);
			if (ret)
				return ret;
			cur->sorted[cur->ndests++] = rd;
			d++;
		}
	}

	sort(rp->sorted, rp->nsvcs, sizeof(*rp->sorted), rsvc_cmp, NULL);
	for (i = 1; i < rp->nsvcs; i++) {
		if (!rsvc_cmp(&rp->sorted[i - 1], &rp->sorted[i])) {
			NL_SET_ERR_MSG_ATTR(extack, rp->sorted[i]->spec.nest,
					    "duplicate service");
			return -EEXIST;
		}
	}
	for (i = 0; i < rp->nsvcs; i++) {
		struct rsvc *r = &rp->svcs[i];

		sort(r->sorted, r->ndests, sizeof(*r->sorted), rdest_cmp, NULL);
		for (j = 1; j < r->ndests; j++) {
			if (!rdest_cmp(&r->sorted[j - 1], &r->sorted[j])) {
				NL_SET_ERR_MSG_ATTR(extack,
						    r->sorted[j]->spec.nest,
						    "duplicate destination");
				return -EEXIST;
			}
		}
	}
	return 0;
}

/* Phase 2: everything that can fail. */
static int prepare(struct vsd_net *vn, struct replace *rp,
		   struct netlink_ext_ack *extack)
{
	unsigned int i, j;
	int ret;

	for (i = 0; i < rp->nsvcs; i++) {
		struct rsvc *r = &rp->svcs[i];
		const struct vsd_sched_ops *cur = NULL;

		r->svc = vsd_service_lookup(vn, &r->spec.key);
		if (r->svc) {
			cur = vsd_sched_of(r->svc)->ops;
		} else {
			r->svc = vsd_service_alloc(vn, &r->spec.key);
			if (!r->svc)
				return -ENOMEM;
			r->is_new = true;
		}
		if (r->spec.sched != cur) {
			r->sched = vsd_sched_alloc(r->spec.sched, r->svc);
			if (!r->sched)
				return -ENOMEM;
		}
		ret = vsd_sched_reserve(r->svc, r->sched, r->ndests);
		if (ret)
			return ret;
		for (j = 0; j < r->ndests; j++) {
			struct rdest *rd = &r->dests[j];

			ret = vsd_nl_check_dest(&rd->spec, &r->spec.key,
						extack);
			if (ret)
				return ret;
			if (!r->is_new)
				rd->dest = vsd_dest_lookup(r->svc, rd->spec.af,
							   &rd->spec.addr,
							   rd->spec.port);
			if (!rd->dest) {
				rd->dest = vsd_dest_alloc(rd->spec.af,
							  &rd->spec.addr,
							  rd->spec.port);
				if (!rd->dest)
					return -ENOMEM;
				rd->is_new = true;
			}
		}
	}
	if (rp->nsvcs && !vn->conns) {
		ret = vsd_conn_table_create(vn);
		if (ret)
			return ret;
	}
	ret = vsd_hooks_sync(vn, rp->nsvcs);
	if (ret)
		NL_SET_ERR_MSG(extack, "cannot register the netfilter hooks");
	return ret;
}

/* Undo phase 2 for what phase 3 did not take over. */
static void unprepare(struct replace *rp)
{
	unsigned int i, j;

	for (i = 0; i < rp->nsvcs; i++) {
		struct rsvc *r = &rp->svcs[i];

		for (j = 0; j < r->ndests; j++) {
			if (r->dests[j].is_new && r->dests[j].dest)
				vsd_dest_put(r->dests[j].dest);
		}
		vsd_sched_release(r->sched);
		if (r->is_new && r->svc)
			vsd_service_put(r->svc);
	}
}

static bool wanted_service(struct replace *rp, struct vsd_service *svc)
{
	return bsearch(&svc->key, rp->sorted, rp->nsvcs, sizeof(*rp->sorted),
		       svc_find_cmp);
}

static bool wanted_dest(struct rsvc *r, struct vsd_dest *dest)
{
	struct dest_key k = { .addr = dest->addr, .port = dest->port,
			      .af = dest->af };

	return bsearch(&k, r->sorted, r->ndests, sizeof(*r->sorted),
		       dest_find_cmp);
}

/* Phase 3: nothing here can fail. */
static void commit(struct vsd_net *vn, struct replace *rp)
{
	struct vsd_service *svc, *stmp;
	struct vsd_dest *dest, *dtmp;
	unsigned int i, j;

	list_for_each_entry_safe(svc, stmp, &vn->services, list) {
		if (!wanted_service(rp, svc))
			vsd_service_unlink(svc);
	}
	for (i = 0; i < rp->nsvcs; i++) {
		struct rsvc *r = &rp->svcs[i];

		svc = r->svc;
		if (!r->is_new) {
			list_for_each_entry_safe(dest, dtmp, &svc->dests, list) {
				if (!wanted_dest(r, dest))
					vsd_dest_unlink(dest);
			}
		}
		if (r->sched) {
			struct vsd_sched *old;

			old = vsd_sched_of(svc);
			rcu_assign_pointer(svc->sched, r->sched);
			vsd_sched_release(old);
			r->sched = NULL;
		}
		vsd_service_apply(svc, &r->spec);
		for (j = 0; j < r->ndests; j++) {
			struct rdest *rd = &r->dests[j];

			vsd_dest_set_params(rd->dest, rd->spec.fwd,
					    rd->spec.weight, rd->spec.u_thresh,
					    rd->spec.l_thresh);
			if (rd->is_new) {
				vsd_dest_link(svc, rd->dest);
				rd->dest = NULL;
			}
		}
		vsd_sched_update(svc);
		if (r->is_new) {
			vsd_service_link(svc);
			r->svc = NULL;
		}
	}
	vsd_hooks_sync(vn, vn->num_services);
	vn->gen++;
}

int vsd_nl_replace(struct sk_buff *skb, struct genl_info *info)
{
	struct vsd_net *vn = vsd_net(genl_info_net(info));
	struct replace rp = {};
	int ret;

	ret = parse(&rp, info);
	if (ret)
		goto out;
	mutex_lock(&vn->lock);
	ret = prepare(vn, &rp, info->extack);
	if (!ret)
		commit(vn, &rp);
	unprepare(&rp);
	mutex_unlock(&vn->lock);
out:
	replace_free(&rp);
	return ret;
}
