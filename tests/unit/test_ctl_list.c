// SPDX-License-Identifier: GPL-2.0
/*
 * vsdctl's listings (ctl/list.c, save.c, json.c) print ipvsadm's layouts
 * byte for byte: the expected texts below are ipvsadm 1.31's output for
 * the same configuration on Linux's IPVS.
 */

#include "../../ctl/json.h"
#include "../../ctl/list.h"
#include "../../ctl/save.h"

#include "ctl_fixture.h"
#include "unit.h"

#include <arpa/inet.h>
#include <string.h>


/* The configuration of the ipvsadm run the expected texts come from. */
static void build(void)
{
	struct service *s;

	model_free(&m);
	model_init(&m);
	/* added out of order: the listing sorts */
	s = svc(IPPROTO_TCP, "10.0.0.1", 80, "wlc");
	dst(s, "10.1.1.9", 80, VSD_FWD_ROUTE, 1);
	dst(s, "10.1.1.8", 8080, VSD_FWD_MASQ, 1);
	dst(s, "10.1.1.1", 80, VSD_FWD_ROUTE, 7000);
	dst(s, "10.1.1.7", 80, VSD_FWD_TUNNEL, 1);
	s = fwm(5, AF_INET6, "wlc");
	s->timeout = 360;
	s->netmask = 48;
	s = svc(IPPROTO_TCP, "10.0.0.1", 56, "rr");
	s->flags = VSD_SVC_F_SCHED1 | VSD_SVC_F_SCHED3;
	s = svc(IPPROTO_TCP, "10.0.0.1", 54, "sh");
	s->flags = VSD_SVC_F_SCHED2;
	s = svc(IPPROTO_TCP, "10.0.0.8", 80, "wlc");
	s->timeout = 100;
	s->netmask = 24;
	s = svc(IPPROTO_UDP, "10.0.0.1", 53, "wlc");
	s->flags = VSD_SVC_F_ONEPACKET;
	s = svc(IPPROTO_TCP, "2001:db8::1", 80, "wlc");
	s->timeout = 100;
	s->netmask = 64;
	s = svc(IPPROTO_TCP, "10.0.0.6", 80, "wlc");
	s->timeout = 360;
}

/* Run a printer into a buffer. */
#define CAPTURE(buf, call)						\
	do {								\
		FILE *f_ = fmemopen(buf, sizeof(buf), "w");		\
		call;							\
		fclose(f_);						\
	} while (0)

static char out[16384];

static void print_table(unsigned int fmt)
{
	struct service **v;
	size_t n;

	v = model_list(&m, fmt & FMT_NOSORT, &n);
	memset(out, 0, sizeof(out));
	CAPTURE(out, list_services(f_, v, n, fmt));
	free(v);
}

static void same(const char *what, const char *want)
{
	CHECK(!strcmp(out, want), "%s:\n--- want\n%s--- got\n%s", what, want,
	      out);
}

static void table(void)
{
	build();
	print_table(FMT_NUMERIC);
	same("-L -n",
	     "Prot LocalAddress:Port Scheduler Flags\n"
	     "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"
	     "TCP  10.0.0.1:54 sh (sh-port)\n"
	     "TCP  10.0.0.1:56 rr (flag-1,flag-3)\n"
	     "TCP  10.0.0.1:80 wlc\n"
	     "  -> 10.1.1.1:80                  Route   7000   0          0         \n"
	     "  -> 10.1.1.7:80                  Tunnel  1      0          0         \n"
	     "  -> 10.1.1.8:8080                Masq    1      0          0         \n"
	     "  -> 10.1.1.9:80                  Route   1      0          0         \n"
	     "TCP  10.0.0.6:80 wlc persistent 360\n"
	     "TCP  10.0.0.8:80 wlc persistent 100 mask 255.255.255.0\n"
	     "UDP  10.0.0.1:53 wlc ops\n"
	     "TCP  [2001:db8::1]:80 wlc persistent 100 mask 64\n"
	     "FWM  5 IPv6 wlc persistent 360 mask 48\n");
}

static void formats(void)
{
	build();
	print_table(FMT_NUMERIC | FMT_STATS);
	CHECK(!strncmp(out,
		       "Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes\n"
		       "  -> RemoteAddress:Port\n"
		       "TCP  10.0.0.1:54                         0        0        0        0        0\n",
		       strlen("Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes\n"
			      "  -> RemoteAddress:Port\n"
			      "TCP  10.0.0.1:54                         0        0        0        0        0\n")),
	      "--stats:\n%s", out);
	CHECK(strstr(out, "\n  -> 10.1.1.8:8080                       0        0        0        0        0\n"),
	      "--stats dest line:\n%s", out);
	CHECK(strstr(out, "\nFWM  5 IPv6                              0        0        0        0        0\n"),
	      "--stats fwmark line");

	print_table(FMT_NUMERIC | FMT_RATE);
	CHECK(strstr(out, "Prot LocalAddress:Port                 CPS    InPPS   OutPPS    InBPS   OutBPS\n"),
	      "--rate title:\n%s", out);

	print_table(FMT_NUMERIC | FMT_THRESHOLDS);
	CHECK(strstr(out, "Prot LocalAddress:Port            Uthreshold Lthreshold ActiveConn InActConn \n"
		     "  -> RemoteAddress:Port\n"
		     "TCP  10.0.0.1:54 sh (sh-port)\n"),
	      "--thresholds title:\n%s", out);
	CHECK(strstr(out, "  -> 10.1.1.1:80                  0          0          0          0         \n"),
	      "--thresholds dest");

	print_table(FMT_NUMERIC | FMT_PERSISTENTCONN);
	CHECK(strstr(out, "Prot LocalAddress:Port            Weight    PersistConn ActiveConn InActConn \n"),
	      "--persistent-conn title:\n%s", out);
	CHECK(strstr(out, "  -> 10.1.1.1:80                  7000      0           0          0         \n"),
	      "--persistent-conn dest:\n%s", out);

	print_table(FMT_NUMERIC | FMT_TUN_INFO);
	CHECK(strstr(out, "  -> RemoteAddress:Port           Forward TunnelInfo    Weight ActiveConn InActConn\n"),
	      "--tun-info title");
	CHECK(strstr(out, "  -> 10.1.1.7:80                  Tunnel  ipip          1      0          0         \n"),
	      "--tun-info tunnel:\n%s", out);
	CHECK(strstr(out, "  -> 10.1.1.8:8080                Masq    n/a           1      0          0         \n"),
	      "--tun-info masq");
}

static void rules(void)
{
	struct service **v;
	size_t n;

	build();
	v = model_list(&m, false, &n);
	CAPTURE(out, save_rules(f_, v, n, true));
	free(v);
	same("-S -n",
	     "-A -t 10.0.0.1:54 -s sh -b sh-port\n"
	     "-A -t 10.0.0.1:56 -s rr -b flag-1,flag-3\n"
	     "-A -t 10.0.0.1:80 -s wlc\n"
	     "-a -t 10.0.0.1:80 -r 10.1.1.1:80 -g -w 7000\n"
	     "-a -t 10.0.0.1:80 -r 10.1.1.7:80 -i -w 1 --tun-type ipip\n"
	     "-a -t 10.0.0.1:80 -r 10.1.1.8:8080 -m -w 1\n"
	     "-a -t 10.0.0.1:80 -r 10.1.1.9:80 -g -w 1\n"
	     "-A -t 10.0.0.6:80 -s wlc -p 360\n"
	     "-A -t 10.0.0.8:80 -s wlc -p 100 -M 255.255.255.0\n"
	     "-A -u 10.0.0.1:53 -s wlc -o\n"
	     "-A -t [2001:db8::1]:80 -s wlc -p 100 -M 64\n"
	     "-A -f 5 -6 -s wlc -p 360 -M 48\n");

	v = model_list(&m, false, &n);
	CAPTURE(out, save_rules(f_, v, n, false));
	free(v);
	CHECK(strstr(out, "-A -t 10.0.0.1:http -s wlc\n"
		     "-a -t 10.0.0.1:http -r 10.1.1.1:http -g -w 7000\n"),
	      "-S names:\n%s", out);
	CHECK(strstr(out, "-A -u 10.0.0.1:domain -s wlc -o\n"), "udp name");
}

/* Unlike ipvsadm's -S, thresholds are saved (only when set). */
static void rules_thresholds(void)
{
	struct service **v;
	struct service *s;
	struct dest *d;
	size_t n;

	model_free(&m);
	model_init(&m);
	s = svc(IPPROTO_TCP, "10.0.0.1", 80, "wlc");
	d = dst(s, "10.1.1.1", 80, VSD_FWD_ROUTE, 2);
	d->u_thresh = 100;
	d->l_thresh = 50;
	d = dst(s, "10.1.1.2", 80, VSD_FWD_TUNNEL, 1);
	d->u_thresh = 7;
	d = dst(s, "10.1.1.3", 80, VSD_FWD_MASQ, 1);
	d->l_thresh = 3;
	v = model_list(&m, false, &n);
	CAPTURE(out, save_rules(f_, v, n, true));
	free(v);
	same("-S -n thresholds",
	     "-A -t 10.0.0.1:80 -s wlc\n"
	     "-a -t 10.0.0.1:80 -r 10.1.1.1:80 -g -w 2 -x 100 -y 50\n"
	     "-a -t 10.0.0.1:80 -r 10.1.1.2:80 -i -w 1 --tun-type ipip -x 7\n"
	     "-a -t 10.0.0.1:80 -r 10.1.1.3:80 -m -w 1 -y 3\n");
}

/* ipvsadm compares with wrapping int subtraction: keep its order. */
static void ordering(void)
{
	struct service **v;
	struct service *s;
	size_t n;

	model_free(&m);
	model_init(&m);
	svc(IPPROTO_TCP, "10.0.0.1", 80, "wlc");
	svc(IPPROTO_TCP, "192.168.0.1", 80, "wlc");
	svc(IPPROTO_TCP, "10.0.0.1", 79, "wlc");
	svc(IPPROTO_UDP, "10.0.0.1", 1, "wlc");
	fwm(2, AF_INET, "wlc");
	fwm(1, AF_INET, "wlc");
	s = svc(IPPROTO_TCP, "10.0.0.2", 80, "wlc");
	dst(s, "192.168.0.2", 80, VSD_FWD_ROUTE, 1);
	dst(s, "10.0.0.200", 80, VSD_FWD_ROUTE, 1);
	dst(s, "10.0.0.20", 80, VSD_FWD_ROUTE, 1);
	v = model_list(&m, false, &n);
	CAPTURE(out, save_rules(f_, v, n, true));
	free(v);
	/* 192.168.0.1 - 10.0.0.1 overflows an int: it sorts first */
	same("order",
	     "-A -t 192.168.0.1:80 -s wlc\n"
	     "-A -t 10.0.0.1:79 -s wlc\n"
	     "-A -t 10.0.0.1:80 -s wlc\n"
	     "-A -t 10.0.0.2:80 -s wlc\n"
	     "-a -t 10.0.0.2:80 -r 192.168.0.2:80 -g -w 1\n"
	     "-a -t 10.0.0.2:80 -r 10.0.0.20:80 -g -w 1\n"
	     "-a -t 10.0.0.2:80 -r 10.0.0.200:80 -g -w 1\n"
	     "-A -u 10.0.0.1:1 -s wlc\n"
	     "-A -f 1 -s wlc\n"
	     "-A -f 2 -s wlc\n");

	/* --nosort: as given */
	v = model_list(&m, true, &n);
	CHECK(n == 7 && v[0]->key.port == 80 && v[4]->key.fwmark == 2,
	      "nosort keeps the order");
	free(v);
}

static void truncation(void)
{
	struct service *s;

	model_free(&m);
	model_init(&m);
	s = svc(IPPROTO_TCP, "2001:db8:1111:2222:3333:4444:5555:6666", 65535,
		"wlc");
	dst(s, "2001:db8:1111:2222:3333:4444:5555:7777", 65535,
	    VSD_FWD_MASQ, 1);
	s = svc(IPPROTO_TCP, "255.255.255.255", 65535, "wlc");
	print_table(FMT_NUMERIC | FMT_STATS);
	/* IPv6 names are never cut, IPv4 ones at 33 and 28 characters */
	CHECK(strstr(out, "TCP  [2001:db8:1111:2222:3333:4444:5555:6666]:65535        0"),
	      "long IPv6:\n%s", out);
	CHECK(strstr(out, "  -> [2001:db8:1111:2222:3333:4444:5555:7777]:65535        0"),
	      "long IPv6 dest:\n%s", out);
}

static void largenum(void)
{
	static const struct {
		uint64_t v;
		bool exact;
		const char *want;
	} cases[] = {
		{ 0, false, "        0" },
		{ 99999999, false, " 99999999" },
		{ 100000000, false, "  100000K" },
		{ 999999999, false, "  999999K" },
		{ 1000000000, false, "    1000M" },
		{ 99999999999ull, false, "   99999M" },
		{ 100000000000ull, false, "     100G" },
		{ 100000000000000ull, false, "     100T" },
		{ 18446744073709551615ull, false, "18446744T" },
		{ 123, true, "      123" },
		{ 12345678, true, " 12345678" },
		{ 123456789, true, " 123456789" },
		{ 18446744073709551615ull, true, " 18446744073709551615" },
	};
	char buf[32];
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		format_largenum(buf, sizeof(buf), cases[i].v, cases[i].exact);
		CHECK(!strcmp(buf, cases[i].want), "%llu exact=%d: '%s' want '%s'",
		      (unsigned long long)cases[i].v, cases[i].exact, buf,
		      cases[i].want);
	}
}

static void stats_exact(void)
{
	struct service *s;
	struct dest *d;

	model_free(&m);
	model_init(&m);
	s = svc(IPPROTO_TCP, "10.0.0.1", 80, "rr");
	s->stats.conns = 123456789012ull;
	s->stats.inbytes = 5;
	d = dst(s, "10.1.1.1", 80, VSD_FWD_ROUTE, 1);
	d->stats.cps = 7;
	d->stats.inbps = 3000000000ull;
	print_table(FMT_NUMERIC | FMT_STATS);
	CHECK(strstr(out, "TCP  10.0.0.1:80                      123G        0        0        5        0\n"),
	      "scaled:\n%s", out);
	print_table(FMT_NUMERIC | FMT_STATS | FMT_EXACT);
	CHECK(strstr(out, "TCP  10.0.0.1:80                  123456789012        0        0        5        0\n"),
	      "exact:\n%s", out);
	print_table(FMT_NUMERIC | FMT_RATE);
	CHECK(strstr(out, "  -> 10.1.1.1:80                         7        0        0    3000M        0\n"),
	      "rate dest:\n%s", out);
}

static void connections(void)
{
	struct conn cn;

	memset(&cn, 0, sizeof(cn));
	cn.af = cn.daf = AF_INET;
	cn.protocol = IPPROTO_TCP;
	inet_pton(AF_INET, "192.168.1.10", &cn.caddr);
	inet_pton(AF_INET, "10.0.0.1", &cn.vaddr);
	inet_pton(AF_INET, "10.1.1.1", &cn.daddr);
	cn.cport = 40000;
	cn.vport = cn.dport = 80;
	cn.state = VSD_TCP_S_ESTABLISHED;
	cn.expires_ms = 899999;
	memset(out, 0, sizeof(out));
	CAPTURE(out, (list_conn_title(f_, FMT_NUMERIC),
		      list_conn(f_, &cn, FMT_NUMERIC)));
	same("-c -n",
	     "pro expire state       source             virtual            destination\n"
	     "TCP 14:59  ESTABLISHED 192.168.1.10:40000 10.0.0.1:80        10.1.1.1:80\n");

	cn.protocol = 0;
	cn.state = VSD_TCP_S_NONE;
	cn.cport = cn.vport = cn.dport = 0;
	cn.expires_ms = 6000 * 1000;
	cn.flags = VSD_CONN_F_TEMPLATE;
	memset(out, 0, sizeof(out));
	CAPTURE(out, list_conn(f_, &cn, FMT_NUMERIC));
	same("template",
	     "IP  100:00 NONE        192.168.1.10:0     10.0.0.1:0         10.1.1.1:0\n");
	cn.protocol = IPPROTO_UDP;
	cn.state = VSD_CONN_S_UDP;
	memset(out, 0, sizeof(out));
	CAPTURE(out, list_conn(f_, &cn, FMT_NUMERIC));
	CHECK(!strncmp(out, "UDP 100:00 UDP ", 15), "udp: %s", out);
	memset(out, 0, sizeof(out));
	CAPTURE(out, list_conn_title(f_, FMT_PERSISTENTCONN));
	same("-c --persistent-conn",
	     "pro expire state       source             virtual            destination        pe name          pe_data\n");
}

static void json(void)
{
	struct service **v;
	size_t n;

	build();
	v = model_list(&m, false, &n);
	memset(out, 0, sizeof(out));
	CAPTURE(out, json_services(f_, v, 3));
	free(v);
	CHECK(!strncmp(out, "{\"services\":[{\"family\":\"inet\",\"protocol\":\"tcp\",\"address\":\"10.0.0.1\",\"port\":54,\"scheduler\":\"sh\",\"sched_flags\":[\"sh-port\"],\"one_packet\":false,\"persistent\":false,\"timeout\":0,\"netmask\":32,\"stats\":{\"conns\":0,",
		       200), "json:\n%s", out);
	CHECK(strstr(out, "{\"family\":\"inet\",\"address\":\"10.1.1.8\",\"port\":8080,\"forward\":\"masq\",\"weight\":1,\"u_threshold\":0,\"l_threshold\":0,\"active_conns\":0,\"inactive_conns\":0,\"persistent_conns\":0,\"stats\":{"),
	      "json dest:\n%s", out);
	CHECK(strstr(out, "]}]}\n") && out[strlen(out) - 2] == '}',
	      "json closes: %s", out + strlen(out) - 20);
	memset(out, 0, sizeof(out));
	CAPTURE(out, json_timeouts(f_, 900, 120, 300));
	same("json timeouts",
	     "{\"timeouts\":{\"tcp\":900,\"tcpfin\":120,\"udp\":300}}\n");
}

int main(void)
{
	model_init(&m);
	RUN(table);
	RUN(formats);
	RUN(rules);
	RUN(rules_thresholds);
	RUN(ordering);
	RUN(truncation);
	RUN(largenum);
	RUN(stats_exact);
	RUN(connections);
	RUN(json);
	model_free(&m);
	return UNIT_DONE();
}
