// SPDX-License-Identifier: GPL-2.0
/*
 * Virtual services: the hash tables the data path looks services up in,
 * and the lifetime of a service object.  Configuration changes (netlink)
 * happen under vsd_net.lock; the data path reads under RCU only.
 */

#include "compat.h"
#include "pernet.h"
#include "service.h"
#include "addr.h"
#include "dest.h"
#include "sched.h"
#include "hook.h"

#include <linux/siphash.h>
#include <linux/slab.h>
#include <net/ipv6.h>

/* Hash of a service key in its table. */
static u32 key_hash(const struct vsd_net *vn, u16 af, u16 proto,
		    const union nf_inet_addr *addr, __be16 port)
{
	u64 h;

	if (af == AF_INET)
		h = siphash_3u32((__force u32)addr->ip, (__force u32)port,
				 ((u32)af << 16) | proto, &vn->svc_key);
	else
		h = siphash(addr, sizeof(addr->in6), &vn->svc_key) ^
		    siphash_2u32((__force u32)port, ((u32)af << 16) | proto,
				 &vn->svc_key);
	return hash_64(h, VSD_SVC_HASH_BITS);
}

static u32 fwm_hash(const struct vsd_net *vn, u16 af, u32 fwmark)
{
	return hash_64(siphash_2u32(fwmark, af, &vn->svc_key),
		       VSD_SVC_HASH_BITS);
}

static struct vsd_service *find_addr(struct vsd_net *vn, u16 af, u16 proto,
				     const union nf_inet_addr *addr,
				     __be16 port)
{
	struct hlist_head *head;
	struct vsd_service *svc;

	head = &vn->svc_table[key_hash(vn, af, proto, addr, port)];
	hlist_for_each_entry_rcu(svc, head, hnode,
				 lockdep_is_held(&vn->lock)) {
		if (svc->key.af == af && svc->key.protocol == proto &&
		    svc->key.port == port && !svc->key.fwmark &&
		    vsd_addr_equal(af, &svc->key.addr, addr))
			return svc;
	}
	return NULL;
}

static struct vsd_service *find_fwmark(struct vsd_net *vn, u16 af,
				       u32 fwmark)
{
	struct hlist_head *head;
	struct vsd_service *svc;

	head = &vn->fwm_table[fwm_hash(vn, af, fwmark)];
	hlist_for_each_entry_rcu(svc, head, hnode,
				 lockdep_is_held(&vn->lock)) {
		if (svc->key.af == af && svc->key.fwmark == fwmark)
			return svc;
	}
	return NULL;
}

/*
 * IPVS's order: a firewall-mark service first, then the exact
 * (protocol, address, port), then a catch-all port-0 service of the
 * address.
 */
struct vsd_service *vsd_service_find(struct vsd_net *vn, u16 af, u16 proto,
				     const union nf_inet_addr *daddr,
				     __be16 dport, u32 mark)
{
	struct vsd_service *svc;

	if (mark) {
		svc = find_fwmark(vn, af, mark);
		if (svc)
			return svc;
	}
	svc = find_addr(vn, af, proto, daddr, dport);
	if (!svc && dport && READ_ONCE(vn->num_null_services))
		svc = find_addr(vn, af, proto, daddr, 0);
	return svc;
}

struct vsd_service *vsd_service_lookup(struct vsd_net *vn,
				       const struct vsd_service_key *key)
{
	lockdep_assert_held(&vn->lock);
	if (key->fwmark)
		return find_fwmark(vn, key->af, key->fwmark);
	return find_addr(vn, key->af, key->protocol, &key->addr, key->port);
}

struct vsd_service *vsd_service_alloc(struct vsd_net *vn,
				      const struct vsd_service_key *key)
{
	struct vsd_service *svc;

	svc = kzalloc(sizeof(*svc), GFP_KERNEL_ACCOUNT);
	if (!svc)
		return NULL;
	if (vsd_stats_init(&svc->stats)) {
		kfree(svc);
		return NULL;
	}
	atomic_inc(&vsd_objects.services);
	refcount_set(&svc->refcnt, 1);
	svc->vn = vn;
	svc->key = *key;
	INIT_LIST_HEAD(&svc->dests);
	INIT_HLIST_NODE(&svc->hnode);
	INIT_LIST_HEAD(&svc->list);
	return svc;
}

static void service_free_rcu(struct rcu_head *rcu)
{
	struct vsd_service *svc = container_of(rcu, struct vsd_service, rcu);

	vsd_stats_uninit(&svc->stats);
	kfree(svc);
	atomic_dec(&vsd_objects.services);
}

void vsd_service_get(struct vsd_service *svc)
{
	refcount_inc(&svc->refcnt);
}

/*
 * The last reference goes when the service is unlinked and no destination
 * (kept alive by a draining connection) points at it any more.  Readers may
 * still hold it under RCU, so it is freed after a grace period.
 */
void vsd_service_put(struct vsd_service *svc)
{
	if (!refcount_dec_and_test(&svc->refcnt))
		return;
	WARN_ON_ONCE(svc->linked || !list_empty(&svc->dests));
	vsd_sched_release(rcu_dereference_protected(svc->sched, true));
	call_rcu(&svc->rcu, service_free_rcu);
}

void vsd_service_link(struct vsd_service *svc)
{
	struct vsd_net *vn = svc->vn;
	struct hlist_head *head;

	lockdep_assert_held(&vn->lock);
	if (svc->key.fwmark)
		head = &vn->fwm_table[fwm_hash(vn, svc->key.af,
					       svc->key.fwmark)];
	else
		head = &vn->svc_table[key_hash(vn, svc->key.af,
					       svc->key.protocol,
					       &svc->key.addr,
					       svc->key.port)];
	if (!svc->key.fwmark && !svc->key.port)
		WRITE_ONCE(vn->num_null_services, vn->num_null_services + 1);
	hlist_add_head_rcu(&svc->hnode, head);
	list_add_tail_rcu(&svc->list, &vn->services);
	vn->num_services++;
	svc->linked = true;
	vsd_estimator_kick(vn);
}

/*
 * Unlink a service and its destinations; connections bound to them end or
 * drain as the namespace's expire_nodest_conn says.  Drops the table's
 * reference.
 */
void vsd_service_unlink(struct vsd_service *svc)
{
	struct vsd_net *vn = svc->vn;
	struct vsd_dest *dest, *tmp;

	lockdep_assert_held(&vn->lock);
	list_for_each_entry_safe(dest, tmp, &svc->dests, list)
		vsd_dest_unlink(dest);
	hlist_del_init_rcu(&svc->hnode);
	list_del_rcu(&svc->list);
	if (!svc->key.fwmark && !svc->key.port)
		WRITE_ONCE(vn->num_null_services, vn->num_null_services - 1);
	vn->num_services--;
	svc->linked = false;
	vsd_service_put(svc);
}

void vsd_services_flush(struct vsd_net *vn)
{
	struct vsd_service *svc, *tmp;

	lockdep_assert_held(&vn->lock);
	list_for_each_entry_safe(svc, tmp, &vn->services, list)
		vsd_service_unlink(svc);
	vsd_hooks_sync(vn, 0);
	vn->gen++;
}
