// SPDX-License-Identifier: GPL-2.0
/*
 * vsdctl --prometheus (ctl/prom.c): the exposition of a fixed model, byte
 * for byte, and the rules of Prometheus' text format 0.0.4 checked on it
 * line by line: every sample under the HELP and TYPE of its own family,
 * families contiguous, names and label names well formed, label values
 * escaped, counters ending in _total, no timestamps.
 */

#include "../../ctl/json.h"
#include "../../ctl/prom.h"

#include "ctl_fixture.h"
#include "unit.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdbool.h>
#include <string.h>

static struct info in;

static void stats(struct stats *st, uint64_t base)
{
	st->conns = base + 1;
	st->inpkts = base + 2;
	st->outpkts = base + 3;
	st->inbytes = base + 4;
	st->outbytes = base + 5;
	/* rates are not exported: Prometheus derives them */
	st->cps = 999;
}

static void build(void)
{
	struct service *s;
	struct dest *d;

	model_free(&m);
	model_init(&m);
	memset(&in, 0, sizeof(in));
	snprintf(in.version, sizeof(in.version), "0.1.0");
	in.conn_count = 7;
	in.conn_max = 1048576;
	in.has_counters = true;
	in.counters[VSD_CNT_A_DROP_NO_CONN] = 11;
	in.counters[VSD_CNT_A_DROP_NO_DEST] = 12;
	in.counters[VSD_CNT_A_DROP_CONN_FULL] = 13;
	in.counters[VSD_CNT_A_DROP_NOMEM] = 14;
	in.counters[VSD_CNT_A_DROP_MALFORMED] = 15;
	in.counters[VSD_CNT_A_DROP_XMIT] = 16;
	in.counters[VSD_CNT_A_EVICTED] = 17;

	/* added out of order: services and servers come out as -L sorts */
	s = svc(IPPROTO_UDP, "10.0.0.1", 53, "rr");
	stats(&s->stats, 200);
	s = svc(IPPROTO_TCP, "10.0.0.1", 80, "wlc");
	stats(&s->stats, 100);
	d = dst(s, "10.0.1.2", 80, VSD_FWD_TUNNEL, 2);
	stats(&d->stats, 120);
	d->active = 3;
	d->inact = 4;
	d = dst(s, "10.0.1.1", 80, VSD_FWD_ROUTE, 1);
	stats(&d->stats, 110);
	d->active = 1;
	d->inact = 2;
	d->persist = 5;
	s = fwm(7, AF_INET6, "mh");
	d = dst(s, "2001:db8::11", 8080, VSD_FWD_MASQ, 0);
	/* 2^64 - 1: no float formatting, no rounding */
	d->stats.inbytes = UINT64_MAX;
}

#define CAPTURE(buf, call)						\
	do {								\
		FILE *f_ = fmemopen(buf, sizeof(buf), "w");		\
		call;							\
		fclose(f_);						\
	} while (0)

static char out[16384];

static void print(void)
{
	struct service **v;
	size_t n;

	v = model_list(&m, false, &n);
	memset(out, 0, sizeof(out));
	CAPTURE(out, prom_write(f_, v, n, &in));
	free(v);
}

static void same(const char *what, const char *want)
{
	CHECK(!strcmp(out, want), "%s:\n--- want\n%s--- got\n%s", what, want,
	      out);
}

static const char expected[] =
	"# HELP vsd_info The loaded vsd module, its version in a label\n"
	"# TYPE vsd_info gauge\n"
	"vsd_info{version=\"0.1.0\"} 1\n"
	"# HELP vsd_connections Connection entries (connections and persistence templates) in the network namespace\n"
	"# TYPE vsd_connections gauge\n"
	"vsd_connections 7\n"
	"# HELP vsd_connections_limit Most connection entries the network namespace may hold\n"
	"# TYPE vsd_connections_limit gauge\n"
	"vsd_connections_limit 1048576\n"
	"# HELP vsd_drops_total Packets the director did not forward, by reason\n"
	"# TYPE vsd_drops_total counter\n"
	"vsd_drops_total{reason=\"no_conn\"} 11\n"
	"vsd_drops_total{reason=\"no_dest\"} 12\n"
	"vsd_drops_total{reason=\"conn_full\"} 13\n"
	"vsd_drops_total{reason=\"nomem\"} 14\n"
	"vsd_drops_total{reason=\"malformed\"} 15\n"
	"vsd_drops_total{reason=\"xmit\"} 16\n"
	"# HELP vsd_connections_evicted_total Half-open or finished connection entries evicted because the table was full\n"
	"# TYPE vsd_connections_evicted_total counter\n"
	"vsd_connections_evicted_total 17\n"
	"# HELP vsd_service_info A virtual service, its scheduler in a label\n"
	"# TYPE vsd_service_info gauge\n"
	"vsd_service_info{proto=\"tcp\",vip=\"10.0.0.1\",port=\"80\",scheduler=\"wlc\"} 1\n"
	"vsd_service_info{proto=\"udp\",vip=\"10.0.0.1\",port=\"53\",scheduler=\"rr\"} 1\n"
	"vsd_service_info{fwmark=\"7\",family=\"inet6\",scheduler=\"mh\"} 1\n"
	"# HELP vsd_service_connections_total Connections scheduled\n"
	"# TYPE vsd_service_connections_total counter\n"
	"vsd_service_connections_total{proto=\"tcp\",vip=\"10.0.0.1\",port=\"80\"} 101\n"
	"vsd_service_connections_total{proto=\"udp\",vip=\"10.0.0.1\",port=\"53\"} 201\n"
	"vsd_service_connections_total{fwmark=\"7\",family=\"inet6\"} 0\n"
	"# HELP vsd_service_packets_in_total Packets from clients\n"
	"# TYPE vsd_service_packets_in_total counter\n"
	"vsd_service_packets_in_total{proto=\"tcp\",vip=\"10.0.0.1\",port=\"80\"} 102\n"
	"vsd_service_packets_in_total{proto=\"udp\",vip=\"10.0.0.1\",port=\"53\"} 202\n"
	"vsd_service_packets_in_total{fwmark=\"7\",family=\"inet6\"} 0\n"
	"# HELP vsd_service_packets_out_total Packets to clients (NAT replies)\n"
	"# TYPE vsd_service_packets_out_total counter\n"
	"vsd_service_packets_out_total{proto=\"tcp\",vip=\"10.0.0.1\",port=\"80\"} 103\n"
	"vsd_service_packets_out_total{proto=\"udp\",vip=\"10.0.0.1\",port=\"53\"} 203\n"
	"vsd_service_packets_out_total{fwmark=\"7\",family=\"inet6\"} 0\n"
	"# HELP vsd_service_bytes_in_total Bytes from clients\n"
	"# TYPE vsd_service_bytes_in_total counter\n"
	"vsd_service_bytes_in_total{proto=\"tcp\",vip=\"10.0.0.1\",port=\"80\"} 104\n"
	"vsd_service_bytes_in_total{proto=\"udp\",vip=\"10.0.0.1\",port=\"53\"} 204\n"
	"vsd_service_bytes_in_total{fwmark=\"7\",family=\"inet6\"} 0\n"
	"# HELP vsd_service_bytes_out_total Bytes to clients (NAT replies)\n"
	"# TYPE vsd_service_bytes_out_total counter\n"
	"vsd_service_bytes_out_total{proto=\"tcp\",vip=\"10.0.0.1\",port=\"80\"} 105\n"
	"vsd_service_bytes_out_total{proto=\"udp\",vip=\"10.0.0.1\",port=\"53\"} 205\n"
	"vsd_service_bytes_out_total{fwmark=\"7\",family=\"inet6\"} 0\n"
	"# HELP vsd_destination_weight Weight of the real server (0: takes no new connections)\n"
	"# TYPE vsd_destination_weight gauge\n"
	"vsd_destination_weight{proto=\"tcp\",vip=\"10.0.0.1\",port=\"80\",server=\"10.0.1.1\",server_port=\"80\",forward=\"route\"} 1\n"
	"vsd_destination_weight{proto=\"tcp\",vip=\"10.0.0.1\",port=\"80\",server=\"10.0.1.2\",server_port=\"80\",forward=\"tunnel\"} 2\n"
	"vsd_destination_weight{fwmark=\"7\",family=\"inet6\",server=\"2001:db8::11\",server_port=\"8080\",forward=\"masq\"} 0\n"
	"# HELP vsd_destination_active_connections Active connections to the real server (ActiveConn)\n"
	"# TYPE vsd_destination_active_connections gauge\n"
	"vsd_destination_active_connections{proto=\"tcp\",vip=\"10.0.0.1\",port=\"80\",server=\"10.0.1.1\",server_port=\"80\",forward=\"route\"} 1\n"
	"vsd_destination_active_connections{proto=\"tcp\",vip=\"10.0.0.1\",port=\"80\",server=\"10.0.1.2\",server_port=\"80\",forward=\"tunnel\"} 3\n"
	"vsd_destination_active_connections{fwmark=\"7\",family=\"inet6\",server=\"2001:db8::11\",server_port=\"8080\",forward=\"masq\"} 0\n"
	"# HELP vsd_destination_inactive_connections Inactive connections to the real server (InActConn)\n"
	"# TYPE vsd_destination_inactive_connections gauge\n"
	"vsd_destination_inactive_connections{proto=\"tcp\",vip=\"10.0.0.1\",port=\"80\",server=\"10.0.1.1\",server_port=\"80\",forward=\"route\"} 2\n"
	"vsd_destination_inactive_connections{proto=\"tcp\",vip=\"10.0.0.1\",port=\"80\",server=\"10.0.1.2\",server_port=\"80\",forward=\"tunnel\"} 4\n"
	"vsd_destination_inactive_connections{fwmark=\"7\",family=\"inet6\",server=\"2001:db8::11\",server_port=\"8080\",forward=\"masq\"} 0\n"
	"# HELP vsd_destination_persistent_connections Persistence templates pointing to the real server (PersistConn)\n"
	"# TYPE vsd_destination_persistent_connections gauge\n"
	"vsd_destination_persistent_connections{proto=\"tcp\",vip=\"10.0.0.1\",port=\"80\",server=\"10.0.1.1\",server_port=\"80\",forward=\"route\"} 5\n"
	"vsd_destination_persistent_connections{proto=\"tcp\",vip=\"10.0.0.1\",port=\"80\",server=\"10.0.1.2\",server_port=\"80\",forward=\"tunnel\"} 0\n"
	"vsd_destination_persistent_connections{fwmark=\"7\",family=\"inet6\",server=\"2001:db8::11\",server_port=\"8080\",forward=\"masq\"} 0\n"
	"# HELP vsd_destination_connections_total Connections scheduled\n"
	"# TYPE vsd_destination_connections_total counter\n"
	"vsd_destination_connections_total{proto=\"tcp\",vip=\"10.0.0.1\",port=\"80\",server=\"10.0.1.1\",server_port=\"80\",forward=\"route\"} 111\n"
	"vsd_destination_connections_total{proto=\"tcp\",vip=\"10.0.0.1\",port=\"80\",server=\"10.0.1.2\",server_port=\"80\",forward=\"tunnel\"} 121\n"
	"vsd_destination_connections_total{fwmark=\"7\",family=\"inet6\",server=\"2001:db8::11\",server_port=\"8080\",forward=\"masq\"} 0\n"
	"# HELP vsd_destination_packets_in_total Packets from clients\n"
	"# TYPE vsd_destination_packets_in_total counter\n"
	"vsd_destination_packets_in_total{proto=\"tcp\",vip=\"10.0.0.1\",port=\"80\",server=\"10.0.1.1\",server_port=\"80\",forward=\"route\"} 112\n"
	"vsd_destination_packets_in_total{proto=\"tcp\",vip=\"10.0.0.1\",port=\"80\",server=\"10.0.1.2\",server_port=\"80\",forward=\"tunnel\"} 122\n"
	"vsd_destination_packets_in_total{fwmark=\"7\",family=\"inet6\",server=\"2001:db8::11\",server_port=\"8080\",forward=\"masq\"} 0\n"
	"# HELP vsd_destination_packets_out_total Packets to clients (NAT replies)\n"
	"# TYPE vsd_destination_packets_out_total counter\n"
	"vsd_destination_packets_out_total{proto=\"tcp\",vip=\"10.0.0.1\",port=\"80\",server=\"10.0.1.1\",server_port=\"80\",forward=\"route\"} 113\n"
	"vsd_destination_packets_out_total{proto=\"tcp\",vip=\"10.0.0.1\",port=\"80\",server=\"10.0.1.2\",server_port=\"80\",forward=\"tunnel\"} 123\n"
	"vsd_destination_packets_out_total{fwmark=\"7\",family=\"inet6\",server=\"2001:db8::11\",server_port=\"8080\",forward=\"masq\"} 0\n"
	"# HELP vsd_destination_bytes_in_total Bytes from clients\n"
	"# TYPE vsd_destination_bytes_in_total counter\n"
	"vsd_destination_bytes_in_total{proto=\"tcp\",vip=\"10.0.0.1\",port=\"80\",server=\"10.0.1.1\",server_port=\"80\",forward=\"route\"} 114\n"
	"vsd_destination_bytes_in_total{proto=\"tcp\",vip=\"10.0.0.1\",port=\"80\",server=\"10.0.1.2\",server_port=\"80\",forward=\"tunnel\"} 124\n"
	"vsd_destination_bytes_in_total{fwmark=\"7\",family=\"inet6\",server=\"2001:db8::11\",server_port=\"8080\",forward=\"masq\"} 18446744073709551615\n"
	"# HELP vsd_destination_bytes_out_total Bytes to clients (NAT replies)\n"
	"# TYPE vsd_destination_bytes_out_total counter\n"
	"vsd_destination_bytes_out_total{proto=\"tcp\",vip=\"10.0.0.1\",port=\"80\",server=\"10.0.1.1\",server_port=\"80\",forward=\"route\"} 115\n"
	"vsd_destination_bytes_out_total{proto=\"tcp\",vip=\"10.0.0.1\",port=\"80\",server=\"10.0.1.2\",server_port=\"80\",forward=\"tunnel\"} 125\n"
	"vsd_destination_bytes_out_total{fwmark=\"7\",family=\"inet6\",server=\"2001:db8::11\",server_port=\"8080\",forward=\"masq\"} 0\n";

static void full(void)
{
	build();
	print();
	same("--prometheus", expected);
}

/* No services: the namespace's families only, no empty families. */
static void empty(void)
{
	build();
	model_clear(&m);
	print();
	CHECK(strstr(out, "vsd_drops_total{reason=\"no_conn\"} 11\n"),
	      "drops missing:\n%s", out);
	CHECK(!strstr(out, "vsd_service") && !strstr(out, "vsd_destination"),
	      "families without samples:\n%s", out);
}

/* A module without counters: no drop families at all. */
static void no_counters(void)
{
	build();
	in.has_counters = false;
	print();
	CHECK(!strstr(out, "vsd_drops_total") &&
	      !strstr(out, "vsd_connections_evicted_total"),
	      "drops without counters:\n%s", out);
	CHECK(strstr(out, "vsd_service_connections_total{"),
	      "services missing:\n%s", out);
}

/* A label value with a quote, a backslash and a newline is escaped. */
static void escaping(void)
{
	build();
	snprintf(in.version, sizeof(in.version), "a\"b\\c\nd");
	snprintf(m.svcs[0].sched, sizeof(m.svcs[0].sched), "x\"y");
	print();
	CHECK(strstr(out, "vsd_info{version=\"a\\\"b\\\\c\\nd\"} 1\n"),
	      "version not escaped:\n%.300s", out);
	CHECK(strstr(out, "scheduler=\"x\\\"y\"} 1\n"),
	      "scheduler not escaped:\n%.2000s", out);
}

static bool name_ok(const char *s, size_t n)
{
	size_t i;

	if (!n || !(isalpha((unsigned char)s[0]) || s[0] == '_' ||
		    s[0] == ':'))
		return false;
	for (i = 1; i < n; i++)
		if (!(isalnum((unsigned char)s[i]) || s[i] == '_' ||
		      s[i] == ':'))
			return false;
	return true;
}

/* The labels of a sample, "{...}" included: 0 or -1. */
static int labels_ok(const char *p, const char **end)
{
	const char *q;

	if (*p++ != '{')
		return -1;
	while (*p != '}') {
		q = p;
		while (*q && *q != '=')
			q++;
		if (!name_ok(p, (size_t)(q - p)) || q[1] != '"')
			return -1;
		for (p = q + 2; *p != '"'; p++) {
			if (!*p || *p == '\n')
				return -1;
			if (*p == '\\') {
				p++;
				if (*p != '\\' && *p != '"' && *p != 'n')
					return -1;
			}
		}
		p++;
		if (*p == ',')
			p++;
		else if (*p != '}')
			return -1;
	}
	*end = p + 1;
	return 0;
}

/* The format's rules, on whatever prom_write() printed. */
static void format_rules(void)
{
	char family[128] = "", type[16] = "", seen[64][128];
	int nseen = 0, samples = 0, i;
	char *line, *save = NULL, *p;
	const char *end;

	build();
	print();
	for (line = strtok_r(out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, "# HELP ", 7)) {
			p = strchr(line + 7, ' ');
			CHECK(p && name_ok(line + 7, (size_t)(p - line - 7)),
			      "bad HELP: %s", line);
			if (!p)
				continue;
			snprintf(family, sizeof(family), "%.*s",
				 (int)(p - line - 7), line + 7);
			for (i = 0; i < nseen; i++)
				CHECK(strcmp(seen[i], family),
				      "family %s not contiguous", family);
			if (nseen < 64)
				snprintf(seen[nseen++], sizeof(seen[0]), "%s",
					 family);
			type[0] = '\0';
			continue;
		}
		if (!strncmp(line, "# TYPE ", 7)) {
			p = line + 7;
			CHECK(!strncmp(p, family, strlen(family)) &&
			      p[strlen(family)] == ' ',
			      "TYPE not after its HELP: %s", line);
			snprintf(type, sizeof(type), "%s",
				 p + strlen(family) + 1);
			CHECK(!strcmp(type, "counter") ||
			      !strcmp(type, "gauge"), "bad TYPE: %s", line);
			continue;
		}
		samples++;
		p = line + strcspn(line, "{ ");
		CHECK(type[0] && (size_t)(p - line) == strlen(family) &&
		      !strncmp(line, family, strlen(family)),
		      "sample outside its family %s: %s", family, line);
		if (!strcmp(type, "counter"))
			CHECK(strlen(family) > 6 &&
			      !strcmp(family + strlen(family) - 6, "_total"),
			      "counter without _total: %s", family);
		end = p;
		if (*p == '{')
			CHECK(!labels_ok(p, &end), "bad labels: %s", line);
		/* one value, digits only: no timestamp, no float */
		CHECK(*end == ' ' && end[1] &&
		      strspn(end + 1, "0123456789") == strlen(end + 1),
		      "bad value: %s", line);
	}
	CHECK(samples == 55, "%d samples", samples);
}

/* The command line: --prometheus alone, as a command of its own. */
static int parse(int argc, const char **argv, struct cmdline *c,
		 struct err *e)
{
	return cmdline_parse(c, argc, (char **)argv, e);
}

static void command_line(void)
{
	const char *alone[] = { "vsdctl", "--prometheus" };
	const char *opt[] = { "vsdctl", "--prometheus", "-n" };
	const char *arg[] = { "vsdctl", "--prometheus", "x" };
	const char *two[] = { "vsdctl", "-L", "--prometheus" };
	const char *prefix[] = { "vsdctl", "--prom" };
	struct cmdline c;
	struct err e;

	CHECK(!parse(2, alone, &c, &e) && c.cmd == CMD_PROMETHEUS,
	      "--prometheus: %s", e.msg);
	CHECK(parse(3, opt, &c, &e) < 0 && e.status == 2 &&
	      strstr(e.msg, "'-n' is not valid with '--prometheus'"),
	      "--prometheus -n: %d %s", e.status, e.msg);
	CHECK(parse(3, arg, &c, &e) < 0 && e.status == 2 &&
	      strstr(e.msg, "unexpected argument 'x'"),
	      "--prometheus x: %d %s", e.status, e.msg);
	CHECK(parse(3, two, &c, &e) < 0 && e.status == 2 &&
	      strstr(e.msg, "conflicting commands '-L' and '--prometheus'"),
	      "-L --prometheus: %d %s", e.status, e.msg);
	CHECK(parse(2, prefix, &c, &e) < 0 && e.status == 255,
	      "--prom (no prefix matching): %d %s", e.status, e.msg);
}

int main(void)
{
	RUN(full);
	RUN(empty);
	RUN(no_counters);
	RUN(escaping);
	RUN(format_rules);
	RUN(command_line);
	model_free(&m);
	return UNIT_DONE();
}
