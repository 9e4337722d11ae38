// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink commands on single services and destinations: add, edit, delete,
 * get and dump (services with their destinations in one pass), zero the
 * counters, flush.  All changes happen under vsd_net.lock, each either
 * completely or not at all.
 */

#include "compat.h"
#include "pernet.h"
#include "service.h"
#include "dest.h"
#include "sched.h"
#include "conn.h"
#include "hook.h"
#include "netlink.h"
#include "addr.h"
#include "nl_service.h"

#include <uapi/linux/vsd.h>

#include <net/genetlink.h>
#include <net/sock.h>

static int put_stats(struct sk_buff *skb, int type, struct vsd_stats *stats)
{
	struct vsd_stats_snap t, r;
	struct nlattr *nest;

	vsd_stats_read(stats, &t);
	vsd_stats_rates(stats, &r);
	nest = nla_nest_start(skb, type);
	if (!nest ||
	    nla_put_u64_64bit(skb, VSD_STATS_A_CONNS, t.conns,
			      VSD_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, VSD_STATS_A_INPKTS, t.inpkts,
			      VSD_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, VSD_STATS_A_OUTPKTS, t.outpkts,
			      VSD_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, VSD_STATS_A_INBYTES, t.inbytes,
			      VSD_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, VSD_STATS_A_OUTBYTES, t.outbytes,
			      VSD_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, VSD_STATS_A_CPS, r.conns,
			      VSD_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, VSD_STATS_A_INPPS, r.inpkts,
			      VSD_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, VSD_STATS_A_OUTPPS, r.outpkts,
			      VSD_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, VSD_STATS_A_INBPS, r.inbytes,
			      VSD_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, VSD_STATS_A_OUTBPS, r.outbytes,
			      VSD_STATS_A_PAD))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * Room for one more destination in the service's nest: nested attributes
 * stop at 64 KiB whatever room the message has.
 */
#define DEST_ATTR_MAX 256

static bool nest_has_room(struct sk_buff *skb, const struct nlattr *nest)
{
	return skb_tail_pointer(skb) - (unsigned char *)nest +
	       DEST_ATTR_MAX <= U16_MAX;
}

static int fill_dest(struct sk_buff *skb, struct vsd_dest *dest)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, VSD_A_DEST);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u16(skb, VSD_DEST_A_AF, dest->af) ||
	    vsd_nla_put_addr(skb, VSD_DEST_A_ADDR, dest->af, &dest->addr) ||
	    nla_put_be16(skb, VSD_DEST_A_PORT, dest->port) ||
	    nla_put_u8(skb, VSD_DEST_A_FWD, READ_ONCE(dest->fwd)) ||
	    nla_put_u32(skb, VSD_DEST_A_WEIGHT, READ_ONCE(dest->weight)) ||
	    nla_put_u32(skb, VSD_DEST_A_U_THRESH, READ_ONCE(dest->u_thresh)) ||
	    nla_put_u32(skb, VSD_DEST_A_L_THRESH, READ_ONCE(dest->l_thresh)) ||
	    nla_put_u32(skb, VSD_DEST_A_ACTIVE_CONNS,
			atomic_read(&dest->activeconns)) ||
	    nla_put_u32(skb, VSD_DEST_A_INACT_CONNS,
			vsd_dest_inactconns(dest)) ||
	    nla_put_u32(skb, VSD_DEST_A_PERSIST_CONNS,
			atomic_read(&dest->persistconns)) ||
	    put_stats(skb, VSD_DEST_A_STATS, &dest->stats)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int fill_key(struct sk_buff *skb, const struct vsd_service_key *key)
{
	if (nla_put_u16(skb, VSD_SVC_A_AF, key->af))
		return -EMSGSIZE;
	if (key->fwmark)
		return nla_put_u32(skb, VSD_SVC_A_FWMARK, key->fwmark);
	if (nla_put_u16(skb, VSD_SVC_A_PROTOCOL, key->protocol) ||
	    vsd_nla_put_addr(skb, VSD_SVC_A_ADDR, key->af, &key->addr) ||
	    nla_put_be16(skb, VSD_SVC_A_PORT, key->port))
		return -EMSGSIZE;
	return 0;
}

/*
 * One service with its destinations from index @first on.  *@next is 0
 * when all of them fit, else the index to continue from in the next
 * message.  -EMSGSIZE when not even one more destination fits.
 */
int vsd_nl_fill_service(struct sk_buff *skb, struct vsd_service *svc,
			unsigned int first, unsigned int *next)
{
	struct vsd_sched *s;
	struct nlattr *nest, *dests;
	struct vsd_dest *dest;
	unsigned int i = 0;

	lockdep_assert_held(&svc->vn->lock);
	s = vsd_sched_of(svc);
	*next = 0;
	nest = nla_nest_start(skb, VSD_A_SERVICE);
	if (!nest)
		return -EMSGSIZE;
	if (fill_key(skb, &svc->key) ||
	    nla_put_string(skb, VSD_SVC_A_SCHED_NAME, s->ops->name) ||
	    nla_put_u32(skb, VSD_SVC_A_FLAGS, svc->flags) ||
	    nla_put_u32(skb, VSD_SVC_A_TIMEOUT, svc->timeout / HZ) ||
	    nla_put_u8(skb, VSD_SVC_A_NETMASK, svc->netmask) ||
	    nla_put_u32(skb, VSD_SVC_A_NUM_DESTS, svc->num_dests) ||
	    (first && nla_put_flag(skb, VSD_SVC_A_DESTS_CONTINUED)) ||
	    put_stats(skb, VSD_SVC_A_STATS, &svc->stats))
		goto cancel;
	dests = nla_nest_start(skb, VSD_SVC_A_DESTS);
	if (!dests)
		goto cancel;
	list_for_each_entry(dest, &svc->dests, list) {
		if (i < first) {
			i++;
			continue;
		}
		if (!nest_has_room(skb, nest) || fill_dest(skb, dest)) {
			if (i == first)
				goto cancel;
			*next = i;
			break;
		}
		i++;
	}
	nla_nest_end(skb, dests);
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

static struct vsd_net *info_vn(struct genl_info *info)
{
	return vsd_net(genl_info_net(info));
}

/* The service a request names (VSD_A_SERVICE), under vn->lock. */
static struct vsd_service *request_service(struct vsd_net *vn,
					   struct genl_info *info,
					   struct vsd_svc_spec *spec)
{
	struct vsd_service *svc;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, VSD_A_SERVICE))
		return ERR_PTR(-EINVAL);
	ret = vsd_nl_parse_service(info->attrs[VSD_A_SERVICE], spec,
				   info->extack);
	if (ret)
		return ERR_PTR(ret);
	svc = vsd_service_lookup(vn, &spec->key);
	if (!svc) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[VSD_A_SERVICE],
				    "no such service");
		return ERR_PTR(-ESRCH);
	}
	return svc;
}

int vsd_nl_new_service(struct sk_buff *skb, struct genl_info *info)
{
	struct netlink_ext_ack *extack = info->extack;
	struct vsd_net *vn = info_vn(info);
	struct vsd_service *svc;
	struct vsd_svc_spec spec;
	struct vsd_sched *s;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, VSD_A_SERVICE))
		return -EINVAL;
	ret = vsd_nl_parse_service(info->attrs[VSD_A_SERVICE], &spec, extack);
	if (!ret)
		ret = vsd_nl_check_service(&spec, extack);
	if (ret)
		return ret;

	mutex_lock(&vn->lock);
	ret = -EEXIST;
	if (vsd_service_lookup(vn, &spec.key)) {
		NL_SET_ERR_MSG_ATTR(extack, info->attrs[VSD_A_SERVICE],
				    "service exists");
		goto out;
	}
	if (!vn->conns) {
		ret = vsd_conn_table_create(vn);
		if (ret)
			goto out;
	}
	ret = -ENOMEM;
	svc = vsd_service_alloc(vn, &spec.key);
	if (!svc)
		goto out;
	s = vsd_sched_alloc(spec.sched, svc);
	if (!s)
		goto err_svc;
	RCU_INIT_POINTER(svc->sched, s);
	vsd_service_apply(svc, &spec);
	ret = vsd_hooks_sync(vn, vn->num_services + 1);
	if (ret) {
		NL_SET_ERR_MSG(extack, "cannot register the netfilter hooks");
		goto err_svc;
	}
	vsd_service_link(svc);
	vn->gen++;
	goto out;
err_svc:
	vsd_service_put(svc);
out:
	mutex_unlock(&vn->lock);
	return ret;
}

int vsd_nl_set_service(struct sk_buff *skb, struct genl_info *info)
{
	struct vsd_net *vn = info_vn(info);
	struct vsd_sched *old, *s;
	struct vsd_service *svc;
	struct vsd_svc_spec spec;
	int ret = 0;

	mutex_lock(&vn->lock);
	svc = request_service(vn, info, &spec);
	ret = PTR_ERR_OR_ZERO(svc);
	if (ret)
		goto out;
	old = vsd_sched_of(svc);
	if (!(spec.given & VSD_SPEC_SCHED))
		spec.sched = old->ops;
	if (!(spec.given & VSD_SPEC_FLAGS))
		spec.flags = svc->flags;
	if (!(spec.given & VSD_SPEC_TIMEOUT))
		spec.timeout = svc->timeout;
	if (!(spec.given & VSD_SPEC_NETMASK))
		spec.netmask = svc->netmask;
	ret = vsd_nl_check_service(&spec, info->extack);
	if (ret)
		goto out;
	if (spec.sched != old->ops) {
		s = vsd_sched_alloc(spec.sched, svc);
		if (!s) {
			ret = -ENOMEM;
			goto out;
		}
		rcu_assign_pointer(svc->sched, s);
		vsd_sched_release(old);
	}
	vsd_service_apply(svc, &spec);
	vn->gen++;
out:
	mutex_unlock(&vn->lock);
	return ret;
}

int vsd_nl_del_service(struct sk_buff *skb, struct genl_info *info)
{
	struct vsd_net *vn = info_vn(info);
	struct vsd_service *svc;
	struct vsd_svc_spec spec;
	int ret = 0;

	mutex_lock(&vn->lock);
	svc = request_service(vn, info, &spec);
	ret = PTR_ERR_OR_ZERO(svc);
	if (ret)
		goto out;
	vsd_service_unlink(svc);
	/* Unregistering cannot fail. */
	vsd_hooks_sync(vn, vn->num_services);
	vn->gen++;
out:
	mutex_unlock(&vn->lock);
	return ret;
}

int vsd_nl_get_service(struct sk_buff *skb, struct genl_info *info)
{
	struct vsd_net *vn = info_vn(info);
	struct vsd_service *svc;
	struct vsd_svc_spec spec;
	struct sk_buff *msg;
	unsigned int next;
	void *hdr;
	int ret;

	mutex_lock(&vn->lock);
	svc = request_service(vn, info, &spec);
	ret = PTR_ERR_OR_ZERO(svc);
	if (ret)
		goto out;
	ret = -ENOMEM;
	msg = genlmsg_new(NLMSG_GOODSIZE + svc->num_dests * 512, GFP_KERNEL);
	if (!msg)
		goto out;
	ret = -EMSGSIZE;
	hdr = genlmsg_put_reply(msg, info, &vsd_genl_family, 0,
				VSD_CMD_GET_SERVICE);
	if (!hdr || vsd_nl_fill_service(msg, svc, 0, &next) || next) {
		NL_SET_ERR_MSG(info->extack,
			       "too many destinations for one reply: dump with the service as a filter");
		nlmsg_free(msg);
		goto out;
	}
	genlmsg_end(msg, hdr);
	mutex_unlock(&vn->lock);
	return genlmsg_reply(msg, info);
out:
	mutex_unlock(&vn->lock);
	return ret;
}

/*
 * Every service with its destinations.  cb->args[0]: index of the service
 * to continue with; cb->args[1]: index of its first destination not sent
 * yet.  A configuration change between two parts of the dump sets
 * NLM_F_DUMP_INTR (cb->seq follows the configuration generation).
 */
int vsd_nl_dump_services(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct vsd_net *vn = vsd_net(sock_net(skb->sk));
	unsigned int idx = cb->args[0], first = cb->args[1], i = 0, next;
	struct vsd_service *svc;
	void *hdr;

	struct nlattr *filter = vsd_dump_attrs(cb)[VSD_A_SERVICE];
	struct vsd_service *one = NULL;
	struct vsd_svc_spec spec;
	int ret;

	if (filter) {
		ret = vsd_nl_parse_service(filter, &spec, cb->extack);
		if (ret)
			return ret;
	}
	mutex_lock(&vn->lock);
	cb->seq = vn->gen;
	if (filter) {
		one = vsd_service_lookup(vn, &spec.key);
		if (!one) {
			mutex_unlock(&vn->lock);
			NL_SET_ERR_MSG_ATTR(cb->extack, filter,
					    "no such service");
			return -ESRCH;
		}
	}
	/*
	 * Resume at the service the last part stopped at when nothing changed
	 * since (then it is still linked: deleting it bumps the generation);
	 * else walk to the index, and the dump is flagged inconsistent.
	 */
	svc = list_first_entry(&vn->services, struct vsd_service, list);
	if (cb->args[2] && cb->args[3] == vn->gen && !one) {
		svc = (struct vsd_service *)cb->args[2];
		i = idx;
	}
	list_for_each_entry_from(svc, &vn->services, list) {
		if (one && svc != one)
			continue;
		if (i < idx) {
			i++;
			continue;
		}
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &vsd_genl_family,
				  NLM_F_MULTI, VSD_CMD_GET_SERVICE);
		if (!hdr)
			break;
		genl_dump_check_consistent(cb, hdr);
		if (vsd_nl_fill_service(skb, svc, first, &next)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		if (next) {
			first = next;
			break;
		}
		first = 0;
		i++;
	}
	cb->args[0] = i;
	cb->args[1] = first;
	/* Where to resume: this service, valid while the generation holds. */
	cb->args[2] = list_entry_is_head(svc, &vn->services, list) ?
		      0 : (long)svc;
	cb->args[3] = vn->gen;
	mutex_unlock(&vn->lock);
	return skb->len;
}

/*
 * The service and the destination a request names, under vn->lock.
 * @exists: the destination must exist (ENOENT if not), or must not
 * (EEXIST if it does).
 */
static struct vsd_service *request_dest(struct vsd_net *vn,
					struct genl_info *info,
					struct vsd_dest_spec *dspec,
					struct vsd_dest **dest, bool exists)
{
	struct vsd_service *svc;
	struct vsd_svc_spec spec;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, VSD_A_DEST))
		return ERR_PTR(-EINVAL);
	svc = request_service(vn, info, &spec);
	if (IS_ERR(svc))
		return svc;
	ret = vsd_nl_parse_dest(info->attrs[VSD_A_DEST], &svc->key, dspec,
				info->extack);
	if (ret)
		return ERR_PTR(ret);
	*dest = vsd_dest_lookup(svc, dspec->af, &dspec->addr, dspec->port);
	if (exists && !*dest) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[VSD_A_DEST],
				    "no such destination");
		return ERR_PTR(-ENOENT);
	}
	if (!exists && *dest) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[VSD_A_DEST],
				    "destination exists");
		return ERR_PTR(-EEXIST);
	}
	return svc;
}

int vsd_nl_new_dest(struct sk_buff *skb, struct genl_info *info)
{
	struct vsd_net *vn = info_vn(info);
	struct vsd_dest_spec spec;
	struct vsd_service *svc;
	struct vsd_dest *dest;
	int ret;

	mutex_lock(&vn->lock);
	svc = request_dest(vn, info, &spec, &dest, false);
	ret = PTR_ERR_OR_ZERO(svc);
	if (ret)
		goto out;
	ret = vsd_nl_check_dest(&spec, &svc->key, info->extack);
	if (ret)
		goto out;
	ret = vsd_sched_reserve(svc, NULL, svc->num_dests + 1);
	if (ret)
		goto out;
	ret = -ENOMEM;
	dest = vsd_dest_alloc(spec.af, &spec.addr, spec.port);
	if (!dest)
		goto out;
	vsd_dest_set_params(dest, spec.fwd, spec.weight, spec.u_thresh,
			    spec.l_thresh);
	vsd_dest_link(svc, dest);
	vsd_sched_update(svc);
	vn->gen++;
	ret = 0;
out:
	mutex_unlock(&vn->lock);
	return ret;
}

int vsd_nl_set_dest(struct sk_buff *skb, struct genl_info *info)
{
	struct vsd_net *vn = info_vn(info);
	struct vsd_dest_spec spec;
	struct vsd_service *svc;
	struct vsd_dest *dest;
	int ret;

	mutex_lock(&vn->lock);
	svc = request_dest(vn, info, &spec, &dest, true);
	ret = PTR_ERR_OR_ZERO(svc);
	if (ret)
		goto out;
	if (!(spec.given & VSD_SPEC_FWD))
		spec.fwd = dest->fwd;
	if (!(spec.given & VSD_SPEC_WEIGHT))
		spec.weight = dest->weight;
	if (!(spec.given & VSD_SPEC_U_THRESH))
		spec.u_thresh = dest->u_thresh;
	if (!(spec.given & VSD_SPEC_L_THRESH))
		spec.l_thresh = dest->l_thresh;
	ret = vsd_nl_check_dest(&spec, &svc->key, info->extack);
	if (ret)
		goto out;
	ret = vsd_sched_reserve(svc, NULL, svc->num_dests);
	if (ret)
		goto out;
	vsd_dest_set_params(dest, spec.fwd, spec.weight, spec.u_thresh,
			    spec.l_thresh);
	vsd_sched_update(svc);
	vn->gen++;
out:
	mutex_unlock(&vn->lock);
	return ret;
}

int vsd_nl_del_dest(struct sk_buff *skb, struct genl_info *info)
{
	struct vsd_net *vn = info_vn(info);
	struct vsd_dest_spec spec;
	struct vsd_service *svc;
	struct vsd_dest *dest;
	int ret;

	mutex_lock(&vn->lock);
	svc = request_dest(vn, info, &spec, &dest, true);
	ret = PTR_ERR_OR_ZERO(svc);
	if (ret)
		goto out;
	ret = vsd_sched_reserve(svc, NULL, svc->num_dests);
	if (ret)
		goto out;
	vsd_dest_unlink(dest);
	vsd_sched_update(svc);
	vn->gen++;
out:
	mutex_unlock(&vn->lock);
	return ret;
}

static void zero_service(struct vsd_service *svc)
{
	struct vsd_dest *dest;

	vsd_stats_zero(&svc->stats);
	list_for_each_entry(dest, &svc->dests, list)
		vsd_stats_zero(&dest->stats);
}

int vsd_nl_zero(struct sk_buff *skb, struct genl_info *info)
{
	struct vsd_net *vn = info_vn(info);
	struct vsd_service *svc;
	struct vsd_svc_spec spec;
	int ret = 0;

	mutex_lock(&vn->lock);
	if (info->attrs[VSD_A_SERVICE]) {
		svc = request_service(vn, info, &spec);
		if (IS_ERR(svc))
			ret = PTR_ERR(svc);
		else
			zero_service(svc);
	} else {
		list_for_each_entry(svc, &vn->services, list)
			zero_service(svc);
	}
	mutex_unlock(&vn->lock);
	return ret;
}

int vsd_nl_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct vsd_net *vn = info_vn(info);

	mutex_lock(&vn->lock);
	vsd_services_flush(vn);
	mutex_unlock(&vn->lock);
	return 0;
}
