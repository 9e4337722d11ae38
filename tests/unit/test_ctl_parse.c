// SPDX-License-Identifier: GPL-2.0
/*
 * vsdctl's grammar (ctl/parse.c) is ipvsadm 1.31's: every command, its
 * defaults, the legal option combinations, and each error with its message
 * (quoting the offending argument) and ipvsadm's exit status.
 */

#include "../../ctl/parse.h"

#include "unit.h"

#include <arpa/inet.h>
#include <string.h>

static struct cmdline c;
static struct err e;

/* Parse a command line given as one string (split at spaces). */
static int parse(const char *line)
{
	char buf[512], *argv[64], *tok, *save = NULL;
	int argc = 0;

	snprintf(buf, sizeof(buf), "%s", line);
	argv[argc++] = "vsdctl";
	for (tok = strtok_r(buf, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save))
		argv[argc++] = tok;
	argv[argc] = NULL;
	return cmdline_parse(&c, argc, argv, &e);
}

/* Parsing fails with @status and a message containing @msg. */
#define FAILS(line_, st_, want_)					\
	do {								\
		int r_ = parse(line_);					\
		CHECK(r_ < 0 && e.status == (st_) &&			\
		      strstr(e.msg, want_),				\
		      "'%s': r=%d status=%d msg='%s' (want %d '%s')",	\
		      line_, r_, e.status, e.msg, st_, want_);		\
	} while (0)

#define PARSES(line)							\
	CHECK(parse(line) == 0, "'%s': %s", line, e.msg)

static bool addr_is(uint16_t af, const union inet_addr *a, const char *s)
{
	char buf[INET6_ADDRSTRLEN];

	return !strcmp(addr_ntop(af, a, buf, sizeof(buf)), s);
}

static void add_service_defaults(void)
{
	PARSES("-A -t 10.0.0.1:80");
	CHECK(c.cmd == CMD_ADD, "cmd %d", c.cmd);
	CHECK(c.svc.key.af == AF_INET && c.svc.key.protocol == IPPROTO_TCP &&
	      c.svc.key.port == 80 && addr_is(AF_INET, &c.svc.key.addr,
					      "10.0.0.1"), "key");
	CHECK(!strcmp(c.svc.sched, "wlc"), "default scheduler %s",
	      c.svc.sched);
	CHECK(c.svc.timeout == 0 && c.svc.flags == 0, "not persistent");
	CHECK(c.svc.netmask == 32, "full netmask %u", c.svc.netmask);

	PARSES("--add-service --udp-service 10.0.0.1:53 --scheduler rr");
	CHECK(c.cmd == CMD_ADD && c.svc.key.protocol == IPPROTO_UDP &&
	      !strcmp(c.svc.sched, "rr"), "long forms");
	PARSES("-A -t [2001:db8::1]:80");
	CHECK(c.svc.key.af == AF_INET6 && c.svc.netmask == 128, "IPv6 mask");
}

static void persistence(void)
{
	PARSES("-A -t 10.0.0.1:80 -p");
	CHECK(c.svc.timeout == 360, "ipvsadm's default: %u", c.svc.timeout);
	PARSES("-A -t 10.0.0.1:80 -p 600");
	CHECK(c.svc.timeout == 600, "separate argument: %u", c.svc.timeout);
	PARSES("-A -t 10.0.0.1:80 -p600");
	CHECK(c.svc.timeout == 600, "attached: %u", c.svc.timeout);
	PARSES("-A -t 10.0.0.1:80 --persistent=700");
	CHECK(c.svc.timeout == 700, "long=: %u", c.svc.timeout);
	PARSES("-A -t 10.0.0.1:80 -p -s rr");
	CHECK(c.svc.timeout == 360 && !strcmp(c.svc.sched, "rr"),
	      "optional argument not taken from an option");
	PARSES("-A -t 10.0.0.1:0 -p 100 -M 255.255.255.0");
	CHECK(c.svc.key.port == 0 && c.svc.netmask == 24, "port 0 persistent");
	PARSES("-A -t [2001:db8::1]:80 -p -M 64");
	CHECK(c.svc.netmask == 64, "v6 mask");
	PARSES("-A -f 5 -6 -p -M 48");
	CHECK(c.svc.key.af == AF_INET6 && c.svc.key.fwmark == 5 &&
	      c.svc.netmask == 48, "fwmark v6 mask");

	FAILS("-A -t 10.0.0.1:80 -p 0", 2, "invalid persistence timeout '0'");
	FAILS("-A -t 10.0.0.1:80 -p 2678401", 2, "'2678401'");
	FAILS("-A -t 10.0.0.1:80 -p abc", 2, "'abc'");
	FAILS("-A -t 10.0.0.1:80 -p -M 255.0.255.0", 2, "'255.0.255.0'");
	FAILS("-A -t [2001:db8::1]:80 -p -M 129", 2, "'129'");
	FAILS("-A -t 10.0.0.1:0", 2, "has port 0 and is not persistent");
	FAILS("-A -t 10.0.0.1", 2, "service '-t 10.0.0.1' has port 0");
}

static void fwmark(void)
{
	PARSES("-A -f 1");
	CHECK(c.svc.key.fwmark == 1 && c.svc.key.af == AF_INET &&
	      c.svc.key.protocol == 0 && c.svc.key.port == 0, "fwmark key");
	PARSES("-A -6 -f 7");
	CHECK(c.svc.key.af == AF_INET6, "-6 before -f is accepted too");
	PARSES("-A -f 4294967295");
	CHECK(c.svc.key.fwmark == 4294967295u, "max");
	FAILS("-A -f 0", 2, "invalid fwmark '0'");
	FAILS("-A -f abc", 2, "invalid fwmark 'abc'");
	FAILS("-A -f 4294967296", 2, "'4294967296'");
	FAILS("-A -t 10.0.0.1:80 -6", 2, "'-6' is only for fwmark services");

	PARSES("-a -f 1 -r 10.1.1.1");
	CHECK(c.dest.port == 0, "fwmark dest port 0: %u", c.dest.port);
	PARSES("-a -f 1 -r 10.1.1.1:8080 -m");
	CHECK(c.dest.port == 8080, "given port kept");
	PARSES("-a -f 1 -r 10.1.1.1:8080 -g");
	CHECK(c.dest.port == 8080, "fwmark DR keeps the port");
}

static void edit_service(void)
{
	/* -E: what is not given takes ipvsadm's defaults */
	PARSES("-E -t 10.0.0.1:80");
	CHECK(c.cmd == CMD_EDIT && !strcmp(c.svc.sched, "wlc") &&
	      c.svc.timeout == 0 && c.svc.flags == 0 && c.svc.netmask == 32,
	      "edit defaults");
	PARSES("-E -u 10.0.0.1:53 -s sh -b sh-port,sh-fallback -o");
	CHECK(c.svc.flags == (VSD_SVC_F_SCHED1 | VSD_SVC_F_SCHED2 |
			      VSD_SVC_F_ONEPACKET), "flags %#x", c.svc.flags);
	PARSES("-D -t 10.0.0.1:80");
	CHECK(c.cmd == CMD_DEL, "delete");
	FAILS("-D -t 10.0.0.1:80 -s rr", 2,
	      "option '-s' is not valid with '-D'");
}

static void sched_flags(void)
{
	PARSES("-A -t 10.0.0.1:80 -s rr -b flag-1,flag-3");
	CHECK(c.svc.flags == (VSD_SVC_F_SCHED1 | VSD_SVC_F_SCHED3),
	      "generic flags %#x", c.svc.flags);
	PARSES("-A -t 10.0.0.1:80 -b flag-2 -s mh");
	CHECK(c.svc.flags == VSD_SVC_F_SCHED2, "order does not matter");
	PARSES("-A -t 10.0.0.1:80 -s mh -b mh-port");
	CHECK(c.svc.flags == VSD_SVC_F_SCHED2, "mh-port");
	FAILS("-A -t 10.0.0.1:80 -s rr -b sh-port", 2,
	      "scheduler flag 'sh-port' needs scheduler 'sh'");
	FAILS("-A -t 10.0.0.1:80 -b sh-port", 2, "needs scheduler 'sh'");
	FAILS("-A -t 10.0.0.1:80 -b bogus", 2,
	      "invalid scheduler flag 'bogus'");
	FAILS("-A -t 10.0.0.1:80 -b flag-1,flagx", 2, "'flagx'");
	FAILS("-A -t 10.0.0.1:80 -o", 2, "only for UDP services");
	PARSES("-A -f 3 -o");
}

static void real_servers(void)
{
	PARSES("-a -t 10.0.0.1:80 -r 10.1.1.1");
	CHECK(c.cmd == CMD_ADDDEST && c.dest.af == AF_INET &&
	      addr_is(AF_INET, &c.dest.addr, "10.1.1.1") &&
	      c.dest.port == 80 && c.dest.fwd == VSD_FWD_ROUTE &&
	      c.dest.weight == 1 && !c.dest.u_thresh && !c.dest.l_thresh,
	      "defaults: DR, weight 1, the service's port");
	/* DR and TUN cannot map ports: the service's port wins */
	PARSES("-a -t 10.0.0.1:80 -r 10.1.1.1:8080");
	CHECK(c.dest.port == 80, "DR port %u", c.dest.port);
	PARSES("-a -t 10.0.0.1:80 -r 10.1.1.1:8080 -i");
	CHECK(c.dest.port == 80 && c.dest.fwd == VSD_FWD_TUNNEL, "TUN");
	PARSES("-a -t 10.0.0.1:80 -r 10.1.1.1:8080 -m -w 5 -x 100 -y 50");
	CHECK(c.dest.port == 8080 && c.dest.fwd == VSD_FWD_MASQ &&
	      c.dest.weight == 5 && c.dest.u_thresh == 100 &&
	      c.dest.l_thresh == 50, "NAT");
	PARSES("-a -t 10.0.0.1:80 -r 10.1.1.1 -m");
	CHECK(c.dest.port == 80, "NAT without port inherits");
	PARSES("-a -r 10.1.1.1 -m -t 10.0.0.1:80");
	CHECK(c.dest.port == 80, "-r before -t inherits too");
	PARSES("-e -t 10.0.0.1:80 -r 10.1.1.1 -w 0");
	CHECK(c.cmd == CMD_EDITDEST && c.dest.weight == 0, "weight 0");
	FAILS("-a -t 10.0.0.1:80 -r [2001:db8::1] -i", 2,
	      "invalid address '[2001:db8::1]' (write [IPv6]:port)");
	PARSES("-a -t 10.0.0.1:80 -r 2001:db8::1 -i");
	CHECK(c.dest.af == AF_INET6 && c.dest.fwd == VSD_FWD_TUNNEL,
	      "IPv6 tunnel dest on an IPv4 service");
	PARSES("-a -t 10.0.0.1:80 -r 10.1.1.1 -i --tun-type ipip");
	PARSES("-d -t 10.0.0.1:80 -r 10.1.1.1:8080");
	CHECK(c.cmd == CMD_DELDEST && c.dest.port == 8080,
	      "delete keeps the port given");
	PARSES("--add-server --tcp-service 10.0.0.1:80 --real-server 10.1.1.1 --masquerading --weight 3");
	CHECK(c.dest.fwd == VSD_FWD_MASQ && c.dest.weight == 3, "long forms");

	FAILS("-a -t 10.0.0.1:80 -r 10.1.1.1 -w 65536", 2,
	      "invalid weight '65536'");
	FAILS("-a -t 10.0.0.1:80 -r 10.1.1.1 -w -1", 2,
	      "invalid weight '-1'");
	FAILS("-a -t 10.0.0.1:80 -r 10.1.1.1 -x 2147483648", 2,
	      "invalid upper threshold '2147483648'");
	FAILS("-a -t 10.0.0.1:80 -r 10.1.1.1 -y x", 2,
	      "invalid lower threshold 'x'");
	FAILS("-a -t 10.0.0.1:80 -r [2001:db8::1]:80", 2,
	      "differ in address family");
	FAILS("-a -t 10.0.0.1:80 -r 10.1.1.1:http8 -m", 2,
	      "invalid port 'http8'");
	FAILS("-a -t 10.0.0.1:80 -r 10.1.1.300", 2,
	      "invalid address '10.1.1.300'");
	FAILS("-a -t 10.0.0.1:80", 2, "'-a' needs a real server (-r)");
	FAILS("-a -r 10.1.1.1", 2, "'-a' needs a virtual service");
	FAILS("-d -t 10.0.0.1:80 -r 10.1.1.1 -w 2", 2,
	      "option '-w' is not valid with '-d'");
	FAILS("-a -t 10.0.0.1:80 -r 10.1.1.1 -g -m", 2,
	      "options '-g' and '-m' both given");
	FAILS("-a -t 10.0.0.1:80 -r 10.1.1.1 -w 1 -w 2", 2,
	      "option '-w' given twice");
}

static void tunnels(void)
{
	FAILS("-a -t 10.0.0.1:80 -r 10.1.1.1 --tun-type ipip", 2,
	      "option '--tun-type' needs tunnelling (-i)");
	FAILS("-a -t 10.0.0.1:80 -r 10.1.1.1 -i --tun-type ipip --tun-port 9",
	      2, "option '--tun-port' is not valid with tunnel type 'ipip'");
	FAILS("-a -t 10.0.0.1:80 -r 10.1.1.1 -i --tun-type gue", 2,
	      "tunnel type 'gue' needs option '--tun-port'");
	FAILS("-a -t 10.0.0.1:80 -r 10.1.1.1 -i --tun-type gue --tun-port 9",
	      2, "vsd does not support tunnel type 'gue'");
	FAILS("-a -t 10.0.0.1:80 -r 10.1.1.1 -i --tun-type gre --tun-csum", 2,
	      "vsd does not support tunnel type 'gre'");
	FAILS("-a -t 10.0.0.1:80 -r 10.1.1.1 -i --tun-type gre --tun-csum --tun-nocsum",
	      2, "conflict with tunnel type 'gre'");
	FAILS("-a -t 10.0.0.1:80 -r 10.1.1.1 -i --tun-type vxlan", 2,
	      "invalid tunnel type 'vxlan'");
}

static void unsupported(void)
{
	FAILS("-A --sctp-service 10.0.0.1:80", 2,
	      "vsd does not support SCTP services ('--sctp-service')");
	FAILS("-A -q 10.0.0.1:80", 2, "vsd does not support SCTP services");
	FAILS("-A -t 10.0.0.1:80 -p --pe sip", 2,
	      "vsd does not support persistence engines ('--pe')");
	FAILS("--start-daemon master", 2,
	      "vsd does not support the connection sync daemon ('--start-daemon')");
	FAILS("--start-daemon master --mcast-interface eth0 --syncid 3", 2,
	      "does not support the connection sync daemon");
	FAILS("--stop-daemon backup", 2, "does not support the connection");
	FAILS("-L --daemon", 2, "('--daemon')");
	/* ipvsadm's own checks come first */
	FAILS("--start-daemon foo", 2, "invalid sync daemon state 'foo'");
	FAILS("--start-daemon master --syncid 256", 2, "invalid syncid '256'");
	FAILS("--start-daemon master --mcast-group 10.0.0.1", 2,
	      "invalid mcast-group '10.0.0.1'");
	FAILS("-A -t 10.0.0.1:80 --mcast-interface eth0", 2,
	      "option '--mcast-interface' is not valid with '-A'");
}

static void listing(void)
{
	PARSES("-L -n");
	CHECK(c.cmd == CMD_LIST && c.fmt == FMT_NUMERIC, "fmt %#x", c.fmt);
	PARSES("-Ln");
	CHECK(c.cmd == CMD_LIST && (c.fmt & FMT_NUMERIC), "cluster");
	PARSES("-l");
	CHECK(c.cmd == CMD_LIST, "-l");
	PARSES("-Lnt 10.0.0.1:80");
	CHECK((c.options & OPT(OPTC_SERVICE)) && c.svc.key.port == 80,
	      "cluster with an argument");
	PARSES("--list --numeric --stats --exact");
	CHECK(c.fmt == (FMT_NUMERIC | FMT_STATS | FMT_EXACT), "%#x", c.fmt);
	PARSES("-L -n -X --rate");
	CHECK(c.fmt & FMT_EXACT, "-X");
	PARSES("-L --thresholds --persistent-conn --nosort --sort --tun-info");
	CHECK(c.fmt == (FMT_THRESHOLDS | FMT_PERSISTENTCONN | FMT_NOSORT |
			FMT_TUN_INFO), "%#x", c.fmt);
	PARSES("-L -c -n");
	CHECK(c.options & OPT(OPTC_CONNECTION), "connections");
	PARSES("-L --timeout");
	PARSES("-L -n -j");
	CHECK(c.fmt & FMT_JSON, "json");
	PARSES("-n -L");
	CHECK(c.cmd == CMD_LIST, "the command need not come first");
	PARSES("");
	CHECK(c.cmd == CMD_LIST && !c.fmt, "no argument lists");

	FAILS("-L -c --stats", 2, "options '-c' and '--stats' conflict");
	FAILS("-L --timeout --persistent-conn", 2,
	      "'--timeout' and '--persistent-conn' conflict");
	FAILS("-L -c -t 10.0.0.1:80", 2,
	      "options '-c' and '-t' conflict with '-L'");
	FAILS("-L --timeout -c", 2, "conflict with '-L'");
	FAILS("-L -n extra", 2, "unexpected argument 'extra'");
	FAILS("-L -s rr", 2, "option '-s' is not valid with '-L'");
	FAILS("-L -n -n", 2, "option '-n' given twice");
}

static void other_commands(void)
{
	PARSES("-C");
	CHECK(c.cmd == CMD_FLUSH, "clear");
	PARSES("--clear");
	PARSES("-Z");
	CHECK(c.cmd == CMD_ZERO && !(c.options & OPT(OPTC_SERVICE)), "zero");
	PARSES("-Z -t 10.0.0.1:80");
	CHECK(c.options & OPT(OPTC_SERVICE), "zero one");
	PARSES("-S -n");
	CHECK(c.cmd == CMD_SAVE && c.fmt == (FMT_RULE | FMT_NUMERIC), "save");
	PARSES("-R");
	CHECK(c.cmd == CMD_RESTORE, "restore");
	PARSES("--set 900 120 300");
	CHECK(c.cmd == CMD_TIMEOUT && c.timeouts[0] == 900 &&
	      c.timeouts[1] == 120 && c.timeouts[2] == 300, "set");
	PARSES("--set 0 0 0");
	PARSES("-h");
	CHECK(c.cmd == CMD_HELP, "help");
	PARSES("--version");
	CHECK(c.cmd == CMD_VERSION, "version");
	PARSES("--info -j");
	CHECK(c.cmd == CMD_INFO && (c.fmt & FMT_JSON), "info");
	PARSES("--config");
	CHECK(c.cmd == CMD_CONFIG && !c.set.has, "config show");
	PARSES("--config hook=local_in conntrack=1 conn_max=5 expire_nodest_conn=1 tcp=10 tcpfin=20 udp=30");
	CHECK(c.set.has == 0x7f && c.set.hook == VSD_HOOK_LOCAL_IN &&
	      c.set.conntrack == 1 && c.set.conn_max == 5 &&
	      c.set.expire_nodest == 1 && c.set.tcp == 10 &&
	      c.set.tcpfin == 20 && c.set.udp == 30, "config set");

	FAILS("-C -t 10.0.0.1:80", 2, "option '-t' is not valid with '-C'");
	FAILS("-S -c", 2, "option '-c' is not valid with '-S'");
	FAILS("--set 1 2", 2, "needs 3 timeout values");
	FAILS("--set 1 2 3 4", 2, "unexpected argument '4'");
	FAILS("--set 10 x 3", 2, "invalid timeout 'x'");
	FAILS("--set 10 2678401 3", 2, "invalid timeout '2678401'");
	FAILS("--config hook=input", 2, "invalid value 'input' for 'hook'");
	FAILS("--config conntrack=2", 2, "invalid value '2' for 'conntrack'");
	FAILS("--config conn_max=0", 2, "invalid value '0' for 'conn_max'");
	FAILS("--config tcp=0", 2, "invalid value '0' for 'tcp'");
	FAILS("--config tcp=1 tcp=2", 2, "setting 'tcp' given twice");
	FAILS("--config hooks=local_in", 2, "unknown setting 'hooks'");
	FAILS("--config hook", 2, "invalid setting 'hook'");
	FAILS("--config -j -n", 2, "option '-n' is not valid with '--config'");
	FAILS("--info extra", 2, "unexpected argument 'extra'");
}

static void command_errors(void)
{
	FAILS("-A -D -t 10.0.0.1:80", 2, "conflicting commands '-A' and '-D'");
	FAILS("-L -S", 2, "conflicting commands '-L' and '-S'");
	FAILS("-A -s rr", 2, "'-A' needs a virtual service (-t, -u or -f)");
	FAILS("-A -t 10.0.0.1:80 -t 10.0.0.1:81", 2,
	      "option '-t' given twice");
	FAILS("-A -t 10.0.0.1:80 -u 10.0.0.1:81", 2,
	      "options '-t' and '-u' both given");
	FAILS("-A -t 10.0.0.1:80 -s rr -s wrr", 2, "option '-s' given twice");
	FAILS("-A -t 10.0.0.1:80 -w 3", 2,
	      "option '-w' is not valid with '-A' (add-service)");
	FAILS("-A -t 10.0.0.1:http8", 2, "invalid port 'http8'");
	FAILS("-A -t 10.0.0.1:70000", 2, "invalid port '70000'");
	FAILS("-A -t 300.0.0.1:80", 2, "invalid address '300.0.0.1'");
	/* ipvsadm: 255 for what popt rejects */
	FAILS("-A -t 10.0.0.1:80 --foo", 255, "unknown option '--foo'");
	FAILS("-A -t 10.0.0.1:80 -K", 255, "unknown option '-K'");
	FAILS("--lis", 255, "unknown option '--lis'");
	FAILS("--list=yes", 255, "option '--list' takes no argument");
	FAILS("-A -t", 255, "option '-t' needs an argument");
	FAILS("-A --tcp-service", 255, "option '--tcp-service' needs");
	FAILS("-n", 255, "no command given");
	FAILS("10.0.0.1", 255, "no command given");
}

int main(void)
{
	RUN(add_service_defaults);
	RUN(persistence);
	RUN(fwmark);
	RUN(edit_service);
	RUN(sched_flags);
	RUN(real_servers);
	RUN(tunnels);
	RUN(unsupported);
	RUN(listing);
	RUN(other_commands);
	RUN(command_errors);
	return UNIT_DONE();
}
