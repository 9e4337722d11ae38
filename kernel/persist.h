/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VSD_PERSIST_H
#define _VSD_PERSIST_H

struct sk_buff;
struct vsd_conn;
struct vsd_conn_table;
struct vsd_pkt;
struct vsd_service;

/*
 * A persistent service's template for the client of @pkt: the one that
 * exists, or a new one with a destination the scheduler picks.  Returned
 * with a reference for the new connection to hold as its control, or NULL
 * when there is none (the drop is counted).  Under RCU, bottom halves off.
 */
struct vsd_conn *vsd_persist_get(struct vsd_conn_table *t,
				 struct vsd_service *svc,
				 const struct sk_buff *skb,
				 const struct vsd_pkt *pkt);

#endif /* _VSD_PERSIST_H */
