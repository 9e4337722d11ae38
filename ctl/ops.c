// SPDX-License-Identifier: GPL-2.0
/*
 * Requests to the vsd module (see ops.h).
 */

#include "ops.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Dumps interrupted by a configuration change are retried this often. */
#define DUMP_TRIES	5

static size_t addr_len(uint16_t af)
{
	return af == AF_INET6 ? 16 : 4;
}

/* ---- info ---- */

static int info_cb(struct nlattr **tb, void *arg)
{
	struct nlattr *a[VSD_INFO_A_MAX + 1], *c[VSD_CNT_A_MAX + 1], *pos;
	struct info *in = arg;
	int rem, n = 0, i;

	if (!tb[VSD_A_INFO] ||
	    nla_parse_nested(a, VSD_INFO_A_MAX, tb[VSD_A_INFO], NULL) < 0)
		return -EBADMSG;
	if (a[VSD_INFO_A_VERSION])
		nla_strlcpy(in->version, a[VSD_INFO_A_VERSION],
			    sizeof(in->version));
	if (a[VSD_INFO_A_CONN_TAB_SIZE])
		in->tab_size = nla_get_u32(a[VSD_INFO_A_CONN_TAB_SIZE]);
	if (a[VSD_INFO_A_CONN_MAX])
		in->conn_max = nla_get_u32(a[VSD_INFO_A_CONN_MAX]);
	if (a[VSD_INFO_A_CONN_COUNT])
		in->conn_count = nla_get_u32(a[VSD_INFO_A_CONN_COUNT]);
	if (a[VSD_INFO_A_SCHEDULERS]) {
		nla_for_each_nested(pos, a[VSD_INFO_A_SCHEDULERS], rem) {
			if (nla_type(pos) != VSD_INFO_A_SCHED_NAME ||
			    n == MAX_SCHEDS)
				continue;
			nla_strlcpy(in->sched_buf[n], pos,
				    sizeof(in->sched_buf[n]));
			in->scheds[n] = in->sched_buf[n];
			n++;
		}
	}
	in->scheds[n] = NULL;
	if (a[VSD_INFO_A_COUNTERS] &&
	    !nla_parse_nested(c, VSD_CNT_A_MAX, a[VSD_INFO_A_COUNTERS],
			      NULL)) {
		in->has_counters = true;
		for (i = 0; i <= VSD_CNT_A_MAX; i++)
			if (c[i] && i != VSD_CNT_A_PAD)
				in->counters[i] = nla_get_u64(c[i]);
	}
	return 0;
}

int ops_info(struct vsd_nl *nl, struct info *in)
{
	struct nl_msg *msg;

	memset(in, 0, sizeof(*in));
	msg = vsd_nl_msg(nl, VSD_CMD_GET_INFO, 0);
	if (!msg)
		return -ENOMEM;
	return vsd_nl_send(nl, msg, info_cb, in);
}

/* ---- services and destinations: parsing ---- */

static void get_addr(union inet_addr *a, const struct nlattr *attr)
{
	size_t len = (size_t)nla_len(attr);

	memset(a, 0, sizeof(*a));
	memcpy(a, nla_data(attr), len > sizeof(*a) ? sizeof(*a) : len);
}

static uint64_t u64_of(struct nlattr **a, int type)
{
	return a[type] ? nla_get_u64(a[type]) : 0;
}

static void get_stats(struct stats *s, const struct nlattr *nest)
{
	struct nlattr *a[VSD_STATS_A_MAX + 1];

	memset(s, 0, sizeof(*s));
	if (!nest || nla_parse_nested(a, VSD_STATS_A_MAX,
				      (struct nlattr *)nest, NULL) < 0)
		return;
	s->conns = u64_of(a, VSD_STATS_A_CONNS);
	s->inpkts = u64_of(a, VSD_STATS_A_INPKTS);
	s->outpkts = u64_of(a, VSD_STATS_A_OUTPKTS);
	s->inbytes = u64_of(a, VSD_STATS_A_INBYTES);
	s->outbytes = u64_of(a, VSD_STATS_A_OUTBYTES);
	s->cps = u64_of(a, VSD_STATS_A_CPS);
	s->inpps = u64_of(a, VSD_STATS_A_INPPS);
	s->outpps = u64_of(a, VSD_STATS_A_OUTPPS);
	s->inbps = u64_of(a, VSD_STATS_A_INBPS);
	s->outbps = u64_of(a, VSD_STATS_A_OUTBPS);
}

static uint32_t u32_of(struct nlattr **a, int type)
{
	return a[type] ? nla_get_u32(a[type]) : 0;
}

static int parse_dest(struct dest *d, struct nlattr *nest, uint16_t svc_af,
		      bool stats)
{
	struct nlattr *a[VSD_DEST_A_MAX + 1];

	if (nla_parse_nested(a, VSD_DEST_A_MAX, nest, NULL) < 0 ||
	    !a[VSD_DEST_A_ADDR])
		return -EBADMSG;
	memset(d, 0, sizeof(*d));
	d->af = a[VSD_DEST_A_AF] ? nla_get_u16(a[VSD_DEST_A_AF]) : svc_af;
	get_addr(&d->addr, a[VSD_DEST_A_ADDR]);
	if (a[VSD_DEST_A_PORT])
		d->port = ntohs(nla_get_u16(a[VSD_DEST_A_PORT]));
	if (a[VSD_DEST_A_FWD])
		d->fwd = nla_get_u8(a[VSD_DEST_A_FWD]);
	d->weight = u32_of(a, VSD_DEST_A_WEIGHT);
	d->u_thresh = u32_of(a, VSD_DEST_A_U_THRESH);
	d->l_thresh = u32_of(a, VSD_DEST_A_L_THRESH);
	d->active = u32_of(a, VSD_DEST_A_ACTIVE_CONNS);
	d->inact = u32_of(a, VSD_DEST_A_INACT_CONNS);
	d->persist = u32_of(a, VSD_DEST_A_PERSIST_CONNS);
	if (stats)
		get_stats(&d->stats, a[VSD_DEST_A_STATS]);
	return 0;
}

static void get_key(struct svc_key *k, struct nlattr **a)
{
	memset(k, 0, sizeof(*k));
	if (a[VSD_SVC_A_AF])
		k->af = nla_get_u16(a[VSD_SVC_A_AF]);
	if (a[VSD_SVC_A_FWMARK] && nla_get_u32(a[VSD_SVC_A_FWMARK])) {
		k->fwmark = nla_get_u32(a[VSD_SVC_A_FWMARK]);
		return;
	}
	if (a[VSD_SVC_A_PROTOCOL])
		k->protocol = nla_get_u16(a[VSD_SVC_A_PROTOCOL]);
	if (a[VSD_SVC_A_ADDR])
		get_addr(&k->addr, a[VSD_SVC_A_ADDR]);
	if (a[VSD_SVC_A_PORT])
		k->port = ntohs(nla_get_u16(a[VSD_SVC_A_PORT]));
}

/* One VSD_A_SERVICE of a reply into @m (merging continued dests). */
static int service_cb(struct nlattr **tb, void *arg)
{
	struct nlattr *a[VSD_SVC_A_MAX + 1], *pos;
	struct model *m = arg;
	struct service s, *sp;
	struct dest d;
	long idx;
	int rem, ret;

	if (!tb[VSD_A_SERVICE] ||
	    nla_parse_nested(a, VSD_SVC_A_MAX, tb[VSD_A_SERVICE], NULL) < 0)
		return -EBADMSG;
	memset(&s, 0, sizeof(s));
	get_key(&s.key, a);
	idx = model_find(m, &s.key);
	if (idx < 0 || !a[VSD_SVC_A_DESTS_CONTINUED]) {
		if (idx >= 0)
			return -EBADMSG;	/* the same service twice */
		if (a[VSD_SVC_A_SCHED_NAME])
			nla_strlcpy(s.sched, a[VSD_SVC_A_SCHED_NAME],
				    sizeof(s.sched));
		s.flags = u32_of(a, VSD_SVC_A_FLAGS);
		s.timeout = u32_of(a, VSD_SVC_A_TIMEOUT);
		s.netmask = a[VSD_SVC_A_NETMASK] ?
			    nla_get_u8(a[VSD_SVC_A_NETMASK]) :
			    full_netmask(s.key.af);
		if (!m->no_stats)
			get_stats(&s.stats, a[VSD_SVC_A_STATS]);
		idx = model_add(m, &s);
		if (idx < 0)
			return -ENOMEM;
	}
	sp = &m->svcs[idx];
	if (!a[VSD_SVC_A_DESTS])
		return 0;
	nla_for_each_nested(pos, a[VSD_SVC_A_DESTS], rem) {
		if (nla_type(pos) != VSD_A_DEST)
			continue;
		ret = parse_dest(&d, pos, sp->key.af, !m->no_stats);
		if (ret < 0)
			return ret;
		if (!svc_add_dest(sp, &d))
			return -ENOMEM;
	}
	return 0;
}

/* ---- services and destinations: building ---- */

static int put_key(struct nl_msg *msg, const struct svc_key *k)
{
	if (nla_put_u16(msg, VSD_SVC_A_AF, k->af))
		return -EMSGSIZE;
	if (k->fwmark)
		return nla_put_u32(msg, VSD_SVC_A_FWMARK, k->fwmark) ?
		       -EMSGSIZE : 0;
	if (nla_put_u16(msg, VSD_SVC_A_PROTOCOL, k->protocol) ||
	    nla_put(msg, VSD_SVC_A_ADDR, (int)addr_len(k->af), &k->addr) ||
	    nla_put_u16(msg, VSD_SVC_A_PORT, htons(k->port)))
		return -EMSGSIZE;
	return 0;
}

static int put_params(struct nl_msg *msg, const struct service *s)
{
	if (nla_put_string(msg, VSD_SVC_A_SCHED_NAME, s->sched) ||
	    nla_put_u32(msg, VSD_SVC_A_FLAGS, s->flags) ||
	    nla_put_u32(msg, VSD_SVC_A_TIMEOUT, s->timeout) ||
	    nla_put_u8(msg, VSD_SVC_A_NETMASK, s->netmask))
		return -EMSGSIZE;
	return 0;
}

static int put_service(struct nl_msg *msg, const struct svc_key *key,
		       const struct service *params)
{
	struct nlattr *nest;

	nest = nla_nest_start(msg, VSD_A_SERVICE);
	if (!nest || put_key(msg, key) < 0 ||
	    (params && put_params(msg, params) < 0))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

/* A destination's attributes; @all: its parameters too. */
static int put_dest_attrs(struct nl_msg *msg, const struct dest *d, bool all)
{
	if (nla_put_u16(msg, VSD_DEST_A_AF, d->af) ||
	    nla_put(msg, VSD_DEST_A_ADDR, (int)addr_len(d->af), &d->addr) ||
	    nla_put_u16(msg, VSD_DEST_A_PORT, htons(d->port)))
		return -EMSGSIZE;
	if (!all)
		return 0;
	if (nla_put_u8(msg, VSD_DEST_A_FWD, d->fwd) ||
	    nla_put_u32(msg, VSD_DEST_A_WEIGHT, d->weight) ||
	    nla_put_u32(msg, VSD_DEST_A_U_THRESH, d->u_thresh) ||
	    nla_put_u32(msg, VSD_DEST_A_L_THRESH, d->l_thresh))
		return -EMSGSIZE;
	return 0;
}

int ops_service(struct vsd_nl *nl, int cmd, const struct service *s)
{
	struct nl_msg *msg = vsd_nl_msg(nl, (uint8_t)cmd, 0);

	if (!msg)
		return -ENOMEM;
	if (put_service(msg, &s->key,
			cmd == VSD_CMD_DEL_SERVICE ? NULL : s) < 0) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return vsd_nl_send(nl, msg, NULL, NULL);
}

int ops_dest(struct vsd_nl *nl, int cmd, const struct svc_key *key,
	     const struct dest *d)
{
	struct nl_msg *msg = vsd_nl_msg(nl, (uint8_t)cmd, 0);
	struct nlattr *nest;

	if (!msg)
		return -ENOMEM;
	if (put_service(msg, key, NULL) < 0)
		goto nomem;
	nest = nla_nest_start(msg, VSD_A_DEST);
	if (!nest || put_dest_attrs(msg, d, cmd != VSD_CMD_DEL_DEST) < 0)
		goto nomem;
	nla_nest_end(msg, nest);
	return vsd_nl_send(nl, msg, NULL, NULL);
nomem:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

int ops_zero(struct vsd_nl *nl, const struct svc_key *key)
{
	struct nl_msg *msg = vsd_nl_msg(nl, VSD_CMD_ZERO, 0);

	if (!msg)
		return -ENOMEM;
	if (key && put_service(msg, key, NULL) < 0) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return vsd_nl_send(nl, msg, NULL, NULL);
}

int ops_flush(struct vsd_nl *nl)
{
	struct nl_msg *msg = vsd_nl_msg(nl, VSD_CMD_FLUSH, 0);

	if (!msg)
		return -ENOMEM;
	return vsd_nl_send(nl, msg, NULL, NULL);
}

int ops_dump(struct vsd_nl *nl, struct model *m)
{
	return ops_get_service(nl, NULL, m);
}

/*
 * One dump, with @key (if any) as a filter: no limit on destinations.  A
 * dump that a configuration change interrupted is done again.
 */
int ops_get_service(struct vsd_nl *nl, const struct svc_key *key,
		    struct model *m)
{
	struct nl_msg *msg;
	int ret = -EAGAIN, tries;

	for (tries = 0; tries < DUMP_TRIES && ret == -EAGAIN; tries++) {
		model_free(m);
		msg = vsd_nl_msg(nl, VSD_CMD_GET_SERVICE, NLM_F_DUMP);
		if (!msg)
			return -ENOMEM;
		if (key && put_service(msg, key, NULL) < 0) {
			nlmsg_free(msg);
			return -EMSGSIZE;
		}
		ret = vsd_nl_send(nl, msg, service_cb, m);
	}
	return ret;
}

/* ---- REPLACE ---- */

/* Where each service and destination sits in the request, for extack. */
struct where {
	uint32_t off;
	int line;
};

struct replace_ctx {
	struct where *w;
	size_t n, cap;
};

static int note(struct replace_ctx *rc, struct nl_msg *msg,
		const struct nlattr *nest, int line)
{
	if (rc->n == rc->cap) {
		size_t cap = rc->cap ? rc->cap * 2 : 256;
		struct where *w = realloc(rc->w, cap * sizeof(*w));

		if (!w)
			return -ENOMEM;
		rc->w = w;
		rc->cap = cap;
	}
	rc->w[rc->n].off = (uint32_t)((const char *)nest -
				      (const char *)nlmsg_hdr(msg));
	rc->w[rc->n].line = line;
	rc->n++;
	return 0;
}

static int put_full_service(struct nl_msg *msg, const struct service *s,
			    struct replace_ctx *rc)
{
	struct nlattr *nest;
	size_t i;

	nest = nla_nest_start(msg, VSD_A_SERVICE);
	if (!nest || note(rc, msg, nest, s->line) < 0 ||
	    put_key(msg, &s->key) < 0 || put_params(msg, s) < 0)
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	for (i = 0; i < s->ndests; i++) {
		nest = nla_nest_start(msg, VSD_A_DEST);
		if (!nest || note(rc, msg, nest, s->dests[i].line) < 0 ||
		    put_dest_attrs(msg, &s->dests[i], true) < 0)
			return -EMSGSIZE;
		nla_nest_end(msg, nest);
	}
	return 0;
}

/*
 * The request is flat: each VSD_A_SERVICE followed by its VSD_A_DESTs, so
 * that it is bounded by the message size only, not by nla_len.
 */
int ops_replace(struct vsd_nl *nl, const struct model *m, int *line)
{
	struct replace_ctx rc = { 0 };
	struct nl_msg *msg;
	size_t i, size = 4096;
	int ret;

	*line = 0;
	for (i = 0; i < m->n; i++)
		if (!m->svcs[i].dead)
			size += 128 + 96 * m->svcs[i].ndests;
	msg = vsd_nl_msg_size(nl, VSD_CMD_REPLACE, 0, size);
	if (!msg)
		return -ENOMEM;
	for (i = 0; i < m->n; i++) {
		if (m->svcs[i].dead)
			continue;
		ret = put_full_service(msg, &m->svcs[i], &rc);
		if (ret < 0) {
			nlmsg_free(msg);
			free(rc.w);
			return ret;
		}
	}
	ret = vsd_nl_send(nl, msg, NULL, NULL);
	if (ret < 0 && nl->ext_off) {
		for (i = 0; i < rc.n && rc.w[i].off <= nl->ext_off; i++)
			*line = rc.w[i].line;
	}
	free(rc.w);
	return ret;
}

/* ---- settings ---- */

static int settings_cb(struct nlattr **tb, void *arg)
{
	struct nlattr *a[VSD_CFG_A_MAX + 1];
	struct settings *s = arg;

	if (!tb[VSD_A_CONFIG] ||
	    nla_parse_nested(a, VSD_CFG_A_MAX, tb[VSD_A_CONFIG], NULL) < 0)
		return -EBADMSG;
	s->tcp = u32_of(a, VSD_CFG_A_TIMEOUT_TCP);
	s->tcpfin = u32_of(a, VSD_CFG_A_TIMEOUT_TCP_FIN);
	s->udp = u32_of(a, VSD_CFG_A_TIMEOUT_UDP);
	s->conn_max = u32_of(a, VSD_CFG_A_CONN_MAX);
	if (a[VSD_CFG_A_HOOK])
		s->hook = nla_get_u8(a[VSD_CFG_A_HOOK]);
	if (a[VSD_CFG_A_CONNTRACK])
		s->conntrack = nla_get_u8(a[VSD_CFG_A_CONNTRACK]);
	if (a[VSD_CFG_A_EXPIRE_NODEST_CONN])
		s->expire_nodest = nla_get_u8(a[VSD_CFG_A_EXPIRE_NODEST_CONN]);
	s->has = CFG_HOOK | CFG_CONNTRACK | CFG_CONN_MAX | CFG_EXPIRE_NODEST |
		 CFG_TCP | CFG_TCPFIN | CFG_UDP;
	return 0;
}

int ops_get_settings(struct vsd_nl *nl, struct settings *s)
{
	struct nl_msg *msg = vsd_nl_msg(nl, VSD_CMD_GET_CONFIG, 0);

	memset(s, 0, sizeof(*s));
	if (!msg)
		return -ENOMEM;
	return vsd_nl_send(nl, msg, settings_cb, s);
}

int ops_set_settings(struct vsd_nl *nl, const struct settings *s)
{
	struct nl_msg *msg = vsd_nl_msg(nl, VSD_CMD_SET_CONFIG, 0);
	struct nlattr *nest;
	int bad = 0;

	if (!msg)
		return -ENOMEM;
	nest = nla_nest_start(msg, VSD_A_CONFIG);
	if (!nest)
		goto nomem;
	if (s->has & CFG_TCP)
		bad |= nla_put_u32(msg, VSD_CFG_A_TIMEOUT_TCP, s->tcp);
	if (s->has & CFG_TCPFIN)
		bad |= nla_put_u32(msg, VSD_CFG_A_TIMEOUT_TCP_FIN, s->tcpfin);
	if (s->has & CFG_UDP)
		bad |= nla_put_u32(msg, VSD_CFG_A_TIMEOUT_UDP, s->udp);
	if (s->has & CFG_HOOK)
		bad |= nla_put_u8(msg, VSD_CFG_A_HOOK, s->hook);
	if (s->has & CFG_CONNTRACK)
		bad |= nla_put_u8(msg, VSD_CFG_A_CONNTRACK, s->conntrack);
	if (s->has & CFG_CONN_MAX)
		bad |= nla_put_u32(msg, VSD_CFG_A_CONN_MAX, s->conn_max);
	if (s->has & CFG_EXPIRE_NODEST)
		bad |= nla_put_u8(msg, VSD_CFG_A_EXPIRE_NODEST_CONN,
				  s->expire_nodest);
	if (bad)
		goto nomem;
	nla_nest_end(msg, nest);
	return vsd_nl_send(nl, msg, NULL, NULL);
nomem:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

/* ---- connections ---- */

struct conn_list {
	struct conn *v;
	size_t n, cap;
};

static int conn_cb(struct nlattr **tb, void *arg)
{
	struct nlattr *a[VSD_CONN_A_MAX + 1];
	struct conn_list *l = arg;
	struct conn *c;

	if (!tb[VSD_A_CONN] ||
	    nla_parse_nested(a, VSD_CONN_A_MAX, tb[VSD_A_CONN], NULL) < 0)
		return -EBADMSG;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct conn *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	c = &l->v[l->n++];
	memset(c, 0, sizeof(*c));
	c->af = a[VSD_CONN_A_AF] ? nla_get_u16(a[VSD_CONN_A_AF]) : AF_INET;
	c->daf = a[VSD_CONN_A_DEST_AF] ? nla_get_u16(a[VSD_CONN_A_DEST_AF]) :
		 c->af;
	if (a[VSD_CONN_A_PROTOCOL])
		c->protocol = nla_get_u16(a[VSD_CONN_A_PROTOCOL]);
	if (a[VSD_CONN_A_CADDR])
		get_addr(&c->caddr, a[VSD_CONN_A_CADDR]);
	if (a[VSD_CONN_A_VADDR])
		get_addr(&c->vaddr, a[VSD_CONN_A_VADDR]);
	if (a[VSD_CONN_A_DADDR])
		get_addr(&c->daddr, a[VSD_CONN_A_DADDR]);
	if (a[VSD_CONN_A_CPORT])
		c->cport = ntohs(nla_get_u16(a[VSD_CONN_A_CPORT]));
	if (a[VSD_CONN_A_VPORT])
		c->vport = ntohs(nla_get_u16(a[VSD_CONN_A_VPORT]));
	if (a[VSD_CONN_A_DPORT])
		c->dport = ntohs(nla_get_u16(a[VSD_CONN_A_DPORT]));
	c->fwmark = u32_of(a, VSD_CONN_A_FWMARK);
	if (a[VSD_CONN_A_FWD])
		c->fwd = nla_get_u8(a[VSD_CONN_A_FWD]);
	if (a[VSD_CONN_A_STATE])
		c->state = nla_get_u8(a[VSD_CONN_A_STATE]);
	c->expires_ms = u32_of(a, VSD_CONN_A_EXPIRES);
	c->flags = u32_of(a, VSD_CONN_A_FLAGS);
	return 0;
}

int ops_conns(struct vsd_nl *nl, struct conn **conns, size_t *n)
{
	struct conn_list l = { 0 };
	struct nl_msg *msg;
	int ret = -EAGAIN, tries;

	for (tries = 0; tries < DUMP_TRIES && ret == -EAGAIN; tries++) {
		l.n = 0;
		msg = vsd_nl_msg(nl, VSD_CMD_GET_CONN, NLM_F_DUMP);
		if (!msg) {
			ret = -ENOMEM;
			break;
		}
		ret = vsd_nl_send(nl, msg, conn_cb, &l);
	}
	if (ret < 0) {
		free(l.v);
		return ret;
	}
	*conns = l.v;
	*n = l.n;
	return 0;
}
