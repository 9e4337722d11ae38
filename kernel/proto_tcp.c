// SPDX-License-Identifier: GPL-2.0
/*
 * TCP connections: their state follows the client's packets through IPVS's
 * tables (proto_tcp.h), and each state has its own timeout.  The real
 * server's packets do not pass the director with DR, so the table for
 * packets seen in one direction only applies (IPVS's INPUT-ONLY).
 */

#include "compat.h"
#include "pernet.h"
#include "dest.h"
#include "conn.h"
#include "proto.h"

void vsd_tcp_update(struct vsd_net *vn, struct vsd_conn *c,
		    const struct vsd_pkt *pkt)
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
		new = vsd_tcp_next_state(VSD_TCP_DIR_INPUT_ONLY, old,
					 pkt->tcp_flags);
		if (new == old)
			goto refresh;
	} while (!try_cmpxchg(&c->state, &old, new));

	if (vsd_tcp_state_active(old) != vsd_tcp_state_active(new))
		vsd_dest_conn_activate(c->dest, vsd_tcp_state_active(new));
refresh:
	vsd_conn_refresh(c, READ_ONCE(vn->settings.timeout[new]));
}
