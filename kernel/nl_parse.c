// SPDX-License-Identifier: GPL-2.0
/*
 * Services and destinations as requests describe them: parsing of the
 * VSD_A_SERVICE and VSD_A_DEST nests with IPVS's defaults, the semantic
 * checks that go beyond the attribute policies (each with its own errno and
 * extended-ack message), and applying a service's parameters.
 */

#include "compat.h"
#include "pernet.h"
#include "service.h"
#include "sched.h"
#include "netlink.h"
#include "nl_service.h"

#include <uapi/linux/vsd.h>

#include <linux/in.h>
#include <net/netlink.h>

#define DEFAULT_SCHED "wlc"

static int get_addr(const struct nlattr *nest, const struct nlattr *attr,
		    u16 af, union nf_inet_addr *addr,
		    struct netlink_ext_ack *extack)
{
	int len = af == AF_INET ? sizeof(struct in_addr) :
				  sizeof(struct in6_addr);

	if (nla_len(attr) != len) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "address length does not match the address family");
		return -EINVAL;
	}
	memset(addr, 0, sizeof(*addr));
	memcpy(addr, nla_data(attr), len);
	return 0;
}

static int get_af(const struct nlattr *attr, u16 *af,
		  struct netlink_ext_ack *extack)
{
	*af = nla_get_u16(attr);
	if (*af != AF_INET && *af != AF_INET6) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "address family not supported (AF_INET or AF_INET6)");
		return -EAFNOSUPPORT;
	}
	return 0;
}

int vsd_nl_parse_service(const struct nlattr *nest, struct vsd_svc_spec *spec,
			 struct netlink_ext_ack *extack)
{
	struct nlattr *tb[VSD_SVC_A_MAX + 1];
	struct vsd_service_key *key = &spec->key;
	int ret;

	memset(spec, 0, sizeof(*spec));
	spec->nest = nest;
	ret = nla_parse_nested(tb, VSD_SVC_A_MAX, nest, vsd_svc_policy,
			       extack);
	if (ret)
		return ret;
	if (NL_REQ_ATTR_CHECK(extack, nest, tb, VSD_SVC_A_AF)) {
		NL_SET_ERR_MSG(extack, "service address family missing");
		return -EINVAL;
	}
	ret = get_af(tb[VSD_SVC_A_AF], &key->af, extack);
	if (ret)
		return ret;

	if (tb[VSD_SVC_A_FWMARK]) {
		key->fwmark = nla_get_u32(tb[VSD_SVC_A_FWMARK]);
		if (!key->fwmark) {
			NL_SET_ERR_MSG_ATTR(extack, tb[VSD_SVC_A_FWMARK],
					    "firewall mark must not be 0");
			return -EINVAL;
		}
		if (tb[VSD_SVC_A_PROTOCOL] || tb[VSD_SVC_A_ADDR] ||
		    tb[VSD_SVC_A_PORT]) {
			NL_SET_ERR_MSG_ATTR(extack, tb[VSD_SVC_A_FWMARK],
					    "a firewall-mark service has no protocol, address or port");
			return -EINVAL;
		}
	} else {
		if (NL_REQ_ATTR_CHECK(extack, nest, tb, VSD_SVC_A_PROTOCOL) ||
		    NL_REQ_ATTR_CHECK(extack, nest, tb, VSD_SVC_A_ADDR) ||
		    NL_REQ_ATTR_CHECK(extack, nest, tb, VSD_SVC_A_PORT)) {
			NL_SET_ERR_MSG(extack,
				       "service needs a protocol, address and port, or a firewall mark");
			return -EINVAL;
		}
		key->protocol = nla_get_u16(tb[VSD_SVC_A_PROTOCOL]);
		if (key->protocol != IPPROTO_TCP &&
		    key->protocol != IPPROTO_UDP) {
			NL_SET_ERR_MSG_ATTR(extack, tb[VSD_SVC_A_PROTOCOL],
					    "protocol not supported (TCP or UDP)");
			return -EPROTONOSUPPORT;
		}
		ret = get_addr(nest, tb[VSD_SVC_A_ADDR], key->af, &key->addr,
			       extack);
		if (ret)
			return ret;
		key->port = nla_get_be16(tb[VSD_SVC_A_PORT]);
	}

	spec->sched = vsd_sched_find(DEFAULT_SCHED);
	if (tb[VSD_SVC_A_SCHED_NAME]) {
		spec->sched = vsd_sched_find(nla_data(tb[VSD_SVC_A_SCHED_NAME]));
		if (!spec->sched) {
			NL_SET_ERR_MSG_ATTR(extack, tb[VSD_SVC_A_SCHED_NAME],
					    "unknown scheduler");
			return -ENOENT;
		}
		spec->given |= VSD_SPEC_SCHED;
	}
	if (tb[VSD_SVC_A_FLAGS]) {
		spec->flags = nla_get_u32(tb[VSD_SVC_A_FLAGS]);
		spec->given |= VSD_SPEC_FLAGS;
	}
	if (tb[VSD_SVC_A_TIMEOUT]) {
		u32 secs = nla_get_u32(tb[VSD_SVC_A_TIMEOUT]);

		if (secs > VSD_TIMEOUT_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, tb[VSD_SVC_A_TIMEOUT],
					    "persistence timeout longer than a year");
			return -ERANGE;
		}
		/* Kept in 32-bit jiffies: a year needs HZ <= 136. */
		if (secs > UINT_MAX / HZ) {
			NL_SET_ERR_MSG_ATTR(extack, tb[VSD_SVC_A_TIMEOUT],
					    "persistence timeout too long for this kernel's HZ");
			return -ERANGE;
		}
		spec->timeout = secs * HZ;
		spec->given |= VSD_SPEC_TIMEOUT;
	}
	spec->netmask = key->af == AF_INET ? 32 : 128;
	if (tb[VSD_SVC_A_NETMASK]) {
		spec->netmask = nla_get_u8(tb[VSD_SVC_A_NETMASK]);
		if (key->af == AF_INET && spec->netmask > 32) {
			NL_SET_ERR_MSG_ATTR(extack, tb[VSD_SVC_A_NETMASK],
					    "IPv4 netmask longer than 32 bits");
			return -EINVAL;
		}
		spec->given |= VSD_SPEC_NETMASK;
	}
	return 0;
}

int vsd_nl_parse_dest(const struct nlattr *nest,
		      const struct vsd_service_key *svc,
		      struct vsd_dest_spec *spec,
		      struct netlink_ext_ack *extack)
{
	struct nlattr *tb[VSD_DEST_A_MAX + 1];
	int ret;

	memset(spec, 0, sizeof(*spec));
	spec->nest = nest;
	ret = nla_parse_nested(tb, VSD_DEST_A_MAX, nest, vsd_dest_policy,
			       extack);
	if (ret)
		return ret;
	spec->af = svc->af;
	if (tb[VSD_DEST_A_AF]) {
		ret = get_af(tb[VSD_DEST_A_AF], &spec->af, extack);
		if (ret)
			return ret;
	}
	if (NL_REQ_ATTR_CHECK(extack, nest, tb, VSD_DEST_A_ADDR)) {
		NL_SET_ERR_MSG(extack, "destination address missing");
		return -EINVAL;
	}
	ret = get_addr(nest, tb[VSD_DEST_A_ADDR], spec->af, &spec->addr,
		       extack);
	if (ret)
		return ret;
	/* IPVS's default: the service's port; fwmark services have none. */
	spec->port = svc->port;
	if (tb[VSD_DEST_A_PORT])
		spec->port = nla_get_be16(tb[VSD_DEST_A_PORT]);

	spec->fwd = VSD_FWD_ROUTE;
	spec->weight = 1;
	if (tb[VSD_DEST_A_FWD]) {
		spec->fwd = nla_get_u8(tb[VSD_DEST_A_FWD]);
		spec->given |= VSD_SPEC_FWD;
	}
	if (tb[VSD_DEST_A_WEIGHT]) {
		spec->weight = nla_get_u32(tb[VSD_DEST_A_WEIGHT]);
		spec->given |= VSD_SPEC_WEIGHT;
	}
	if (tb[VSD_DEST_A_U_THRESH]) {
		spec->u_thresh = nla_get_u32(tb[VSD_DEST_A_U_THRESH]);
		spec->given |= VSD_SPEC_U_THRESH;
	}
	if (tb[VSD_DEST_A_L_THRESH]) {
		spec->l_thresh = nla_get_u32(tb[VSD_DEST_A_L_THRESH]);
		spec->given |= VSD_SPEC_L_THRESH;
	}
	return 0;
}

/*
 * Checks on a service's parameters as they will be, after merging: the
 * rules ipvsadm (and vsdctl) apply, so that every configuration the kernel
 * holds can be saved and restored with vsdctl -S and -R.
 */
int vsd_nl_check_service(const struct vsd_svc_spec *spec,
			 struct netlink_ext_ack *extack)
{
	const struct vsd_service_key *key = &spec->key;

	if (key->fwmark)
		return 0;
	if ((spec->flags & VSD_SVC_F_ONEPACKET) &&
	    key->protocol != IPPROTO_UDP) {
		NL_SET_ERR_MSG_ATTR(extack, spec->nest,
				    "one-packet scheduling is only for UDP services");
		return -EINVAL;
	}
	/* Port 0 takes every port: only a persistent service can. */
	if (!key->port && !spec->timeout) {
		NL_SET_ERR_MSG_ATTR(extack, spec->nest,
				    "a service of port 0 must be persistent");
		return -EINVAL;
	}
	return 0;
}

/* Checks on a destination's parameters as they will be, after merging. */
int vsd_nl_check_dest(const struct vsd_dest_spec *spec,
		      const struct vsd_service_key *svc,
		      struct netlink_ext_ack *extack)
{
	/* IPVS's rule: a lower threshold needs an upper one above it. */
	if (spec->l_thresh > spec->u_thresh) {
		NL_SET_ERR_MSG_ATTR(extack, spec->nest,
				    "lower threshold above the upper threshold");
		return -ERANGE;
	}
	/*
	 * Direct routing and tunnelling leave the port as the client sent
	 * it: their destinations have the service's port (ipvsadm's rule),
	 * but for firewall-mark services, which have none.
	 */
	if (!svc->fwmark && spec->port != svc->port &&
	    spec->fwd != VSD_FWD_MASQ) {
		NL_SET_ERR_MSG_ATTR(extack, spec->nest,
				    "direct routing and tunnelling keep the service's port");
		return -EINVAL;
	}
	if (spec->af != svc->af && spec->fwd != VSD_FWD_TUNNEL) {
		NL_SET_ERR_MSG_ATTR(extack, spec->nest,
				    "a destination of another address family needs tunnelling");
		return -EAFNOSUPPORT;
	}
	return 0;
}

void vsd_service_apply(struct vsd_service *svc,
		       const struct vsd_svc_spec *spec)
{
	union nf_inet_addr mask = {};
	int i, bits;

	lockdep_assert_held(&svc->vn->lock);
	/* The persistence netmask as an address mask (IPv4: word 0). */
	for (i = 0; i < 4; i++) {
		bits = clamp((int)spec->netmask - 32 * i, 0, 32);
		mask.ip6[i] = bits ? htonl(~0U << (32 - bits)) : 0;
	}
	WRITE_ONCE(svc->flags, spec->flags);
	WRITE_ONCE(svc->timeout, spec->timeout);
	WRITE_ONCE(svc->netmask, spec->netmask);
	svc->mask = mask;
}
