// SPDX-License-Identifier: GPL-2.0
/*
 * JSON output (see json.h and docs/json.md).
 */

#include "json.h"

#include <string.h>

void json_begin(struct json *j, FILE *f)
{
	j->f = f;
	j->depth = 0;
	j->first[0] = true;
	fputc('{', f);
}

void json_end(struct json *j)
{
	fputs("}\n", j->f);
}

static void put_string(FILE *f, const char *s)
{
	putc_unlocked('"', f);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\') {
			putc_unlocked('\\', f);
			putc_unlocked(ch, f);
		} else if (ch < 0x20) {
			fprintf(f, "\\u%04x", ch);
		} else {
			putc_unlocked(ch, f);
		}
	}
	putc_unlocked('"', f);
}

static void member(struct json *j, const char *key)
{
	if (!j->first[j->depth])
		putc_unlocked(',', j->f);
	j->first[j->depth] = false;
	if (key) {
		put_string(j->f, key);
		putc_unlocked(':', j->f);
	}
}

static void open_(struct json *j, const char *key, int ch)
{
	member(j, key);
	fputc(ch, j->f);
	if (j->depth + 1 < (int)ARRAY_SIZE(j->first))
		j->depth++;
	j->first[j->depth] = true;
}

void json_obj(struct json *j, const char *key)
{
	open_(j, key, '{');
}

void json_obj_end(struct json *j)
{
	j->depth--;
	fputc('}', j->f);
}

void json_arr(struct json *j, const char *key)
{
	open_(j, key, '[');
}

void json_arr_end(struct json *j)
{
	j->depth--;
	fputc(']', j->f);
}

void json_str(struct json *j, const char *key, const char *val)
{
	member(j, key);
	put_string(j->f, val);
}

void json_u64(struct json *j, const char *key, uint64_t val)
{
	char tmp[24];
	int n = sizeof(tmp);

	member(j, key);
	tmp[--n] = '\0';
	do {
		tmp[--n] = (char)('0' + val % 10);
		val /= 10;
	} while (val);
	fputs(tmp + n, j->f);
}

void json_bool(struct json *j, const char *key, bool val)
{
	member(j, key);
	fputs(val ? "true" : "false", j->f);
}

static const char *proto_key(uint16_t proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return "tcp";
	case IPPROTO_UDP:
		return "udp";
	}
	return "ip";
}

static void addr(struct json *j, const char *key, uint16_t af,
		 const union inet_addr *a)
{
	char buf[INET6_ADDRSTRLEN];

	json_str(j, key, addr_ntop(af, a, buf, sizeof(buf)));
}

static void stats(struct json *j, const struct stats *s)
{
	json_obj(j, "stats");
	json_u64(j, "conns", s->conns);
	json_u64(j, "inpkts", s->inpkts);
	json_u64(j, "outpkts", s->outpkts);
	json_u64(j, "inbytes", s->inbytes);
	json_u64(j, "outbytes", s->outbytes);
	json_obj_end(j);
	json_obj(j, "rate");
	json_u64(j, "cps", s->cps);
	json_u64(j, "inpps", s->inpps);
	json_u64(j, "outpps", s->outpps);
	json_u64(j, "inbps", s->inbps);
	json_u64(j, "outbps", s->outbps);
	json_obj_end(j);
}

static void sched_flags(struct json *j, const struct service *s)
{
	static const char * const generic[] = { "flag-1", "flag-2", "flag-3" };
	bool shmh = !strcmp(s->sched, "sh") || !strcmp(s->sched, "mh");
	char name[32];
	int i;

	json_arr(j, "sched_flags");
	for (i = 0; i < 3; i++) {
		if (!(s->flags & (VSD_SVC_F_SCHED1 << i)))
			continue;
		if (shmh && i < 2) {
			snprintf(name, sizeof(name), "%s-%s", s->sched,
				 i ? "port" : "fallback");
			json_str(j, NULL, name);
		} else {
			json_str(j, NULL, generic[i]);
		}
	}
	json_arr_end(j);
}

static void service(struct json *j, const struct service *s)
{
	size_t i;

	json_obj(j, NULL);
	json_str(j, "family", family_key(s->key.af));
	if (s->key.fwmark) {
		json_u64(j, "fwmark", s->key.fwmark);
	} else {
		json_str(j, "protocol", proto_key(s->key.protocol));
		addr(j, "address", s->key.af, &s->key.addr);
		json_u64(j, "port", s->key.port);
	}
	json_str(j, "scheduler", s->sched);
	sched_flags(j, s);
	json_bool(j, "one_packet", s->flags & VSD_SVC_F_ONEPACKET);
	json_bool(j, "persistent", s->timeout != 0);
	json_u64(j, "timeout", s->timeout);
	json_u64(j, "netmask", s->netmask);
	stats(j, &s->stats);
	json_arr(j, "destinations");
	for (i = 0; i < s->ndests; i++) {
		const struct dest *d = &s->dests[i];

		json_obj(j, NULL);
		json_str(j, "family", family_key(d->af));
		addr(j, "address", d->af, &d->addr);
		json_u64(j, "port", d->port);
		json_str(j, "forward", fwd_key(d->fwd));
		json_u64(j, "weight", d->weight);
		json_u64(j, "u_threshold", d->u_thresh);
		json_u64(j, "l_threshold", d->l_thresh);
		json_u64(j, "active_conns", d->active);
		json_u64(j, "inactive_conns", d->inact);
		json_u64(j, "persistent_conns", d->persist);
		stats(j, &d->stats);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
}

void json_services(FILE *f, struct service **v, size_t n)
{
	struct json j;
	size_t i;

	json_begin(&j, f);
	json_arr(&j, "services");
	for (i = 0; i < n; i++)
		service(&j, v[i]);
	json_arr_end(&j);
	json_end(&j);
}

void json_conns_begin(struct json *j, FILE *f)
{
	json_begin(j, f);
	json_arr(j, "connections");
}

void json_conn(struct json *j, const struct conn *cn)
{
	json_obj(j, NULL);
	json_str(j, "protocol", proto_key(cn->protocol));
	json_str(j, "family", family_key(cn->af));
	addr(j, "client_address", cn->af, &cn->caddr);
	json_u64(j, "client_port", cn->cport);
	addr(j, "virtual_address", cn->af, &cn->vaddr);
	json_u64(j, "virtual_port", cn->vport);
	json_str(j, "dest_family", family_key(cn->daf));
	addr(j, "dest_address", cn->daf, &cn->daddr);
	json_u64(j, "dest_port", cn->dport);
	json_u64(j, "fwmark", cn->fwmark);
	json_str(j, "forward", fwd_key(cn->fwd));
	json_str(j, "state", conn_state_name(cn->state));
	json_u64(j, "expires_ms", cn->expires_ms);
	json_bool(j, "template", cn->flags & VSD_CONN_F_TEMPLATE);
	json_bool(j, "inactive", cn->flags & VSD_CONN_F_INACTIVE);
	json_obj_end(j);
}

void json_conns_end(struct json *j)
{
	json_arr_end(j);
	json_end(j);
}

void json_timeouts(FILE *f, uint32_t tcp, uint32_t tcpfin, uint32_t udp)
{
	struct json j;

	json_begin(&j, f);
	json_obj(&j, "timeouts");
	json_u64(&j, "tcp", tcp);
	json_u64(&j, "tcpfin", tcpfin);
	json_u64(&j, "udp", udp);
	json_obj_end(&j);
	json_end(&j);
}

/* The names of VSD_CNT_A_*, for --info and its JSON. */
const char * const counter_names[VSD_CNT_A_MAX + 1] = {
	[VSD_CNT_A_DROP_NO_CONN]	= "drop_no_conn",
	[VSD_CNT_A_DROP_NO_DEST]	= "drop_no_dest",
	[VSD_CNT_A_DROP_CONN_FULL]	= "drop_conn_full",
	[VSD_CNT_A_DROP_NOMEM]		= "drop_nomem",
	[VSD_CNT_A_DROP_MALFORMED]	= "drop_malformed",
	[VSD_CNT_A_DROP_XMIT]		= "drop_xmit",
	[VSD_CNT_A_EVICTED]		= "evicted",
};

void json_info(FILE *f, const struct info *in)
{
	struct json j;
	int i;

	json_begin(&j, f);
	json_obj(&j, "info");
	json_str(&j, "version", in->version);
	json_u64(&j, "conn_tab_size", in->tab_size);
	json_u64(&j, "conn_count", in->conn_count);
	json_u64(&j, "conn_max", in->conn_max);
	json_arr(&j, "schedulers");
	for (i = 0; in->scheds[i]; i++)
		json_str(&j, NULL, in->scheds[i]);
	json_arr_end(&j);
	json_obj(&j, "counters");
	for (i = 0; i <= VSD_CNT_A_MAX; i++)
		if (counter_names[i])
			json_u64(&j, counter_names[i], in->counters[i]);
	json_obj_end(&j);
	json_obj_end(&j);
	json_end(&j);
}

void json_settings(FILE *f, const struct settings *s)
{
	struct json j;

	json_begin(&j, f);
	json_obj(&j, "config");
	json_str(&j, "hook", s->hook == VSD_HOOK_LOCAL_IN ? "local_in" :
		 "prerouting");
	json_bool(&j, "conntrack", s->conntrack);
	json_u64(&j, "conn_max", s->conn_max);
	json_bool(&j, "expire_nodest_conn", s->expire_nodest);
	json_u64(&j, "tcp", s->tcp);
	json_u64(&j, "tcpfin", s->tcpfin);
	json_u64(&j, "udp", s->udp);
	json_obj_end(&j);
	json_end(&j);
}
