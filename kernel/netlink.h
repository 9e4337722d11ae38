/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VSD_NETLINK_H
#define _VSD_NETLINK_H

#include <net/genetlink.h>

extern struct genl_family vsd_genl_family;

/* Nested-attribute policies, shared by the files that parse them. */
extern const struct nla_policy vsd_svc_policy[];
extern const struct nla_policy vsd_dest_policy[];

/* nl_service.c: services and destinations. */
int vsd_nl_new_service(struct sk_buff *skb, struct genl_info *info);
int vsd_nl_set_service(struct sk_buff *skb, struct genl_info *info);
int vsd_nl_del_service(struct sk_buff *skb, struct genl_info *info);
int vsd_nl_get_service(struct sk_buff *skb, struct genl_info *info);
int vsd_nl_dump_services(struct sk_buff *skb, struct netlink_callback *cb);
int vsd_nl_new_dest(struct sk_buff *skb, struct genl_info *info);
int vsd_nl_set_dest(struct sk_buff *skb, struct genl_info *info);
int vsd_nl_del_dest(struct sk_buff *skb, struct genl_info *info);
int vsd_nl_zero(struct sk_buff *skb, struct genl_info *info);
int vsd_nl_flush(struct sk_buff *skb, struct genl_info *info);

/* nl_replace.c: the whole configuration at once. */
int vsd_nl_replace(struct sk_buff *skb, struct genl_info *info);

/* nl_conn.c: the connection table. */
int vsd_nl_conn_dump(struct sk_buff *skb, struct netlink_callback *cb);

int vsd_genl_init(void);
void vsd_genl_uninit(void);

#endif /* _VSD_NETLINK_H */
