// SPDX-License-Identifier: GPL-2.0
/*
 * Prometheus text exposition (see prom.h and docs/metrics.md).  The samples
 * of a family must follow its HELP and TYPE lines together, so each family
 * is one pass over the services.  Counters end in _total and are never
 * reset but by "vsdctl -Z" (Prometheus sees a reset, as after a reboot);
 * there are no timestamps (the textfile collector refuses them).
 */

#include "json.h"
#include "prom.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* Two IPv6 addresses and the rest fit easily. */
#define LABELS_LEN	512

/* The inside of the braces: name="value",name="value" */
struct labels {
	size_t len;
	char buf[LABELS_LEN];
};

static void put(struct labels *l, char ch)
{
	if (l->len + 1 < sizeof(l->buf)) {
		l->buf[l->len++] = ch;
		l->buf[l->len] = '\0';
	}
}

/* A label value escaped as the format wants: backslash, quote, newline. */
static void label(struct labels *l, const char *name, const char *val)
{
	if (l->len)
		put(l, ',');
	for (; *name; name++)
		put(l, *name);
	put(l, '=');
	put(l, '"');
	for (; *val; val++) {
		if (*val == '\\' || *val == '"') {
			put(l, '\\');
			put(l, *val);
		} else if (*val == '\n') {
			put(l, '\\');
			put(l, 'n');
		} else {
			put(l, *val);
		}
	}
	put(l, '"');
}

static void label_u(struct labels *l, const char *name, unsigned int val)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%u", val);
	label(l, name, buf);
}

static void label_addr(struct labels *l, const char *name, uint16_t af,
		       const union inet_addr *a)
{
	char buf[INET6_ADDRSTRLEN];

	label(l, name, addr_ntop(af, a, buf, sizeof(buf)));
}

/*
 * A TCP or UDP service is {proto, vip, port}; a firewall-mark service
 * {fwmark, family} (the same mark may have an IPv4 and an IPv6 service).
 */
static void svc_labels(struct labels *l, const struct service *s)
{
	l->len = 0;
	l->buf[0] = '\0';
	if (s->key.fwmark) {
		label_u(l, "fwmark", s->key.fwmark);
		label(l, "family", family_key(s->key.af));
		return;
	}
	label(l, "proto", s->key.protocol == IPPROTO_UDP ? "udp" : "tcp");
	label_addr(l, "vip", s->key.af, &s->key.addr);
	label_u(l, "port", s->key.port);
}

/* The service's labels, then {server, server_port, forward}. */
static void dest_labels(struct labels *l, const struct service *s,
			const struct dest *d)
{
	svc_labels(l, s);
	label_addr(l, "server", d->af, &d->addr);
	label_u(l, "server_port", d->port);
	label(l, "forward", fwd_key(d->fwd));
}

/* HELP texts are constants without backslashes or newlines. */
static void head(FILE *f, const char *name, const char *type,
		 const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void sample(FILE *f, const char *name, const struct labels *l,
		   uint64_t val)
{
	if (l && l->len)
		fprintf(f, "%s{%s} %llu\n", name, l->buf,
			(unsigned long long)val);
	else
		fprintf(f, "%s %llu\n", name, (unsigned long long)val);
}

/* The counters of struct stats, for services and destinations alike. */
static const struct {
	const char *suffix;
	const char *help;
	size_t off;
} stat_families[] = {
	{ "connections_total", "Connections scheduled",
	  offsetof(struct stats, conns) },
	{ "packets_in_total", "Packets from clients",
	  offsetof(struct stats, inpkts) },
	{ "packets_out_total", "Packets to clients (NAT replies)",
	  offsetof(struct stats, outpkts) },
	{ "bytes_in_total", "Bytes from clients",
	  offsetof(struct stats, inbytes) },
	{ "bytes_out_total", "Bytes to clients (NAT replies)",
	  offsetof(struct stats, outbytes) },
};

static uint64_t stat_value(const struct stats *st, size_t off)
{
	uint64_t v;

	memcpy(&v, (const char *)st + off, sizeof(v));
	return v;
}

/* The gauges of a destination: uint32_t members of struct dest. */
static const struct {
	const char *name;
	const char *help;
	size_t off;
} dest_gauges[] = {
	{ "vsd_destination_weight",
	  "Weight of the real server (0: takes no new connections)",
	  offsetof(struct dest, weight) },
	{ "vsd_destination_active_connections",
	  "Active connections to the real server (ActiveConn)",
	  offsetof(struct dest, active) },
	{ "vsd_destination_inactive_connections",
	  "Inactive connections to the real server (InActConn)",
	  offsetof(struct dest, inact) },
	{ "vsd_destination_persistent_connections",
	  "Persistence templates pointing to the real server (PersistConn)",
	  offsetof(struct dest, persist) },
};

static uint32_t dest_value(const struct dest *d, size_t off)
{
	uint32_t v;

	memcpy(&v, (const char *)d + off, sizeof(v));
	return v;
}

static void namespace_families(FILE *f, const struct info *in)
{
	struct labels l = { 0 };
	int i;

	head(f, "vsd_info", "gauge",
	     "The loaded vsd module, its version in a label");
	label(&l, "version", in->version);
	sample(f, "vsd_info", &l, 1);
	head(f, "vsd_connections", "gauge",
	     "Connection entries (connections and persistence templates) in the network namespace");
	sample(f, "vsd_connections", NULL, in->conn_count);
	head(f, "vsd_connections_limit", "gauge",
	     "Most connection entries the network namespace may hold");
	sample(f, "vsd_connections_limit", NULL, in->conn_max);
	if (!in->has_counters)
		return;
	head(f, "vsd_drops_total", "counter",
	     "Packets the director did not forward, by reason");
	for (i = 0; i <= VSD_CNT_A_MAX; i++) {
		const char *name = counter_names[i];

		if (!name || strncmp(name, "drop_", 5))
			continue;
		l.len = 0;
		label(&l, "reason", name + 5);
		sample(f, "vsd_drops_total", &l, in->counters[i]);
	}
	head(f, "vsd_connections_evicted_total", "counter",
	     "Half-open or finished connection entries evicted because the table was full");
	sample(f, "vsd_connections_evicted_total", NULL,
	       in->counters[VSD_CNT_A_EVICTED]);
}

static void service_families(FILE *f, struct service **v, size_t n)
{
	struct labels l;
	char name[64];
	size_t i, k;

	head(f, "vsd_service_info", "gauge",
	     "A virtual service, its scheduler in a label");
	for (i = 0; i < n; i++) {
		svc_labels(&l, v[i]);
		label(&l, "scheduler", v[i]->sched);
		sample(f, "vsd_service_info", &l, 1);
	}
	for (k = 0; k < ARRAY_SIZE(stat_families); k++) {
		snprintf(name, sizeof(name), "vsd_service_%s",
			 stat_families[k].suffix);
		head(f, name, "counter", stat_families[k].help);
		for (i = 0; i < n; i++) {
			svc_labels(&l, v[i]);
			sample(f, name, &l, stat_value(&v[i]->stats,
						       stat_families[k].off));
		}
	}
}

static void dest_families(FILE *f, struct service **v, size_t n)
{
	struct labels l;
	char name[64];
	size_t i, j, k;

	for (k = 0; k < ARRAY_SIZE(dest_gauges); k++) {
		head(f, dest_gauges[k].name, "gauge", dest_gauges[k].help);
		for (i = 0; i < n; i++)
			for (j = 0; j < v[i]->ndests; j++) {
				const struct dest *d = &v[i]->dests[j];

				dest_labels(&l, v[i], d);
				sample(f, dest_gauges[k].name, &l,
				       dest_value(d, dest_gauges[k].off));
			}
	}
	for (k = 0; k < ARRAY_SIZE(stat_families); k++) {
		snprintf(name, sizeof(name), "vsd_destination_%s",
			 stat_families[k].suffix);
		head(f, name, "counter", stat_families[k].help);
		for (i = 0; i < n; i++)
			for (j = 0; j < v[i]->ndests; j++) {
				const struct dest *d = &v[i]->dests[j];

				dest_labels(&l, v[i], d);
				sample(f, name, &l,
				       stat_value(&d->stats,
						  stat_families[k].off));
			}
	}
}

void prom_write(FILE *f, struct service **v, size_t n, const struct info *in)
{
	size_t i, ndests = 0;

	namespace_families(f, in);
	/* no HELP and TYPE lines for a family without samples */
	if (!n)
		return;
	service_families(f, v, n);
	for (i = 0; i < n; i++) {
		/* in the order of -L, so that two scrapes compare */
		if (v[i]->ndests > 1)
			qsort(v[i]->dests, v[i]->ndests, sizeof(*v[i]->dests),
			      dest_cmp);
		ndests += v[i]->ndests;
	}
	if (ndests)
		dest_families(f, v, n);
}
