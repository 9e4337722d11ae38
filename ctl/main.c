// SPDX-License-Identifier: GPL-2.0
/*
 * vsdctl: configure the vsd director.  The command line is ipvsadm's
 * (parse.c); each command is a small function here: it asks the module
 * (ops.c) and prints (list.c, save.c, json.c, prom.c).
 */

#include "json.h"
#include "list.h"
#include "ops.h"
#include "prom.h"
#include "restore.h"
#include "save.h"
#include "../kernel/version.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *prog = "vsdctl";

/* Exit statuses, as ipvsadm's. */
#define EXIT_LIST	1	/* a listing failed */
#define EXIT_KERNEL	255	/* the kernel refused a change */

static void nl_fail(int err)
{
	if (err == -ENOENT)
		fprintf(stderr,
			"%s: the vsd kernel module is not loaded (load it with 'modprobe vsd' or 'insmod vsd.ko')\n",
			prog);
	else if (err == -EPERM)
		fprintf(stderr, "%s: permission denied (you must be root)\n",
			prog);
	else
		fprintf(stderr, "%s: cannot talk to the vsd module: %s\n",
			prog, strerror(-err));
}

/* The words for a kernel error without an extack message. */
static const char *errno_text(int cmd, int err)
{
	switch (err) {
	case -EEXIST:
		return cmd == CMD_ADD ? "service exists" :
		       "destination exists";
	case -ESRCH:
		return "no such service";
	case -ENOENT:
		return cmd == CMD_EDITDEST || cmd == CMD_DELDEST ?
		       "no such destination" : "not found";
	case -EPERM:
		return "permission denied (you must be root)";
	case -E2BIG:
	case -EMSGSIZE:
		return "request too large";
	}
	return strerror(-err);
}

/* A refused change: the kernel's words, then what the user asked for. */
static int kernel_fail(struct vsd_nl *nl, const struct cmdline *c, int err)
{
	const char *why = nl->ext_msg[0] ? nl->ext_msg :
			  errno_text(c->cmd, err);

	if (err == -EPERM) {
		nl_fail(err);
		return EXIT_KERNEL;
	}
	if (c->dest_arg)
		fprintf(stderr, "%s: %s ('%s %s' in '%s %s')\n", prog, why,
			c->spell[OPTC_SERVER], c->dest_arg,
			c->spell[OPTC_SERVICE], c->svc_arg);
	else if (c->svc_arg)
		fprintf(stderr, "%s: %s ('%s %s')\n", prog, why,
			c->spell[OPTC_SERVICE], c->svc_arg);
	else
		fprintf(stderr, "%s: %s ('%s')\n", prog, why, c->cmd_spell);
	return EXIT_KERNEL;
}

static int list_fail(struct vsd_nl *nl, int err)
{
	if (err == -EPERM || err == -ENOENT) {
		nl_fail(err);
	} else {
		fprintf(stderr, "%s: %s\n", prog,
			nl->ext_msg[0] ? nl->ext_msg : strerror(-err));
	}
	return EXIT_LIST;
}

static void usage(FILE *f)
{
	fprintf(f,
		"vsdctl v%s: ipvsadm's command line for the vsd director\n"
		"Usage:\n"
		"  %s -A|E virtual-service [-s scheduler] [-p [timeout]] [-M netmask] [-b sched-flags] [-o]\n"
		"  %s -D virtual-service\n"
		"  %s -C\n"
		"  %s -R\n"
		"  %s -S [-n] [-j]\n"
		"  %s -a|e virtual-service -r server-address [options]\n"
		"  %s -d virtual-service -r server-address\n"
		"  %s -L|l [virtual-service] [options]\n"
		"  %s -Z [virtual-service]\n"
		"  %s --set tcp tcpfin udp\n"
		"  %s --info [-j]\n"
		"  %s --config [-j] [KEY=VALUE...]\n"
		"  %s --prometheus\n"
		"  %s -h | -v\n\n",
		VSD_VERSION, prog, prog, prog, prog, prog, prog, prog, prog,
		prog, prog, prog, prog, prog, prog);
	fputs("Commands (long or short):\n"
	      "  --add-service     -A        add virtual service with options\n"
	      "  --edit-service    -E        edit virtual service with options\n"
	      "  --delete-service  -D        delete virtual service\n"
	      "  --clear           -C        clear the whole table\n"
	      "  --restore         -R        restore rules from stdin, atomically\n"
	      "  --save            -S        save rules to stdout\n"
	      "  --add-server      -a        add real server with options\n"
	      "  --edit-server     -e        edit real server with options\n"
	      "  --delete-server   -d        delete real server\n"
	      "  --list            -L|-l     list the table\n"
	      "  --zero            -Z        zero counters in a service or all services\n"
	      "  --set tcp tcpfin udp        set connection timeout values\n"
	      "  --info                      module version, table size, schedulers, drops\n"
	      "  --config [KEY=VALUE...]     show or change settings: hook=prerouting|local_in\n"
	      "                              conntrack=0|1 conn_max=N expire_nodest_conn=0|1\n"
	      "                              tcp=S tcpfin=S udp=S\n"
	      "  --prometheus                counters in Prometheus' text format\n"
	      "  --help            -h        display this help message\n"
	      "  --version         -v        display the versions\n\n"
	      "virtual-service:\n"
	      "  --tcp-service|-t  service-address   service-address is host[:port]\n"
	      "  --udp-service|-u  service-address   service-address is host[:port]\n"
	      "  --fwmark-service|-f fwmark          fwmark is an integer greater than zero\n\n"
	      "Options:\n"
	      "  --ipv6         -6                   fwmark entry uses IPv6\n"
	      "  --scheduler    -s scheduler         see --info for the list, the default is wlc\n"
	      "  --persistent   -p [timeout]         persistent service (default 360 s)\n"
	      "  --netmask      -M netmask           persistent granularity mask\n"
	      "  --real-server  -r server-address    server-address is host (and port)\n"
	      "  --gatewaying   -g                   gatewaying (direct routing) (default)\n"
	      "  --ipip         -i                   ipip encapsulation (tunneling)\n"
	      "  --masquerading -m                   masquerading (NAT)\n"
	      "  --tun-type      ipip                the one tunnel type of vsd\n"
	      "  --weight       -w weight            capacity of real server\n"
	      "  --u-threshold  -x uthreshold        upper threshold of connections\n"
	      "  --l-threshold  -y lthreshold        lower threshold of connections\n"
	      "  --connection   -c                   output of current connections\n"
	      "  --timeout                           output of timeout (tcp tcpfin udp)\n"
	      "  --stats                             output of statistics information\n"
	      "  --rate                              output of rate information\n"
	      "  --exact                             expand numbers (display exact values)\n"
	      "  --thresholds                        output of thresholds information\n"
	      "  --persistent-conn                   output of persistent connection info\n"
	      "  --tun-info                          output of tunnel information\n"
	      "  --nosort                            disable sorting output of service/server entries\n"
	      "  --sort                              does nothing, for backwards compatibility\n"
	      "  --ops          -o                   one-packet scheduling\n"
	      "  --numeric      -n                   numeric output of addresses and ports\n"
	      "  --sched-flags  -b flags             scheduler flags (comma-separated)\n"
	      "  --json         -j                   JSON output (see docs/json.md)\n"
	      "Not supported by vsd (refused): --sctp-service, --pe, --start-daemon,\n"
	      "--stop-daemon, --daemon, --tun-type gue|gre.\n", f);
}

static int cmd_version(void)
{
	struct vsd_nl nl;
	struct info in;

	if (vsd_nl_open(&nl) < 0) {
		printf("%s v%s (module vsd not loaded)\n", prog, VSD_VERSION);
		return 0;
	}
	if (ops_info(&nl, &in) < 0)
		snprintf(in.version, sizeof(in.version), "?");
	vsd_nl_close(&nl);
	printf("%s v%s (module vsd v%s)\n", prog, VSD_VERSION, in.version);
	return 0;
}

static int cmd_list_conns(struct vsd_nl *nl, const struct cmdline *c)
{
	struct conn *v = NULL;
	struct json j;
	size_t n, i;
	int ret;

	ret = ops_conns(nl, &v, &n);
	if (ret < 0)
		return list_fail(nl, ret);
	if (c->fmt & FMT_JSON) {
		json_conns_begin(&j, stdout);
		for (i = 0; i < n; i++)
			json_conn(&j, &v[i]);
		json_conns_end(&j);
	} else {
		printf("vsd connection entries\n");
		list_conn_title(stdout, c->fmt);
		for (i = 0; i < n; i++)
			list_conn(stdout, &v[i], c->fmt);
	}
	free(v);
	return 0;
}

static int cmd_list_timeouts(struct vsd_nl *nl, const struct cmdline *c)
{
	struct settings s;
	int ret;

	ret = ops_get_settings(nl, &s);
	if (ret < 0)
		return list_fail(nl, ret);
	if (c->fmt & FMT_JSON)
		json_timeouts(stdout, s.tcp, s.tcpfin, s.udp);
	else
		list_timeouts(stdout, s.tcp, s.tcpfin, s.udp);
	return 0;
}

/* -L, -L -t ..., -S: one dump (or a filtered one), then print. */
static int cmd_list(struct vsd_nl *nl, const struct cmdline *c)
{
	struct service **v;
	struct model m;
	struct info in;
	size_t n;
	int ret;

	if (c->options & OPT(OPTC_CONNECTION))
		return cmd_list_conns(nl, c);
	if (c->options & OPT(OPTC_TIMEOUT))
		return cmd_list_timeouts(nl, c);

	model_init(&m);
	/* 100,000 destinations: parse only what will be printed */
	m.no_stats = !(c->fmt & (FMT_STATS | FMT_RATE | FMT_JSON));
	if (c->options & OPT(OPTC_SERVICE)) {
		ret = ops_get_service(nl, &c->svc.key, &m);
		if (ret == -ESRCH || (!ret && !m.live)) {
			fprintf(stderr, "%s: no such service ('%s %s')\n",
				prog, c->spell[OPTC_SERVICE], c->svc_arg);
			model_free(&m);
			return EXIT_LIST;
		}
	} else {
		ret = ops_info(nl, &in);
		if (!ret)
			ret = ops_dump(nl, &m);
	}
	if (ret < 0) {
		model_free(&m);
		return list_fail(nl, ret);
	}
	v = model_list(&m, c->fmt & FMT_NOSORT, &n);
	if (!v) {
		model_free(&m);
		return list_fail(nl, -ENOMEM);
	}
	if (c->fmt & FMT_JSON) {
		json_services(stdout, v, n);
	} else if (c->cmd == CMD_SAVE) {
		save_rules(stdout, v, n, c->fmt & FMT_NUMERIC);
	} else {
		if (!(c->options & OPT(OPTC_SERVICE)))
			printf("vsd version %s (size=%u)\n", in.version,
			       in.tab_size);
		list_services(stdout, v, n, c->fmt);
	}
	free(v);
	model_free(&m);
	return 0;
}

/* -R: simulate stdin on the current configuration, then one REPLACE. */
static int cmd_restore(struct vsd_nl *nl)
{
	struct model m;
	struct info in;
	struct err e;
	int ret, line = 0;

	model_init(&m);
	m.no_stats = true;
	ret = ops_info(nl, &in);
	if (!ret)
		ret = ops_dump(nl, &m);
	if (ret < 0) {
		model_free(&m);
		return list_fail(nl, ret);
	}
	if (restore_read(&m, stdin, in.scheds, &e, &line) < 0) {
		fprintf(stderr, "%s: %s\n", prog, e.msg);
		model_free(&m);
		return e.status;
	}
	ret = ops_replace(nl, &m, &line);
	model_free(&m);
	if (ret == -EMSGSIZE) {
		fprintf(stderr,
			"%s: the configuration is larger than this socket may send at once (net.core.wmem_max; lifted for CAP_NET_ADMIN in the initial namespace)\n",
			prog);
		return EXIT_KERNEL;
	}
	if (ret < 0) {
		const char *why = nl->ext_msg[0] ? nl->ext_msg :
				  strerror(-ret);

		if (line)
			fprintf(stderr, "%s: line %d: %s\n", prog, line, why);
		else
			fprintf(stderr, "%s: %s\n", prog, why);
		return EXIT_KERNEL;
	}
	return 0;
}

static int cmd_change(struct vsd_nl *nl, const struct cmdline *c)
{
	static const int svc_cmds[NUMBER_OF_CMD] = {
		[CMD_ADD] = VSD_CMD_NEW_SERVICE,
		[CMD_EDIT] = VSD_CMD_SET_SERVICE,
		[CMD_DEL] = VSD_CMD_DEL_SERVICE,
		[CMD_ADDDEST] = VSD_CMD_NEW_DEST,
		[CMD_EDITDEST] = VSD_CMD_SET_DEST,
		[CMD_DELDEST] = VSD_CMD_DEL_DEST,
	};
	struct info in;
	struct err e;
	int ret;

	if (c->sched_arg) {
		ret = ops_info(nl, &in);
		if (ret < 0)
			return kernel_fail(nl, c, ret);
		if (sched_check(c->sched_arg, in.scheds, &e) < 0) {
			fprintf(stderr, "%s: %s\n", prog, e.msg);
			return e.status;
		}
	}
	switch (c->cmd) {
	case CMD_ADD:
	case CMD_EDIT:
	case CMD_DEL:
		ret = ops_service(nl, svc_cmds[c->cmd], &c->svc);
		break;
	case CMD_ADDDEST:
	case CMD_EDITDEST:
	case CMD_DELDEST:
		ret = ops_dest(nl, svc_cmds[c->cmd], &c->svc.key, &c->dest);
		break;
	case CMD_ZERO:
		ret = ops_zero(nl, (c->options & OPT(OPTC_SERVICE)) ?
			       &c->svc.key : NULL);
		break;
	default:
		ret = ops_flush(nl);
		break;
	}
	return ret < 0 ? kernel_fail(nl, c, ret) : 0;
}

/* --set tcp tcpfin udp: 0 leaves a value as it is (IPVS's rule). */
static int cmd_set_timeouts(struct vsd_nl *nl, const struct cmdline *c)
{
	struct settings s = { 0 };
	int ret;

	s.tcp = c->timeouts[0];
	s.tcpfin = c->timeouts[1];
	s.udp = c->timeouts[2];
	s.has = (s.tcp ? CFG_TCP : 0) | (s.tcpfin ? CFG_TCPFIN : 0) |
		(s.udp ? CFG_UDP : 0);
	if (!s.has)
		return 0;
	ret = ops_set_settings(nl, &s);
	return ret < 0 ? kernel_fail(nl, c, ret) : 0;
}

static int cmd_info(struct vsd_nl *nl, const struct cmdline *c)
{
	struct info in;
	int ret, i;

	ret = ops_info(nl, &in);
	if (ret < 0)
		return list_fail(nl, ret);
	if (c->fmt & FMT_JSON) {
		json_info(stdout, &in);
		return 0;
	}
	printf("vsd version %s\n", in.version);
	printf("connection table: %u buckets\n", in.tab_size);
	printf("connections: %u (limit %u)\n", in.conn_count, in.conn_max);
	printf("schedulers:");
	for (i = 0; in.scheds[i]; i++)
		printf(" %s", in.scheds[i]);
	printf("\ncounters:\n");
	for (i = 0; i <= VSD_CNT_A_MAX; i++)
		if (counter_names[i])
			printf("  %-16s %llu\n", counter_names[i],
			       (unsigned long long)in.counters[i]);
	return 0;
}

/* --prometheus: the whole table with its counters, and the drops. */
static int cmd_prometheus(struct vsd_nl *nl)
{
	struct service **v;
	struct model m;
	struct info in;
	size_t n;
	int ret;

	model_init(&m);
	ret = ops_info(nl, &in);
	if (!ret)
		ret = ops_dump(nl, &m);
	if (ret < 0) {
		model_free(&m);
		return list_fail(nl, ret);
	}
	v = model_list(&m, false, &n);
	if (!v) {
		model_free(&m);
		return list_fail(nl, -ENOMEM);
	}
	prom_write(stdout, v, n, &in);
	free(v);
	model_free(&m);
	return 0;
}

static int cmd_config(struct vsd_nl *nl, const struct cmdline *c)
{
	struct settings s;
	int ret;

	if (c->set.has) {
		ret = ops_set_settings(nl, &c->set);
		return ret < 0 ? kernel_fail(nl, c, ret) : 0;
	}
	ret = ops_get_settings(nl, &s);
	if (ret < 0)
		return list_fail(nl, ret);
	if (c->fmt & FMT_JSON) {
		json_settings(stdout, &s);
		return 0;
	}
	printf("hook=%s\n", s.hook == VSD_HOOK_LOCAL_IN ? "local_in" :
	       "prerouting");
	printf("conntrack=%u\n", s.conntrack);
	printf("conn_max=%u\n", s.conn_max);
	printf("expire_nodest_conn=%u\n", s.expire_nodest);
	printf("tcp=%u\ntcpfin=%u\nudp=%u\n", s.tcp, s.tcpfin, s.udp);
	return 0;
}

int main(int argc, char **argv)
{
	struct cmdline *c;
	struct vsd_nl nl;
	struct err e;
	int ret;

	c = malloc(sizeof(*c));
	if (!c) {
		fprintf(stderr, "%s: out of memory\n", prog);
		return 1;
	}
	if (cmdline_parse(c, argc, argv, &e) < 0) {
		fprintf(stderr, "%s: %s\n", prog, e.msg);
		free(c);
		return e.status;
	}
	if (c->cmd == CMD_HELP) {
		usage(stdout);
		free(c);
		return 0;
	}
	if (c->cmd == CMD_VERSION) {
		free(c);
		return cmd_version();
	}

	ret = vsd_nl_open(&nl);
	if (ret < 0) {
		nl_fail(ret);
		free(c);
		return 1;
	}
	switch (c->cmd) {
	case CMD_LIST:
	case CMD_SAVE:
		ret = cmd_list(&nl, c);
		break;
	case CMD_RESTORE:
		ret = cmd_restore(&nl);
		break;
	case CMD_TIMEOUT:
		ret = cmd_set_timeouts(&nl, c);
		break;
	case CMD_INFO:
		ret = cmd_info(&nl, c);
		break;
	case CMD_CONFIG:
		ret = cmd_config(&nl, c);
		break;
	case CMD_PROMETHEUS:
		ret = cmd_prometheus(&nl);
		break;
	default:
		ret = cmd_change(&nl, c);
		break;
	}
	vsd_nl_close(&nl);
	free(c);
	return ret;
}
