// SPDX-License-Identifier: GPL-2.0
/*
 * The "vsd" generic netlink family: attribute policies, the operations
 * table, and the namespace-wide commands (info and settings).  Services,
 * destinations and connections have files of their own (nl_*.c).
 */

#include "compat.h"
#include "version.h"
#include "pernet.h"
#include "netlink.h"
#include "conn.h"
#include "hook.h"
#include "sched.h"

#include <uapi/linux/vsd.h>

#include <linux/module.h>
#include <net/genetlink.h>

static struct netlink_range_validation weight_range = {
	.max = VSD_WEIGHT_MAX,
};

/* What vsdctl -S can write and -R read back (ipvsadm's limit). */
static struct netlink_range_validation thresh_range = {
	.max = VSD_THRESH_MAX,
};

const struct nla_policy vsd_dest_policy[VSD_DEST_A_MAX + 1] = {
	[VSD_DEST_A_AF]		= { .type = NLA_U16 },
	[VSD_DEST_A_ADDR]	= { .type = NLA_BINARY,
				    .len = sizeof(struct in6_addr) },
	[VSD_DEST_A_PORT]	= { .type = NLA_BE16 },
	[VSD_DEST_A_FWD]	= NLA_POLICY_MAX(NLA_U8, VSD_FWD_MAX),
	[VSD_DEST_A_WEIGHT]	= NLA_POLICY_FULL_RANGE(NLA_U32, &weight_range),
	[VSD_DEST_A_U_THRESH]	= NLA_POLICY_FULL_RANGE(NLA_U32, &thresh_range),
	[VSD_DEST_A_L_THRESH]	= NLA_POLICY_FULL_RANGE(NLA_U32, &thresh_range),
	[VSD_DEST_A_ACTIVE_CONNS] = { .type = NLA_REJECT },
	[VSD_DEST_A_INACT_CONNS] = { .type = NLA_REJECT },
	[VSD_DEST_A_PERSIST_CONNS] = { .type = NLA_REJECT },
	[VSD_DEST_A_STATS]	= { .type = NLA_REJECT },
	[VSD_DEST_A_PAD]	= { .type = NLA_REJECT },
};

const struct nla_policy vsd_svc_policy[VSD_SVC_A_MAX + 1] = {
	[VSD_SVC_A_AF]		= { .type = NLA_U16 },
	[VSD_SVC_A_PROTOCOL]	= { .type = NLA_U16 },
	[VSD_SVC_A_ADDR]	= { .type = NLA_BINARY,
				    .len = sizeof(struct in6_addr) },
	[VSD_SVC_A_PORT]	= { .type = NLA_BE16 },
	[VSD_SVC_A_FWMARK]	= { .type = NLA_U32 },
	[VSD_SVC_A_SCHED_NAME]	= { .type = NLA_NUL_STRING,
				    .len = VSD_SCHED_NAME_MAX - 1 },
	[VSD_SVC_A_FLAGS]	= NLA_POLICY_MASK(NLA_U32, VSD_SVC_F_ALL),
	[VSD_SVC_A_TIMEOUT]	= { .type = NLA_U32 },
	[VSD_SVC_A_NETMASK]	= NLA_POLICY_MAX(NLA_U8, 128),
	[VSD_SVC_A_STATS]	= { .type = NLA_REJECT },
	[VSD_SVC_A_DESTS]	= { .type = NLA_REJECT },
	[VSD_SVC_A_NUM_DESTS]	= { .type = NLA_REJECT },
	[VSD_SVC_A_DESTS_CONTINUED] = { .type = NLA_REJECT },
	[VSD_SVC_A_PAD]		= { .type = NLA_REJECT },
};

static const struct nla_policy cfg_policy[VSD_CFG_A_MAX + 1] = {
	[VSD_CFG_A_TIMEOUT_TCP]	= { .type = NLA_U32 },
	[VSD_CFG_A_TIMEOUT_TCP_FIN] = { .type = NLA_U32 },
	[VSD_CFG_A_TIMEOUT_UDP]	= { .type = NLA_U32 },
	[VSD_CFG_A_HOOK]	= NLA_POLICY_MAX(NLA_U8, VSD_HOOK_MAX),
	[VSD_CFG_A_CONNTRACK]	= NLA_POLICY_MAX(NLA_U8, 1),
	[VSD_CFG_A_CONN_MAX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[VSD_CFG_A_EXPIRE_NODEST_CONN] = NLA_POLICY_MAX(NLA_U8, 1),
};

/*
 * Top level.  REPLACE repeats VSD_A_SERVICE and VSD_A_DEST: the family's
 * validation checks every occurrence against these policies.
 */
static const struct nla_policy vsd_policy[VSD_A_MAX + 1] = {
	[VSD_A_INFO]		= { .type = NLA_REJECT },
	[VSD_A_SERVICE]		= NLA_POLICY_NESTED(vsd_svc_policy),
	[VSD_A_DEST]		= NLA_POLICY_NESTED(vsd_dest_policy),
	[VSD_A_CONN]		= { .type = NLA_REJECT },
	[VSD_A_CONFIG]		= NLA_POLICY_NESTED(cfg_policy),
};

static int put_sched_name(const char *name, void *arg)
{
	return nla_put_string(arg, VSD_INFO_A_SCHED_NAME, name);
}

static int put_counters(struct sk_buff *skb, struct vsd_net *vn)
{
	static const int attr[VSD_CNT_MAX] = {
		[VSD_CNT_DROP_NO_CONN]	  = VSD_CNT_A_DROP_NO_CONN,
		[VSD_CNT_DROP_NO_DEST]	  = VSD_CNT_A_DROP_NO_DEST,
		[VSD_CNT_DROP_CONN_FULL]  = VSD_CNT_A_DROP_CONN_FULL,
		[VSD_CNT_DROP_NOMEM]	  = VSD_CNT_A_DROP_NOMEM,
		[VSD_CNT_DROP_MALFORMED]  = VSD_CNT_A_DROP_MALFORMED,
		[VSD_CNT_DROP_XMIT]	  = VSD_CNT_A_DROP_XMIT,
		[VSD_CNT_EVICTED]	  = VSD_CNT_A_EVICTED,
	};
	struct nlattr *nest;
	int i;

	nest = nla_nest_start(skb, VSD_INFO_A_COUNTERS);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < VSD_CNT_MAX; i++) {
		if (nla_put_u64_64bit(skb, attr[i], vsd_counter_sum(vn, i),
				      VSD_CNT_A_PAD))
			return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int info_fill(struct sk_buff *skb, struct vsd_net *vn)
{
	struct nlattr *nest, *scheds;

	nest = nla_nest_start(skb, VSD_A_INFO);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_string(skb, VSD_INFO_A_VERSION, VSD_VERSION) ||
	    nla_put_u32(skb, VSD_INFO_A_CONN_TAB_SIZE, vsd_conn_tab_size(vn)) ||
	    nla_put_u32(skb, VSD_INFO_A_CONN_MAX,
			READ_ONCE(vn->settings.conn_max)) ||
	    nla_put_u32(skb, VSD_INFO_A_CONN_COUNT, vsd_conn_count(vn)))
		return -EMSGSIZE;
	scheds = nla_nest_start(skb, VSD_INFO_A_SCHEDULERS);
	if (!scheds || vsd_sched_for_each(put_sched_name, skb))
		return -EMSGSIZE;
	nla_nest_end(skb, scheds);
	if (put_counters(skb, vn))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int cfg_fill(struct sk_buff *skb, struct vsd_net *vn)
{
	const struct vsd_settings *st = &vn->settings;
	struct nlattr *nest;

	nest = nla_nest_start(skb, VSD_A_CONFIG);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, VSD_CFG_A_TIMEOUT_TCP,
			st->timeout[VSD_TCP_S_ESTABLISHED] / HZ) ||
	    nla_put_u32(skb, VSD_CFG_A_TIMEOUT_TCP_FIN,
			st->timeout[VSD_TCP_S_FIN_WAIT] / HZ) ||
	    nla_put_u32(skb, VSD_CFG_A_TIMEOUT_UDP,
			st->timeout[VSD_CONN_S_UDP] / HZ) ||
	    nla_put_u8(skb, VSD_CFG_A_HOOK, st->hook) ||
	    nla_put_u8(skb, VSD_CFG_A_CONNTRACK, st->conntrack) ||
	    nla_put_u32(skb, VSD_CFG_A_CONN_MAX, st->conn_max) ||
	    nla_put_u8(skb, VSD_CFG_A_EXPIRE_NODEST_CONN,
		       st->expire_nodest_conn))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* A reply of one command, filled under vn->lock. */
static int reply(struct genl_info *info, u8 cmd,
		 int (*fill)(struct sk_buff *skb, struct vsd_net *vn))
{
	struct vsd_net *vn = vsd_net(genl_info_net(info));
	struct sk_buff *msg;
	void *hdr;
	int ret;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &vsd_genl_family, 0, cmd);
	ret = -EMSGSIZE;
	if (!hdr)
		goto err;
	mutex_lock(&vn->lock);
	ret = fill(msg, vn);
	mutex_unlock(&vn->lock);
	if (ret)
		goto err;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
err:
	nlmsg_free(msg);
	return ret;
}

static int vsd_nl_get_info(struct sk_buff *skb, struct genl_info *info)
{
	return reply(info, VSD_CMD_GET_INFO, info_fill);
}

static int vsd_nl_get_config(struct sk_buff *skb, struct genl_info *info)
{
	return reply(info, VSD_CMD_GET_CONFIG, cfg_fill);
}

/* Timeouts: whole seconds, at least 1, and small enough for jiffies. */
static int get_timeout(struct nlattr *attr, unsigned int *jiffies_out,
		       struct netlink_ext_ack *extack)
{
	u32 secs = nla_get_u32(attr);

	if (!secs || secs > VSD_TIMEOUT_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "timeout out of range (1 s to 1 year)");
		return -ERANGE;
	}
	/* Timeouts are kept in 32-bit jiffies: a year needs HZ <= 136. */
	if (secs > UINT_MAX / HZ) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "timeout too long for this kernel's HZ");
		return -ERANGE;
	}
	*jiffies_out = secs * HZ;
	return 0;
}

static int vsd_nl_set_config(struct sk_buff *skb, struct genl_info *info)
{
	struct vsd_net *vn = vsd_net(genl_info_net(info));
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *tb[VSD_CFG_A_MAX + 1];
	struct vsd_settings new;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, VSD_A_CONFIG))
		return -EINVAL;
	ret = nla_parse_nested(tb, VSD_CFG_A_MAX, info->attrs[VSD_A_CONFIG],
			       cfg_policy, extack);
	if (ret)
		return ret;

	mutex_lock(&vn->lock);
	new = vn->settings;
	if (tb[VSD_CFG_A_TIMEOUT_TCP]) {
		ret = get_timeout(tb[VSD_CFG_A_TIMEOUT_TCP],
				  &new.timeout[VSD_TCP_S_ESTABLISHED], extack);
		if (ret)
			goto out;
	}
	if (tb[VSD_CFG_A_TIMEOUT_TCP_FIN]) {
		ret = get_timeout(tb[VSD_CFG_A_TIMEOUT_TCP_FIN],
				  &new.timeout[VSD_TCP_S_FIN_WAIT], extack);
		if (ret)
			goto out;
	}
	if (tb[VSD_CFG_A_TIMEOUT_UDP]) {
		ret = get_timeout(tb[VSD_CFG_A_TIMEOUT_UDP],
				  &new.timeout[VSD_CONN_S_UDP], extack);
		if (ret)
			goto out;
	}
	if (tb[VSD_CFG_A_HOOK])
		new.hook = nla_get_u8(tb[VSD_CFG_A_HOOK]);
	if (tb[VSD_CFG_A_CONNTRACK])
		new.conntrack = nla_get_u8(tb[VSD_CFG_A_CONNTRACK]);
	if (tb[VSD_CFG_A_CONN_MAX])
		new.conn_max = nla_get_u32(tb[VSD_CFG_A_CONN_MAX]);
	if (tb[VSD_CFG_A_EXPIRE_NODEST_CONN])
		new.expire_nodest_conn =
			nla_get_u8(tb[VSD_CFG_A_EXPIRE_NODEST_CONN]);

	if (new.hook != vn->settings.hook) {
		u8 old = vn->settings.hook;

		WRITE_ONCE(vn->settings.hook, new.hook);
		ret = vsd_hooks_sync(vn, vn->num_services);
		if (ret) {
			WRITE_ONCE(vn->settings.hook, old);
			NL_SET_ERR_MSG(extack,
				       "cannot move the netfilter hooks");
			goto out;
		}
	}
	vsd_settings_store(&vn->settings, &new);
	vn->gen++;
out:
	mutex_unlock(&vn->lock);
	return ret;
}

#define OP(c, fn, dump)						\
	{							\
		.cmd = (c),					\
		.doit = (fn),					\
		.dumpit = (dump),				\
		.flags = GENL_UNS_ADMIN_PERM,			\
	}

static const struct genl_ops vsd_genl_ops[] = {
	OP(VSD_CMD_GET_INFO, vsd_nl_get_info, NULL),
	OP(VSD_CMD_NEW_SERVICE, vsd_nl_new_service, NULL),
	OP(VSD_CMD_SET_SERVICE, vsd_nl_set_service, NULL),
	OP(VSD_CMD_DEL_SERVICE, vsd_nl_del_service, NULL),
	OP(VSD_CMD_GET_SERVICE, vsd_nl_get_service, vsd_nl_dump_services),
	OP(VSD_CMD_NEW_DEST, vsd_nl_new_dest, NULL),
	OP(VSD_CMD_SET_DEST, vsd_nl_set_dest, NULL),
	OP(VSD_CMD_DEL_DEST, vsd_nl_del_dest, NULL),
	OP(VSD_CMD_GET_CONN, NULL, vsd_nl_conn_dump),
	OP(VSD_CMD_GET_CONFIG, vsd_nl_get_config, NULL),
	OP(VSD_CMD_SET_CONFIG, vsd_nl_set_config, NULL),
	OP(VSD_CMD_ZERO, vsd_nl_zero, NULL),
	OP(VSD_CMD_FLUSH, vsd_nl_flush, NULL),
	OP(VSD_CMD_REPLACE, vsd_nl_replace, NULL),
};

struct genl_family vsd_genl_family __ro_after_init = {
	.name = VSD_GENL_NAME,
	.version = VSD_GENL_VERSION,
	.maxattr = VSD_A_MAX,
	.policy = vsd_policy,
	.netnsok = true,
	.resv_start_op = VSD_CMD_GET_INFO,
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
