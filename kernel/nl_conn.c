// SPDX-License-Identifier: GPL-2.0
/*
 * VSD_CMD_GET_CONN: the connection table of the namespace, templates
 * included, one VSD_A_CONN per message, optionally only those of one
 * service.  The dump walks the buckets under RCU and resumes where the
 * previous message stopped (cb->args[0]: bucket, cb->args[1]: entries of
 * that bucket already passed).  Like a conntrack dump it is not a snapshot:
 * connections created or ended meanwhile may be missed or, if their
 * bucket changed before the resume point, seen twice.
 */

#include "compat.h"
#include "pernet.h"
#include "service.h"
#include "dest.h"
#include "proto.h"
#include "conn.h"
#include "netlink.h"
#include "addr.h"
#include "nl_service.h"

#include <uapi/linux/vsd.h>

#include <net/genetlink.h>
#include <net/ipv6.h>
#include <net/sock.h>

static int fill_conn(struct sk_buff *skb, const struct vsd_conn *c,
		     u32 state, unsigned long now)
{
	const struct vsd_dest *dest = c->dest;
	const struct vsd_service *svc = dest->svc;
	const union nf_inet_addr any = {};
	const union nf_inet_addr *vaddr = &c->key.vaddr;
	bool tmpl = c->key.template;
	unsigned long left = 0;
	bool svc_port = svc->key.port && c->key.vport == svc->key.port;
	__be16 dport = c->key.vport;
	struct nlattr *nest;
	u32 flags = 0;

	/*
	 * IPVS's: the server's port where the service's port was used; a
	 * template of a fwmark or port-0 service has none.
	 */
	if (svc_port && dest->port)
		dport = dest->port;
	else if (tmpl)
		dport = 0;
	if (tmpl) {
		flags |= VSD_CONN_F_TEMPLATE;
		if (svc->key.fwmark)
			vaddr = &any;
	} else if (!vsd_proto_active(c->key.protocol, state)) {
		flags |= VSD_CONN_F_INACTIVE;
	}
	if (!vsd_conn_expired(c, now))
		left = READ_ONCE(c->expires) - now;

	nest = nla_nest_start(skb, VSD_A_CONN);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u16(skb, VSD_CONN_A_AF, c->key.af) ||
	    nla_put_u16(skb, VSD_CONN_A_PROTOCOL,
			tmpl ? 0 : c->key.protocol) ||
	    vsd_nla_put_addr(skb, VSD_CONN_A_CADDR, c->key.af, &c->key.caddr) ||
	    nla_put_be16(skb, VSD_CONN_A_CPORT, c->key.cport) ||
	    vsd_nla_put_addr(skb, VSD_CONN_A_VADDR, c->key.af, vaddr) ||
	    nla_put_be16(skb, VSD_CONN_A_VPORT, c->key.vport) ||
	    nla_put_u16(skb, VSD_CONN_A_DEST_AF, dest->af) ||
	    vsd_nla_put_addr(skb, VSD_CONN_A_DADDR, dest->af, &dest->addr) ||
	    nla_put_be16(skb, VSD_CONN_A_DPORT, dport) ||
	    (svc->key.fwmark &&
	     nla_put_u32(skb, VSD_CONN_A_FWMARK, svc->key.fwmark)) ||
	    nla_put_u8(skb, VSD_CONN_A_FWD, tmpl ? READ_ONCE(dest->fwd) :
						   c->fwd) ||
	    nla_put_u8(skb, VSD_CONN_A_STATE, state) ||
	    nla_put_u32(skb, VSD_CONN_A_EXPIRES, jiffies_to_msecs(left)) ||
	    nla_put_u32(skb, VSD_CONN_A_FLAGS, flags)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int put_conn(struct sk_buff *skb, struct netlink_callback *cb,
		    const struct vsd_conn *c, u32 state, unsigned long now)
{
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &vsd_genl_family, NLM_F_MULTI, VSD_CMD_GET_CONN);
	if (!hdr)
		return -EMSGSIZE;
	if (fill_conn(skb, c, state, now)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

int vsd_nl_conn_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct vsd_net *vn = vsd_net(sock_net(skb->sk));
	struct nlattr *filter = vsd_dump_attrs(cb)[VSD_A_SERVICE];
	struct vsd_conn_table *t = READ_ONCE(vn->conns);
	unsigned long bucket = cb->args[0], skip = cb->args[1];
	unsigned long now = jiffies;
	struct vsd_svc_spec spec;
	int ret;

	if (filter) {
		ret = vsd_nl_parse_service(filter, &spec, cb->extack);
		if (ret)
			return ret;
	}
	if (!t)
		return 0;
	for (; bucket <= t->mask; bucket++, skip = 0) {
		unsigned long i = 0;
		struct vsd_conn *c;

		if (hlist_empty(&t->buckets[bucket]))
			continue;
		rcu_read_lock();
		hlist_for_each_entry_rcu(c, &t->buckets[bucket], node) {
			u32 state = READ_ONCE(c->state);

			if (i++ < skip)
				continue;
			if (state == VSD_CONN_S_DEAD || !vsd_conn_alive(c, now))
				continue;
			if (filter &&
			    !vsd_service_key_equal(&c->dest->svc->key,
						   &spec.key))
				continue;
			if (put_conn(skb, cb, c, state, now)) {
				rcu_read_unlock();
				cb->args[0] = bucket;
				cb->args[1] = i - 1;
				return skb->len;
			}
		}
		rcu_read_unlock();
		cond_resched();
	}
	cb->args[0] = bucket;
	cb->args[1] = 0;
	return skb->len;
}
