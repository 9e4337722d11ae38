// SPDX-License-Identifier: GPL-2.0
/*
 * Where packets enter vsd: the netfilter hooks of a namespace, registered
 * while it has services, and what the data path does with each packet.
 *
 *   parse -> ICMP error? -> icmp.c
 *         -> connection? -> forward to its real server
 *              | none
 *              +-> reply of a NAT connection? -> rewrite, on to the client
 *              | none
 *              +-> service? -- none --> NF_ACCEPT, untouched
 *                    +-> may it open a connection? (TCP: a SYN)
 *                          +-> persistence template or scheduler
 *                                -> new connection -> forward
 *
 * Everything runs in the hook's context: softirq (or process context with
 * bottom halves off), under the RCU read lock netfilter holds.
 */

#include "compat.h"
#include "pernet.h"
#include "service.h"
#include "dest.h"
#include "sched.h"
#include "stats.h"
#include "packet.h"
#include "proto.h"
#include "conn.h"
#include "persist.h"
#include "xmit.h"
#include "icmp.h"
#include "hook.h"

#include <linux/netfilter.h>
#include <linux/netfilter_bridge.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/skbuff.h>
#include <net/netfilter/ipv4/nf_defrag_ipv4.h>
#include <net/netfilter/ipv6/nf_defrag_ipv6.h>

/* Account a packet to the service and the real server it goes to. */
static void count_in(struct vsd_dest *dest, const struct vsd_pkt *pkt)
{
	vsd_stats_in(&dest->svc->stats, pkt->len);
	vsd_stats_in(&dest->stats, pkt->len);
}

static unsigned int forward(struct vsd_net *vn, struct vsd_conn *c,
			    struct sk_buff *skb, const struct vsd_pkt *pkt)
{
	/* NAT sees both halves of a connection; DR and TUN the client's. */
	vsd_proto_update(vn, c, pkt, c->fwd == VSD_FWD_MASQ ?
				     VSD_TCP_DIR_INPUT :
				     VSD_TCP_DIR_INPUT_ONLY);
	count_in(c->dest, pkt);
	return vsd_xmit(vn, skb, pkt, c->dest, c->fwd);
}

/* A real server's reply on a NAT connection: back to the client. */
static unsigned int reply(struct vsd_net *vn, struct vsd_conn *c,
			  struct sk_buff *skb, const struct vsd_pkt *pkt,
			  unsigned int hook)
{
	struct vsd_dest *dest = c->dest;

	vsd_proto_update(vn, c, pkt, VSD_TCP_DIR_OUTPUT);
	vsd_stats_out(&dest->svc->stats, pkt->len);
	vsd_stats_out(&dest->stats, pkt->len);
	return vsd_nat_reply(vn, skb, pkt, c, hook);
}

/*
 * May this packet use the connection it matched?  A client's new SYN on a
 * closed connection (port reuse), or on one whose real server is quiesced
 * while expire_nodest_conn is set, starts a new connection: IPVS's rules
 * (conn_reuse_mode 1).  A connection whose real server was deleted ends
 * on its next packet with expire_nodest_conn, which is then handled as a
 * new one; without, it drains to the old server until it expires.
 */
static bool conn_usable(struct vsd_net *vn, struct vsd_conn_table *t,
			struct vsd_conn *c, const struct vsd_pkt *pkt)
{
	bool expire_nodest = READ_ONCE(vn->settings.expire_nodest_conn);
	struct vsd_dest *dest = c->dest;

	if (pkt->protocol == IPPROTO_TCP &&
	    vsd_tcp_may_start(pkt->tcp_flags) &&
	    ((expire_nodest && !READ_ONCE(dest->weight)) ||
	     (!c->control &&
	      vsd_proto_may_restart(pkt->protocol, READ_ONCE(c->state)))))
		goto expire;
	if (vsd_dest_available(dest) || !expire_nodest)
		return true;
expire:
	vsd_conn_expire(t, c);
	return false;
}

/*
 * A UDP service with the one-packet flag schedules every datagram on its
 * own and keeps no connection for it.
 */
static unsigned int one_packet(struct vsd_net *vn, struct vsd_conn_table *t,
			       struct vsd_dest *dest, struct vsd_conn *tmpl,
			       struct sk_buff *skb, const struct vsd_pkt *pkt)
{
	unsigned int verdict;

	vsd_stats_conn(&dest->svc->stats);
	vsd_stats_conn(&dest->stats);
	count_in(dest, pkt);
	verdict = vsd_xmit(vn, skb, pkt, dest, READ_ONCE(dest->fwd));
	if (tmpl)
		vsd_conn_put(t, tmpl);
	return verdict;
}

/* The first packet of a connection to @svc. */
static unsigned int conn_schedule(struct vsd_net *vn,
				  struct vsd_conn_table *t,
				  struct vsd_service *svc, struct sk_buff *skb,
				  const struct vsd_pkt *pkt,
				  const struct vsd_conn_key *key, u32 hash)
{
	struct vsd_conn *tmpl = NULL;
	unsigned int flags = 0;
	struct vsd_dest *dest;
	struct vsd_conn *c;
	u32 state;
	int ret;

	if (READ_ONCE(svc->timeout)) {
		tmpl = vsd_persist_get(t, svc, skb, pkt);
		if (!tmpl)
			return NF_DROP;
		dest = tmpl->dest;
	} else {
		dest = vsd_sched_pick(svc, skb, pkt);
		if (!dest) {
			vsd_count(vn, VSD_CNT_DROP_NO_DEST);
			return NF_DROP;
		}
	}
	if (pkt->protocol == IPPROTO_UDP &&
	    (READ_ONCE(svc->flags) & VSD_SVC_F_ONEPACKET))
		return one_packet(vn, t, dest, tmpl, skb, pkt);

	if (pkt->protocol == IPPROTO_TCP)
		flags |= VSD_CONN_NEW_EVICT;
	state = vsd_proto_initial_state(pkt->protocol);
	ret = vsd_conn_new(t, key, hash, dest, tmpl, state,
			   READ_ONCE(vn->settings.timeout[state]), flags, &c);
	if (!ret) {
		vsd_stats_conn(&dest->svc->stats);
		vsd_stats_conn(&dest->stats);
	} else if (ret != -EEXIST) {
		return NF_DROP;
	}
	return forward(vn, c, skb, pkt);
}

static unsigned int balance(struct vsd_net *vn, struct vsd_conn_table *t,
			    struct sk_buff *skb, const struct vsd_pkt *pkt,
			    unsigned int hook)
{
	struct vsd_service *svc;
	struct vsd_conn_key key;
	struct vsd_conn *c;
	u32 hash;

	vsd_conn_key_from_pkt(&key, pkt);
	hash = vsd_conn_hash(t, &key);
	c = vsd_conn_lookup_hash(t, &key, hash);
	if (c && conn_usable(vn, t, c, pkt))
		return forward(vn, c, skb, pkt);
	/* Replies are forwarded traffic: never in LOCAL_IN. */
	if (hook == NF_INET_PRE_ROUTING && vsd_conn_have_nat(t)) {
		c = vsd_conn_reply_lookup(t, pkt);
		if (c)
			return reply(vn, c, skb, pkt, hook);
	}

	svc = vsd_service_find(vn, pkt->af, pkt->protocol, &pkt->daddr,
			       pkt->dport, skb->mark);
	if (!svc)
		return NF_ACCEPT;
	if (!vsd_proto_may_start(pkt)) {
		vsd_count(vn, VSD_CNT_DROP_NO_CONN);
		return NF_DROP;
	}
	return conn_schedule(vn, t, svc, skb, pkt, &key, hash);
}

/* br_netfilter shows frames it bridges to other hosts to the IP hooks. */
static bool bridged_elsewhere(const struct sk_buff *skb)
{
#if IS_ENABLED(CONFIG_BRIDGE_NETFILTER)
	return nf_bridge_info_exists(skb) &&
	       nf_bridge_info_get(skb)->pkt_otherhost;
#else
	return false;
#endif
}

/*
 * Parse a packet for the hook: true, or false with the verdict on it in
 * *@verdict (not vsd's: accepted; malformed: dropped and counted).
 */
static bool parse(struct vsd_net *vn, struct sk_buff *skb,
		  const struct nf_hook_state *state, struct vsd_pkt *pkt,
		  unsigned int *verdict)
{
	int ret;

	ret = vsd_pkt_parse(skb, state->pf == NFPROTO_IPV4 ? AF_INET : AF_INET6,
			    pkt);
	if (likely(!ret))
		return true;
	if (ret == -EPROTONOSUPPORT) {
		*verdict = NF_ACCEPT;
	} else {
		vsd_count(vn, VSD_CNT_DROP_MALFORMED);
		*verdict = NF_DROP;
	}
	return false;
}

/* PRE_ROUTING or LOCAL_IN: everything. */
static unsigned int vsd_hook(void *priv, struct sk_buff *skb,
			     const struct nf_hook_state *state)
{
	struct vsd_net *vn = vsd_net(state->net);
	struct vsd_conn_table *t = READ_ONCE(vn->conns);
	unsigned int verdict;
	struct vsd_pkt pkt;

	/* Only packets addressed to this host at L2 can be balanced. */
	if (unlikely(!t) || skb->pkt_type != PACKET_HOST ||
	    bridged_elsewhere(skb))
		return NF_ACCEPT;
	if (!parse(vn, skb, state, &pkt, &verdict))
		return verdict;
	if (unlikely(pkt.icmp))
		return vsd_icmp(vn, t, skb, &pkt, state->hook);
	return balance(vn, t, skb, &pkt, state->hook);
}

/*
 * FORWARD, beside LOCAL_IN: what the real servers of NAT connections send
 * their clients through the director (replies, and ICMP errors about
 * requests), which LOCAL_IN never sees.
 */
static unsigned int vsd_hook_forward(void *priv, struct sk_buff *skb,
				     const struct nf_hook_state *state)
{
	struct vsd_net *vn = vsd_net(state->net);
	struct vsd_conn_table *t = READ_ONCE(vn->conns);
	unsigned int verdict;
	struct vsd_conn *c;
	struct vsd_pkt pkt;

	if (unlikely(!t) || !vsd_conn_have_nat(t))
		return NF_ACCEPT;
	if (!parse(vn, skb, state, &pkt, &verdict))
		return verdict;
	if (unlikely(pkt.icmp))
		return vsd_icmp(vn, t, skb, &pkt, state->hook);
	c = vsd_conn_reply_lookup(t, &pkt);
	if (!c)
		return NF_ACCEPT;
	return reply(vn, c, skb, &pkt, state->hook);
}

/*
 * Where the hooks sit.
 *
 * PRE_ROUTING (default), at NF_IP_PRI_RAW + 1 = -299: after
 * defragmentation (-400, nf_defrag, which vsd enables) and after the raw
 * priority (-300), so that rules there can mark packets for firewall-mark
 * services or drop them first; before conntrack (-200), so that director
 * traffic creates no conntrack entry unless the conntrack setting asks
 * for one, and before mangle (-150) and DNAT (-100).  Before routing, the
 * director needs no VIP: what is routed to it for a VIP is balanced.
 * Firewall marks for fwmark services must be set at priority raw or
 * earlier (nft: "type filter hook prerouting priority raw").  The replies
 * of NAT real servers pass there too: one hook for everything.
 *
 * LOCAL_IN, IPVS's place, at NF_IP_PRI_NAT_SRC - 1 = 99: after the INPUT
 * filter (0) and security (50) tables; only packets for a local address
 * (the VIP on the director) get there.  The replies of NAT real servers,
 * forwarded traffic, are taken in FORWARD, at the same priority (after
 * the FORWARD filter), as IPVS does.
 */
static const struct nf_hook_ops prerouting_ops[] = {
	{
		.hook = vsd_hook,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = NF_IP_PRI_RAW + 1,
	},
	{
		.hook = vsd_hook,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = NF_IP6_PRI_RAW + 1,
	},
};

static const struct nf_hook_ops local_in_ops[] = {
	{
		.hook = vsd_hook,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_LOCAL_IN,
		.priority = NF_IP_PRI_NAT_SRC - 1,
	},
	{
		.hook = vsd_hook,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_LOCAL_IN,
		.priority = NF_IP6_PRI_NAT_SRC - 1,
	},
	{
		.hook = vsd_hook_forward,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_FORWARD,
		.priority = NF_IP_PRI_NAT_SRC - 1,
	},
	{
		.hook = vsd_hook_forward,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_FORWARD,
		.priority = NF_IP6_PRI_NAT_SRC - 1,
	},
};

static const struct {
	const struct nf_hook_ops *ops;
	unsigned int n;
} placements[VSD_HOOK_MAX + 1] = {
	[VSD_HOOK_PREROUTING] = { prerouting_ops, ARRAY_SIZE(prerouting_ops) },
	[VSD_HOOK_LOCAL_IN] = { local_in_ops, ARRAY_SIZE(local_in_ops) },
};

/* Packets reach the hooks reassembled: vsd balances whole datagrams. */
static int defrag_enable(struct net *net)
{
	int ret;

	ret = nf_defrag_ipv4_enable(net);
	if (ret)
		return ret;
	ret = nf_defrag_ipv6_enable(net);
	if (ret)
		nf_defrag_ipv4_disable(net);
	return ret;
}

static void defrag_disable(struct net *net)
{
	nf_defrag_ipv6_disable(net);
	nf_defrag_ipv4_disable(net);
}

static void hooks_unregister(struct vsd_net *vn)
{
	u8 p = vn->hooks_placement;

	nf_unregister_net_hooks(vn->net, placements[p].ops, placements[p].n);
}

int vsd_hooks_sync(struct vsd_net *vn, unsigned int num_services)
{
	u8 want = vn->settings.hook;
	bool had = vn->hooks_registered;
	int ret;

	lockdep_assert_held(&vn->lock);
	if (!num_services) {
		vsd_hooks_unregister(vn);
		return 0;
	}
	if (had && vn->hooks_placement == want)
		return 0;
	if (want > VSD_HOOK_MAX)
		return -EINVAL;
	if (!had) {
		ret = defrag_enable(vn->net);
		if (ret)
			return ret;
	}
	/*
	 * The new hooks first, then the old ones out: every packet meets
	 * one of them meanwhile, and none is handled twice (vsd steals or
	 * drops what it handles, and passes the rest unchanged, but for the
	 * NAT replies it rewrites in FORWARD, which come after any other
	 * place).
	 */
	ret = nf_register_net_hooks(vn->net, placements[want].ops,
				    placements[want].n);
	if (ret) {
		if (!had)
			defrag_disable(vn->net);
		return ret;
	}
	if (had)
		hooks_unregister(vn);
	vn->hooks_registered = true;
	vn->hooks_placement = want;
	return 0;
}

void vsd_hooks_unregister(struct vsd_net *vn)
{
	if (!vn->hooks_registered)
		return;
	hooks_unregister(vn);
	defrag_disable(vn->net);
	vn->hooks_registered = false;
}
