/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VSD_PERNET_H
#define _VSD_PERNET_H

#include <linux/mutex.h>
#include <net/net_namespace.h>

/* The state of vsd in one network namespace. */
struct vsd_net {
	struct net *net;
	struct mutex lock;		/* serialises configuration changes */
};

extern unsigned int vsd_conn_tab_bits;
extern unsigned int vsd_conn_max_default;

struct vsd_net *vsd_net(const struct net *net);

int vsd_pernet_init(void);
void vsd_pernet_uninit(void);

#endif /* _VSD_PERNET_H */
