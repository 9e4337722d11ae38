/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-2-Clause) */
/*
 * vsd — a layer-4 load-balancing director: the generic netlink interface.
 *
 * Family "vsd", version 1.  Every operation needs CAP_NET_ADMIN over the
 * network namespace of the socket (GENL_UNS_ADMIN_PERM) and acts on that
 * namespace only.  Every rejection carries an extended-ack message and, where
 * one attribute is at fault, its offset.
 *
 * Addresses are raw network-order bytes: 4 for AF_INET, 16 for AF_INET6.
 * Ports are big-endian 16-bit values (NLA_BE16).  Counters are u64 and come
 * with a VSD_*_A_PAD attribute for alignment.
 *
 * Commands (attributes in brackets are optional):
 *
 * VSD_CMD_GET_INFO		doit
 *	reply: VSD_A_INFO (VSD_INFO_A_*)
 *
 * VSD_CMD_NEW_SERVICE		VSD_A_SERVICE: key, [SCHED_NAME], [FLAGS],
 *				[TIMEOUT], [NETMASK]
 *	Adds a service.  The key is either (AF, PROTOCOL, ADDR, PORT) or
 *	(AF, FWMARK).  Defaults as IPVS: scheduler "wlc", not persistent, full
 *	netmask.  EEXIST if the service exists.  ipvsadm's rules hold (EINVAL):
 *	only UDP services are one-packet, and a service of port 0 must be
 *	persistent; so does SET_SERVICE.
 * VSD_CMD_SET_SERVICE		VSD_A_SERVICE: key, [SCHED_NAME], [FLAGS],
 *				[TIMEOUT], [NETMASK]
 *	Changes the parameters given; the others keep their values.  ESRCH
 *	if the service does not exist.
 * VSD_CMD_DEL_SERVICE		VSD_A_SERVICE: key
 *	Deletes a service and its destinations (ESRCH if missing).
 * VSD_CMD_GET_SERVICE		doit: VSD_A_SERVICE: key
 *				dumpit: [VSD_A_SERVICE: key, as a filter]
 *	Each reply holds one VSD_A_SERVICE with its parameters, stats and,
 *	nested in VSD_SVC_A_DESTS, its destinations.  A dump returns every
 *	service (or the one named) with its destinations in one pass; when a
 *	service's destinations do not fit in one message they continue in the
 *	next message, which repeats the service (VSD_SVC_A_DESTS_CONTINUED
 *	set).  Dumps are checked against the configuration generation: a
 *	change during a dump sets NLM_F_DUMP_INTR and the caller retries.
 *	The doit fails with EMSGSIZE when the destinations do not fit in one
 *	message: dump with the service as a filter instead.
 *
 * VSD_CMD_NEW_DEST		VSD_A_SERVICE: key; VSD_A_DEST: ADDR, [AF],
 *				[PORT], [FWD], [WEIGHT], [U_THRESH], [L_THRESH]
 *	Adds a destination.  Defaults: AF of the service, the service's port
 *	(0 for fwmark services), VSD_FWD_ROUTE, weight 1, no thresholds.
 *	ESRCH if the service does not exist, EEXIST if the destination does.
 *	Direct routing and tunnelling keep the client's port: such a
 *	destination of a service that is not a firewall-mark one has the
 *	service's port (EINVAL otherwise; ipvsadm's rule), on SET_DEST too.
 * VSD_CMD_SET_DEST		as NEW_DEST; changes the parameters given.
 *				ENOENT if the destination does not exist.
 * VSD_CMD_DEL_DEST		VSD_A_SERVICE: key; VSD_A_DEST: ADDR, [AF], [PORT]
 *
 * VSD_CMD_GET_CONN		dumpit; [VSD_A_SERVICE: key] restricts the dump
 *	Each reply holds one VSD_A_CONN.
 *
 * VSD_CMD_GET_CONFIG		doit; reply: VSD_A_CONFIG
 * VSD_CMD_SET_CONFIG		VSD_A_CONFIG with the settings to change
 *
 * VSD_CMD_ZERO			[VSD_A_SERVICE: key]
 *	Zeroes the counters of one service and its destinations, or of all.
 * VSD_CMD_FLUSH		none
 *	Deletes every service (ipvsadm -C).
 * VSD_CMD_REPLACE		a sequence of top-level VSD_A_SERVICE attributes,
 *				each followed by a VSD_A_DEST per destination
 *	Replaces the whole configuration atomically: the services, each with
 *	the destinations that follow it, become the configuration (absent
 *	parameters take their defaults, as with NEW_*), or nothing changes.
 *	An empty request flushes.  Services and destinations present before
 *	and after keep their connections and counters.  The flat layout has
 *	no size limit but the message's (nested attributes stop at 64 KiB).
 *	On error, the extended ack points at the offending attribute.
 */
#ifndef _UAPI_LINUX_VSD_H
#define _UAPI_LINUX_VSD_H

#include <linux/types.h>

#define VSD_GENL_NAME		"vsd"
#define VSD_GENL_VERSION	1

#define VSD_SCHED_NAME_MAX	16	/* including the terminating NUL */
#define VSD_VERSION_MAX		32
#define VSD_WEIGHT_MAX		65535
#define VSD_THRESH_MAX		2147483647	/* ipvsadm's and vsdctl's -x, -y */

enum vsd_cmd {
	VSD_CMD_UNSPEC,
	VSD_CMD_GET_INFO,
	VSD_CMD_NEW_SERVICE,
	VSD_CMD_SET_SERVICE,
	VSD_CMD_DEL_SERVICE,
	VSD_CMD_GET_SERVICE,
	VSD_CMD_NEW_DEST,
	VSD_CMD_SET_DEST,
	VSD_CMD_DEL_DEST,
	VSD_CMD_GET_CONN,
	VSD_CMD_GET_CONFIG,
	VSD_CMD_SET_CONFIG,
	VSD_CMD_ZERO,
	VSD_CMD_FLUSH,
	VSD_CMD_REPLACE,
	__VSD_CMD_MAX
};

#define VSD_CMD_MAX (__VSD_CMD_MAX - 1)

/* Top-level attributes. */
enum vsd_attr {
	VSD_A_UNSPEC,
	VSD_A_INFO,		/* nest: VSD_INFO_A_* */
	VSD_A_SERVICE,		/* nest: VSD_SVC_A_* */
	VSD_A_DEST,		/* nest: VSD_DEST_A_* */
	VSD_A_CONN,		/* nest: VSD_CONN_A_* */
	VSD_A_CONFIG,		/* nest: VSD_CFG_A_* */
	__VSD_A_MAX
};

#define VSD_A_MAX (__VSD_A_MAX - 1)

/* VSD_A_INFO */
enum vsd_info_attr {
	VSD_INFO_A_UNSPEC,
	VSD_INFO_A_VERSION,	/* string: module version */
	VSD_INFO_A_CONN_TAB_SIZE, /* u32: connection hash buckets */
	VSD_INFO_A_CONN_MAX,	/* u32: connection limit of this namespace */
	VSD_INFO_A_CONN_COUNT,	/* u32: connections in this namespace now */
	VSD_INFO_A_SCHEDULERS,	/* nest of VSD_INFO_A_SCHED_NAME (string) */
	VSD_INFO_A_SCHED_NAME,	/* string */
	VSD_INFO_A_COUNTERS,	/* nest: VSD_CNT_A_* */
	VSD_INFO_A_PAD,
	__VSD_INFO_A_MAX
};

#define VSD_INFO_A_MAX (__VSD_INFO_A_MAX - 1)

/*
 * VSD_INFO_A_COUNTERS: what the data path did with packets it did not
 * forward, per namespace (u64 each).
 */
enum vsd_cnt_attr {
	VSD_CNT_A_UNSPEC,
	VSD_CNT_A_PAD,
	VSD_CNT_A_DROP_NO_CONN,	  /* non-SYN TCP without a connection */
	VSD_CNT_A_DROP_NO_DEST,	  /* no available destination */
	VSD_CNT_A_DROP_CONN_FULL, /* connection table at its limit */
	VSD_CNT_A_DROP_NOMEM,	  /* allocation failure */
	VSD_CNT_A_DROP_MALFORMED, /* truncated or inconsistent headers */
	VSD_CNT_A_DROP_XMIT,	  /* no route, MTU exceeded, TTL expired */
	VSD_CNT_A_EVICTED,	  /* half-open or finished entries evicted */
	__VSD_CNT_A_MAX
};

#define VSD_CNT_A_MAX (__VSD_CNT_A_MAX - 1)

/* VSD_A_SERVICE */
enum vsd_svc_attr {
	VSD_SVC_A_UNSPEC,
	VSD_SVC_A_AF,		/* u16: AF_INET or AF_INET6 */
	VSD_SVC_A_PROTOCOL,	/* u16: IPPROTO_TCP or IPPROTO_UDP */
	VSD_SVC_A_ADDR,		/* binary: 4 or 16 bytes */
	VSD_SVC_A_PORT,		/* be16 */
	VSD_SVC_A_FWMARK,	/* u32, non-zero: a firewall-mark service */
	VSD_SVC_A_SCHED_NAME,	/* string, < VSD_SCHED_NAME_MAX */
	VSD_SVC_A_FLAGS,	/* u32: VSD_SVC_F_* */
	VSD_SVC_A_TIMEOUT,	/* u32: persistence timeout (s); 0: none */
	VSD_SVC_A_NETMASK,	/* u8: persistence prefix length */
	VSD_SVC_A_STATS,	/* nest: VSD_STATS_A_* (dump only) */
	VSD_SVC_A_DESTS,	/* nest of VSD_A_DEST */
	VSD_SVC_A_NUM_DESTS,	/* u32 (dump only) */
	VSD_SVC_A_DESTS_CONTINUED, /* flag: dests continue a previous msg */
	VSD_SVC_A_PAD,
	__VSD_SVC_A_MAX
};

#define VSD_SVC_A_MAX (__VSD_SVC_A_MAX - 1)

/* VSD_SVC_A_FLAGS */
#define VSD_SVC_F_ONEPACKET	0x0001	/* UDP: schedule every datagram */
#define VSD_SVC_F_SCHED1	0x0002	/* scheduler flag 1 (sh-fallback) */
#define VSD_SVC_F_SCHED2	0x0004	/* scheduler flag 2 (sh-port) */
#define VSD_SVC_F_SCHED3	0x0008	/* scheduler flag 3 */
#define VSD_SVC_F_ALL		0x000f

/* VSD_A_DEST */
enum vsd_dest_attr {
	VSD_DEST_A_UNSPEC,
	VSD_DEST_A_AF,		/* u16: AF_INET or AF_INET6 */
	VSD_DEST_A_ADDR,	/* binary: 4 or 16 bytes */
	VSD_DEST_A_PORT,	/* be16 */
	VSD_DEST_A_FWD,		/* u8: enum vsd_fwd */
	VSD_DEST_A_WEIGHT,	/* u32: 0..VSD_WEIGHT_MAX */
	VSD_DEST_A_U_THRESH,	/* u32: 0..VSD_THRESH_MAX connections, 0: none */
	VSD_DEST_A_L_THRESH,	/* u32: 0..upper threshold connections */
	VSD_DEST_A_ACTIVE_CONNS, /* u32 (dump only) */
	VSD_DEST_A_INACT_CONNS,	/* u32 (dump only) */
	VSD_DEST_A_PERSIST_CONNS, /* u32 (dump only) */
	VSD_DEST_A_STATS,	/* nest: VSD_STATS_A_* (dump only) */
	VSD_DEST_A_PAD,
	__VSD_DEST_A_MAX
};

#define VSD_DEST_A_MAX (__VSD_DEST_A_MAX - 1)

enum vsd_fwd {
	VSD_FWD_ROUTE,		/* direct routing (DR, -g): rewrite the MAC */
	VSD_FWD_TUNNEL,		/* IP-in-IP tunnel (-i) */
	VSD_FWD_MASQ,		/* NAT (-m): rewrite addresses both ways */
	__VSD_FWD_MAX
};

#define VSD_FWD_MAX (__VSD_FWD_MAX - 1)

/* VSD_SVC_A_STATS, VSD_DEST_A_STATS: totals, and rates per second. */
enum vsd_stats_attr {
	VSD_STATS_A_UNSPEC,
	VSD_STATS_A_CONNS,	/* u64: connections scheduled */
	VSD_STATS_A_INPKTS,	/* u64: packets client -> server */
	VSD_STATS_A_OUTPKTS,	/* u64: packets server -> client (NAT) */
	VSD_STATS_A_INBYTES,	/* u64 */
	VSD_STATS_A_OUTBYTES,	/* u64 */
	VSD_STATS_A_CPS,	/* u64: connections/s, 2 s moving average */
	VSD_STATS_A_INPPS,	/* u64 */
	VSD_STATS_A_OUTPPS,	/* u64 */
	VSD_STATS_A_INBPS,	/* u64: bytes/s */
	VSD_STATS_A_OUTBPS,	/* u64 */
	VSD_STATS_A_PAD,
	__VSD_STATS_A_MAX
};

#define VSD_STATS_A_MAX (__VSD_STATS_A_MAX - 1)

/* VSD_A_CONN */
enum vsd_conn_attr {
	VSD_CONN_A_UNSPEC,
	VSD_CONN_A_AF,		/* u16: family of client and virtual address */
	VSD_CONN_A_PROTOCOL,	/* u16: IPPROTO_*; 0 for persistence entries */
	VSD_CONN_A_CADDR,	/* binary */
	VSD_CONN_A_CPORT,	/* be16 */
	VSD_CONN_A_VADDR,	/* binary */
	VSD_CONN_A_VPORT,	/* be16 */
	VSD_CONN_A_DEST_AF,	/* u16 */
	VSD_CONN_A_DADDR,	/* binary */
	VSD_CONN_A_DPORT,	/* be16 */
	VSD_CONN_A_FWMARK,	/* u32: service firewall mark, if any */
	VSD_CONN_A_FWD,		/* u8: enum vsd_fwd */
	VSD_CONN_A_STATE,	/* u8: enum vsd_tcp_state, or VSD_CONN_S_UDP */
	VSD_CONN_A_EXPIRES,	/* u32: milliseconds until expiry */
	VSD_CONN_A_FLAGS,	/* u32: VSD_CONN_F_* */
	__VSD_CONN_A_MAX
};

#define VSD_CONN_A_MAX (__VSD_CONN_A_MAX - 1)

#define VSD_CONN_F_TEMPLATE	0x0001	/* persistence entry */
#define VSD_CONN_F_INACTIVE	0x0002	/* counted in InActConn */

/* Connection states, IPVS's names and order. */
enum vsd_conn_state {
	VSD_TCP_S_NONE,
	VSD_TCP_S_ESTABLISHED,
	VSD_TCP_S_SYN_SENT,
	VSD_TCP_S_SYN_RECV,
	VSD_TCP_S_FIN_WAIT,
	VSD_TCP_S_TIME_WAIT,
	VSD_TCP_S_CLOSE,
	VSD_TCP_S_CLOSE_WAIT,
	VSD_TCP_S_LAST_ACK,
	VSD_TCP_S_LISTEN,
	VSD_TCP_S_SYNACK,
	VSD_TCP_S_LAST,
	VSD_CONN_S_UDP = VSD_TCP_S_LAST,	/* UDP flows */
	VSD_CONN_S_MAX
};

/* VSD_A_CONFIG */
enum vsd_cfg_attr {
	VSD_CFG_A_UNSPEC,
	VSD_CFG_A_TIMEOUT_TCP,	   /* u32 s: TCP ESTABLISHED (default 900) */
	VSD_CFG_A_TIMEOUT_TCP_FIN, /* u32 s: TCP FIN_WAIT (default 120) */
	VSD_CFG_A_TIMEOUT_UDP,	   /* u32 s: UDP (default 300) */
	VSD_CFG_A_HOOK,		   /* u8: enum vsd_hook */
	VSD_CFG_A_CONNTRACK,	   /* u8: 1: let conntrack see our traffic */
	VSD_CFG_A_CONN_MAX,	   /* u32: connection limit (>= 1) */
	/* u8: 1: end connections of deleted destinations at once; 0: let
	 * them drain until they expire
	 */
	VSD_CFG_A_EXPIRE_NODEST_CONN,
	__VSD_CFG_A_MAX
};

#define VSD_CFG_A_MAX (__VSD_CFG_A_MAX - 1)

enum vsd_hook {
	VSD_HOOK_PREROUTING,	/* default: no VIP needed on the director */
	VSD_HOOK_LOCAL_IN,	/* IPVS's placement, after INPUT filtering */
	__VSD_HOOK_MAX
};

#define VSD_HOOK_MAX (__VSD_HOOK_MAX - 1)

#endif /* _UAPI_LINUX_VSD_H */
