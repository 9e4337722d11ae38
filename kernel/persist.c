// SPDX-License-Identifier: GPL-2.0
/*
 * Persistence, IPVS's way: a service with a persistence timeout sends a
 * client (its address masked with the service's netmask) to the same real
 * server for as long as a template says so.  A template is an entry of
 * the connection table with key.template set, keyed by the masked client
 * address and the service: (protocol, VIP, port) for an address service,
 * so one client's connections to the ports of a port-0 service share it
 * (vport 0); the firewall mark for a fwmark service (protocol 0, the mark
 * in vaddr).  It expires its timeout after the last connection it made,
 * and not while connections it made are alive; it ends at once when its
 * real server is deleted.  Its real server counts it in PersistConn.
 */

#include "compat.h"
#include "pernet.h"
#include "service.h"
#include "dest.h"
#include "sched.h"
#include "packet.h"
#include "conn.h"
#include "persist.h"

static void template_key(struct vsd_conn_key *key,
			 const struct vsd_service *svc,
			 const struct vsd_pkt *pkt)
{
	int i;

	memset(key, 0, sizeof(*key));
	key->af = pkt->af;
	key->template = 1;
	for (i = 0; i < ARRAY_SIZE(key->caddr.all); i++)
		key->caddr.all[i] = pkt->saddr.all[i] & svc->mask.all[i];
	if (svc->key.fwmark) {
		key->vaddr.ip = htonl(svc->key.fwmark);
		return;
	}
	key->protocol = pkt->protocol;
	key->vaddr = pkt->daddr;
	key->vport = svc->key.port;
}

struct vsd_conn *vsd_persist_get(struct vsd_conn_table *t,
				 struct vsd_service *svc,
				 const struct sk_buff *skb,
				 const struct vsd_pkt *pkt)
{
	unsigned int timeout = READ_ONCE(svc->timeout);
	struct vsd_conn_key key;
	struct vsd_dest *dest;
	struct vsd_conn *ct;
	u32 hash;
	int ret;

	template_key(&key, svc, pkt);
	hash = vsd_conn_hash(t, &key);
	ct = vsd_conn_lookup_hash(t, &key, hash);
	if (ct) {
		if (vsd_dest_available(ct->dest) &&
		    refcount_inc_not_zero(&ct->refcnt)) {
			vsd_conn_refresh(ct, timeout);
			return ct;
		}
		/* Its real server is gone: a new template replaces it. */
		vsd_conn_expire(t, ct);
	}

	dest = vsd_sched_pick(svc, skb, pkt);
	if (!dest) {
		vsd_count(t->vn, VSD_CNT_DROP_NO_DEST);
		return NULL;
	}
	ret = vsd_conn_new(t, &key, hash, dest, NULL, VSD_TCP_S_NONE, timeout,
			   VSD_CONN_NEW_HOLD, &ct);
	/* -EEXIST: another CPU's template for this client, as good. */
	if (ret && ret != -EEXIST)
		return NULL;
	return ct;
}
