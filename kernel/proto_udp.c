// SPDX-License-Identifier: GPL-2.0
/*
 * UDP flows: one state (VSD_CONN_S_UDP, counted in InActConn as with
 * IPVS), alive while datagrams keep coming within the UDP timeout.
 */

#include "compat.h"
#include "pernet.h"
#include "conn.h"
#include "proto.h"

void vsd_udp_update(struct vsd_net *vn, struct vsd_conn *c,
		    const struct vsd_pkt *pkt)
{
	vsd_conn_refresh(c, READ_ONCE(vn->settings.timeout[VSD_CONN_S_UDP]));
}
