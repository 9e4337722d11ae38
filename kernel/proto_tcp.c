// SPDX-License-Identifier: GPL-2.0
/*
 * TCP connections: their state follows their packets through IPVS's tables
 * (proto_tcp.h), and each state has its own timeout.  With DR and TUN the
 * real server's packets do not pass the director, so the table for
 * packets seen in one direction only applies (IPVS's INPUT-ONLY); with NAT
 * both halves pass, the client's through the INPUT table, the server's
 * through the OUTPUT table.
 */

#include "compat.h"
#include "pernet.h"
#include "dest.h"
#include "conn.h"
#include "proto.h"

void vsd_tcp_update(struct vsd_net *vn, struct vsd_conn *c,
		    const struct vsd_pkt *pkt, int dir)
{
	u32 old = READ_ONCE(c->state);
	u32 new;

	/*
	 * Packets of one connection may run on several CPUs at once: the
	 * one whose cmpxchg makes a transition does its accounting.
	 */
	do {
		if (old == VSD_CONN_S_DEAD)
			return;
		new = vsd_tcp_next_state(dir, old, pkt->tcp_flags);
		if (new == old)
			goto refresh;
	} while (!try_cmpxchg(&c->state, &old, new));

	if (vsd_tcp_state_active(old) != vsd_tcp_state_active(new))
		vsd_dest_conn_activate(c->dest, vsd_tcp_state_active(new));
refresh:
	vsd_conn_refresh(c, READ_ONCE(vn->settings.timeout[new]));
}
