/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VSD_NETLINK_H
#define _VSD_NETLINK_H

int vsd_genl_init(void);
void vsd_genl_uninit(void);

#endif /* _VSD_NETLINK_H */
