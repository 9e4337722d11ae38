/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vsdctl's picture of a configuration: services with their destinations,
 * and connections, as plain structs.  A listing fills it from one dump,
 * -R edits it and sends it back whole.  Pure: no netlink.
 */
#ifndef VSDCTL_MODEL_H
#define VSDCTL_MODEL_H

#include "addr.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/vsd.h>

/* ipvsadm's default persistence timeout (libipvs: 6 * 60). */
#define DEF_PERSIST_TIMEOUT	360
#define DEF_SCHED		"wlc"
#define MAX_TIMEOUT		(86400 * 31)

struct stats {
	uint64_t conns, inpkts, outpkts, inbytes, outbytes;
	uint64_t cps, inpps, outpps, inbps, outbps;
};

struct dest {
	union inet_addr addr;
	uint16_t af;
	uint16_t port;			/* host order */
	uint8_t fwd;			/* enum vsd_fwd */
	uint32_t weight;
	uint32_t u_thresh;
	uint32_t l_thresh;
	uint32_t active, inact, persist;
	struct stats stats;
	int line;			/* -R: the line that set it */
};

/* (af, protocol, addr, port), or (af, fwmark) with the others zero. */
struct svc_key {
	union inet_addr addr;
	uint32_t fwmark;
	uint16_t af;
	uint16_t protocol;
	uint16_t port;			/* host order */
	uint16_t zero;			/* no padding: keys hash as bytes */
};

struct service {
	struct svc_key key;
	char sched[VSD_SCHED_NAME_MAX];
	uint32_t flags;			/* VSD_SVC_F_* */
	uint32_t timeout;		/* persistence (s), 0: none */
	uint8_t netmask;		/* prefix length */
	struct stats stats;
	struct dest *dests;
	size_t ndests, dcap;
	int line;			/* -R: the line that set it */
	bool dead;			/* deleted (-R): skipped everywhere */
};

struct model {
	struct service *svcs;
	size_t n, cap;			/* dead ones included */
	size_t live;
	size_t *hash;			/* index + 1, 0: empty */
	size_t hsize;
	bool no_stats;			/* filling it: skip the counters */
};

void model_init(struct model *m);
void model_free(struct model *m);
/* The index of a live service with @key, or -1. */
long model_find(const struct model *m, const struct svc_key *key);
/* Add a copy of @svc (dests not copied); index, or -1 on ENOMEM. */
long model_add(struct model *m, const struct service *svc);
void model_del(struct model *m, size_t idx);
void model_clear(struct model *m);

struct dest *svc_find_dest(struct service *svc, uint16_t af,
			   const union inet_addr *addr, uint16_t port);
struct dest *svc_add_dest(struct service *svc, const struct dest *d);
void svc_del_dest(struct service *svc, struct dest *d);

/* The default netmask of a family: 32 or 128. */
static inline uint8_t full_netmask(uint16_t af)
{
	return af == AF_INET6 ? 128 : 32;
}

/*
 * ipvsadm's ordering (ipvs_cmp_services, ipvs_cmp_dests), with its integer
 * wrap-around, so that listings come out in the same order.
 */
int svc_cmp(const void *a, const void *b);	/* struct service ** */
int dest_cmp(const void *a, const void *b);	/* struct dest * */

/* The live services, in ipvsadm's order unless @nosort; free() it. */
struct service **model_list(struct model *m, bool nosort, size_t *n);

/* A connection (VSD_A_CONN). */
struct conn {
	uint16_t af, daf, protocol;
	union inet_addr caddr, vaddr, daddr;
	uint16_t cport, vport, dport;
	uint32_t fwmark;
	uint8_t fwd, state;
	uint32_t expires_ms;
	uint32_t flags;			/* VSD_CONN_F_* */
};

/* VSD_CMD_GET_INFO */
#define MAX_SCHEDS	32
struct info {
	char version[VSD_VERSION_MAX];
	uint32_t tab_size, conn_max, conn_count;
	char sched_buf[MAX_SCHEDS][VSD_SCHED_NAME_MAX];
	const char *scheds[MAX_SCHEDS + 1];	/* NULL-terminated */
	bool has_counters;
	uint64_t counters[VSD_CNT_A_MAX + 1];	/* by VSD_CNT_A_* */
};

const char *fwd_name(uint8_t fwd);	/* "Route", "Tunnel", "Masq" */
const char *fwd_switch(uint8_t fwd);	/* "-g", "-i", "-m" */
const char *fwd_key(uint8_t fwd);	/* "route", "tunnel", "masq" */
const char *family_key(uint16_t af);	/* "inet", "inet6" */
const char *conn_state_name(uint8_t state);

#endif /* VSDCTL_MODEL_H */
