// SPDX-License-Identifier: GPL-2.0
/*
 * The "vsd" generic netlink family: policies, operations and replies.
 */

#include "compat.h"
#include "version.h"
#include "pernet.h"
#include "netlink.h"

#include <uapi/linux/vsd.h>

#include <linux/module.h>
#include <net/genetlink.h>

static const struct nla_policy vsd_policy[VSD_A_MAX + 1] = {
	[VSD_A_INFO]		= { .type = NLA_REJECT },
};

static struct genl_family vsd_genl_family;

static int info_fill(struct sk_buff *skb, struct vsd_net *vn)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, VSD_A_INFO);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_string(skb, VSD_INFO_A_VERSION, VSD_VERSION) ||
	    nla_put_u32(skb, VSD_INFO_A_CONN_TAB_SIZE,
			1U << vsd_conn_tab_bits) ||
	    nla_put_u32(skb, VSD_INFO_A_CONN_MAX, vsd_conn_max_default) ||
	    nla_put_u32(skb, VSD_INFO_A_CONN_COUNT, 0)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int vsd_get_info(struct sk_buff *skb, struct genl_info *info)
{
	struct vsd_net *vn = vsd_net(genl_info_net(info));
	struct sk_buff *msg;
	void *hdr;
	int ret;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &vsd_genl_family, 0,
				VSD_CMD_GET_INFO);
	ret = -EMSGSIZE;
	if (!hdr)
		goto err;
	ret = info_fill(msg, vn);
	if (ret)
		goto err;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
err:
	nlmsg_free(msg);
	return ret;
}

static const struct genl_ops vsd_genl_ops[] = {
	{
		.cmd = VSD_CMD_GET_INFO,
		.doit = vsd_get_info,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

static struct genl_family vsd_genl_family __ro_after_init = {
	.name = VSD_GENL_NAME,
	.version = VSD_GENL_VERSION,
	.maxattr = VSD_A_MAX,
	.policy = vsd_policy,
	.netnsok = true,
	.resv_start_op = VSD_CMD_UNSPEC + 1,
	.ops = vsd_genl_ops,
	.n_ops = ARRAY_SIZE(vsd_genl_ops),
	.module = THIS_MODULE,
};

int __init vsd_genl_init(void)
{
	return genl_register_family(&vsd_genl_family);
}

void vsd_genl_uninit(void)
{
	genl_unregister_family(&vsd_genl_family);
}
