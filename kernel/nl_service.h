/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parsing and filling of service and destination attributes, shared by the
 * single-object commands (nl_service.c) and REPLACE (nl_replace.c).
 */
#ifndef _VSD_NL_SERVICE_H
#define _VSD_NL_SERVICE_H

#include "service.h"

#include <net/netlink.h>

struct vsd_dest;
struct vsd_sched_ops;

/* Parameters a request gave (the others took their defaults). */
#define VSD_SPEC_SCHED		BIT(0)
#define VSD_SPEC_FLAGS		BIT(1)
#define VSD_SPEC_TIMEOUT	BIT(2)
#define VSD_SPEC_NETMASK	BIT(3)
#define VSD_SPEC_FWD		BIT(4)
#define VSD_SPEC_WEIGHT		BIT(5)
#define VSD_SPEC_U_THRESH	BIT(6)
#define VSD_SPEC_L_THRESH	BIT(7)

/* A service as a request describes it. */
struct vsd_svc_spec {
	struct vsd_service_key key;
	const struct vsd_sched_ops *sched;
	u32 flags;
	unsigned int timeout;		/* jiffies */
	u8 netmask;
	u32 given;			/* VSD_SPEC_* */
	const struct nlattr *nest;	/* for error reports */
};

/* A destination as a request describes it. */
struct vsd_dest_spec {
	union nf_inet_addr addr;
	__be16 port;
	u16 af;
	u8 fwd;
	int weight;
	u32 u_thresh;
	u32 l_thresh;
	u32 given;
	const struct nlattr *nest;
};

/*
 * Parse a VSD_A_SERVICE nest: the key (required) and the parameters given,
 * defaults (IPVS's) for the others.  0 or a negative errno with extack set.
 */
int vsd_nl_parse_service(const struct nlattr *nest, struct vsd_svc_spec *spec,
			 struct netlink_ext_ack *extack);
/* Parse a VSD_A_DEST nest of a destination of service @svc. */
int vsd_nl_parse_dest(const struct nlattr *nest,
		      const struct vsd_service_key *svc,
		      struct vsd_dest_spec *spec,
		      struct netlink_ext_ack *extack);

/* A service's parameters as they will be are consistent. */
int vsd_nl_check_service(const struct vsd_svc_spec *spec,
			 struct netlink_ext_ack *extack);

/* A destination's parameters as they will be are consistent. */
int vsd_nl_check_dest(const struct vsd_dest_spec *spec,
		      const struct vsd_service_key *svc,
		      struct netlink_ext_ack *extack);

/* Under vn->lock: set the non-key parameters of a service. */
void vsd_service_apply(struct vsd_service *svc,
		       const struct vsd_svc_spec *spec);

/* Fill one service (and its dests from index @first) into a message. */
int vsd_nl_fill_service(struct sk_buff *skb, struct vsd_service *svc,
			unsigned int first, unsigned int *next);

#endif /* _VSD_NL_SERVICE_H */
