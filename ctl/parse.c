// SPDX-License-Identifier: GPL-2.0
/*
 * ipvsadm's command line (see parse.h).
 */

#include "parse.h"

#include <arpa/inet.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Option tags: short options are their letter, long-only ones these. */
enum {
	TAG_SET = 128,
	TAG_START_DAEMON,
	TAG_STOP_DAEMON,
	TAG_MCAST_INTERFACE,
	TAG_SYNCID,
	TAG_TIMEOUT,
	TAG_DAEMON,
	TAG_STATS,
	TAG_RATE,
	TAG_THRESHOLDS,
	TAG_PERSISTENTCONN,
	TAG_SORT,
	TAG_NO_SORT,
	TAG_PERSISTENCE_ENGINE,
	TAG_SCTP_SERVICE,
	TAG_MCAST_GROUP,
	TAG_MCAST_PORT,
	TAG_MCAST_TTL,
	TAG_SYNC_MAXLEN,
	TAG_TUN_INFO,
	TAG_TUN_TYPE,
	TAG_TUN_PORT,
	TAG_TUN_NOCSUM,
	TAG_TUN_CSUM,
	TAG_TUN_REMCSUM,
	TAG_INFO,
	TAG_CONFIG,
	TAG_PROMETHEUS,
};

enum { ARG_NONE, ARG_REQUIRED, ARG_OPTIONAL };

struct optdef {
	const char *name;
	int shortname;
	int arg;
	int tag;
};

static const struct optdef optdefs[] = {
	{ "add-service",	'A', ARG_NONE, 'A' },
	{ "edit-service",	'E', ARG_NONE, 'E' },
	{ "delete-service",	'D', ARG_NONE, 'D' },
	{ "clear",		'C', ARG_NONE, 'C' },
	{ "list",		'L', ARG_NONE, 'L' },
	{ NULL,			'l', ARG_NONE, 'L' },
	{ "zero",		'Z', ARG_NONE, 'Z' },
	{ "add-server",		'a', ARG_NONE, 'a' },
	{ "edit-server",	'e', ARG_NONE, 'e' },
	{ "delete-server",	'd', ARG_NONE, 'd' },
	{ "set",		0,   ARG_NONE, TAG_SET },
	{ "help",		'h', ARG_NONE, 'h' },
	{ "version",		'v', ARG_NONE, 'v' },
	{ "restore",		'R', ARG_NONE, 'R' },
	{ "save",		'S', ARG_NONE, 'S' },
	{ "start-daemon",	0,   ARG_REQUIRED, TAG_START_DAEMON },
	{ "stop-daemon",	0,   ARG_REQUIRED, TAG_STOP_DAEMON },
	{ "tcp-service",	't', ARG_REQUIRED, 't' },
	{ "udp-service",	'u', ARG_REQUIRED, 'u' },
	{ "sctp-service",	'q', ARG_REQUIRED, TAG_SCTP_SERVICE },
	{ "fwmark-service",	'f', ARG_REQUIRED, 'f' },
	{ "scheduler",		's', ARG_REQUIRED, 's' },
	{ "persistent",		'p', ARG_OPTIONAL, 'p' },
	{ "netmask",		'M', ARG_REQUIRED, 'M' },
	{ "real-server",	'r', ARG_REQUIRED, 'r' },
	{ "masquerading",	'm', ARG_NONE, 'm' },
	{ "ipip",		'i', ARG_NONE, 'i' },
	{ "gatewaying",		'g', ARG_NONE, 'g' },
	{ "weight",		'w', ARG_REQUIRED, 'w' },
	{ "u-threshold",	'x', ARG_REQUIRED, 'x' },
	{ "l-threshold",	'y', ARG_REQUIRED, 'y' },
	{ "numeric",		'n', ARG_NONE, 'n' },
	{ "connection",		'c', ARG_NONE, 'c' },
	{ "mcast-interface",	0,   ARG_REQUIRED, TAG_MCAST_INTERFACE },
	{ "syncid",		0,   ARG_REQUIRED, TAG_SYNCID },
	{ "timeout",		0,   ARG_NONE, TAG_TIMEOUT },
	{ "daemon",		0,   ARG_NONE, TAG_DAEMON },
	{ "stats",		0,   ARG_NONE, TAG_STATS },
	{ "rate",		0,   ARG_NONE, TAG_RATE },
	{ "thresholds",		0,   ARG_NONE, TAG_THRESHOLDS },
	{ "persistent-conn",	0,   ARG_NONE, TAG_PERSISTENTCONN },
	{ "nosort",		0,   ARG_NONE, TAG_NO_SORT },
	{ "sort",		0,   ARG_NONE, TAG_SORT },
	{ "exact",		'X', ARG_NONE, 'X' },
	{ "ipv6",		'6', ARG_NONE, '6' },
	{ "ops",		'o', ARG_NONE, 'o' },
	{ "pe",			0,   ARG_REQUIRED, TAG_PERSISTENCE_ENGINE },
	{ "sched-flags",	'b', ARG_REQUIRED, 'b' },
	{ "mcast-group",	0,   ARG_REQUIRED, TAG_MCAST_GROUP },
	{ "mcast-port",		0,   ARG_REQUIRED, TAG_MCAST_PORT },
	{ "mcast-ttl",		0,   ARG_REQUIRED, TAG_MCAST_TTL },
	{ "sync-maxlen",	0,   ARG_REQUIRED, TAG_SYNC_MAXLEN },
	{ "tun-info",		0,   ARG_NONE, TAG_TUN_INFO },
	{ "tun-type",		0,   ARG_REQUIRED, TAG_TUN_TYPE },
	{ "tun-port",		0,   ARG_REQUIRED, TAG_TUN_PORT },
	{ "tun-nocsum",		0,   ARG_NONE, TAG_TUN_NOCSUM },
	{ "tun-csum",		0,   ARG_NONE, TAG_TUN_CSUM },
	{ "tun-remcsum",	0,   ARG_NONE, TAG_TUN_REMCSUM },
	{ "json",		'j', ARG_NONE, 'j' },
	{ "info",		0,   ARG_NONE, TAG_INFO },
	{ "config",		0,   ARG_NONE, TAG_CONFIG },
	{ "prometheus",		0,   ARG_NONE, TAG_PROMETHEUS },
};

#define NOPTDEFS	ARRAY_SIZE(optdefs)

static const char * const cmdnames[NUMBER_OF_CMD] = {
	[CMD_ADD]	  = "add-service",
	[CMD_EDIT]	  = "edit-service",
	[CMD_DEL]	  = "delete-service",
	[CMD_FLUSH]	  = "clear",
	[CMD_LIST]	  = "list",
	[CMD_ADDDEST]	  = "add-server",
	[CMD_DELDEST]	  = "delete-server",
	[CMD_EDITDEST]	  = "edit-server",
	[CMD_TIMEOUT]	  = "set",
	[CMD_STARTDAEMON] = "start-daemon",
	[CMD_STOPDAEMON]  = "stop-daemon",
	[CMD_RESTORE]	  = "restore",
	[CMD_SAVE]	  = "save",
	[CMD_ZERO]	  = "zero",
	[CMD_INFO]	  = "info",
	[CMD_CONFIG]	  = "config",
	[CMD_PROMETHEUS]  = "prometheus",
	[CMD_HELP]	  = "help",
	[CMD_VERSION]	  = "version",
};

/*
 * ipvsadm's commands_v_options, one string per command, one column per
 * OPTC_* (the last one is -j): '+' compulsory, 'x' illegal, '1' exclusive
 * (at most one of the '1's), '.' optional.
 */
static const char * const cmd_v_opts[NUMBER_OF_CMD] = {
	/*                 -n -c svc -s -p -M -r fwd -w -x -y mc tot dmn
	 *                 st rt thr pc srt sid ex ops pe -b grp port ttl
	 *                 size tinf type tprt nocs csum remc json
	 */
	[CMD_ADD]	  = "xx+...xxxxxxxxxxxxxxx...xxxxxxxxxxx",
	[CMD_EDIT]	  = "xx+...xxxxxxxxxxxxxxx...xxxxxxxxxxx",
	[CMD_DEL]	  = "xx+xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	[CMD_FLUSH]	  = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	[CMD_LIST]	  = ".11xxxxxxxxx11.......xxxxxxx.xxxxx.",
	[CMD_ADDDEST]	  = "xx+xxx+....xxxxxxxxxxxxxxxxxx.....x",
	[CMD_DELDEST]	  = "xx+xxx+xxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	[CMD_EDITDEST]	  = "xx+xxx+....xxxxxxxxxxxxxxxxxx.....x",
	[CMD_TIMEOUT]	  = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	[CMD_STARTDAEMON] = "xxxxxxxxxxx.xxxxxxx.xxxx....xxxxxxx",
	[CMD_STOPDAEMON]  = "xxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxx",
	[CMD_RESTORE]	  = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	[CMD_SAVE]	  = ".xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.",
	[CMD_ZERO]	  = "xx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	[CMD_INFO]	  = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.",
	[CMD_CONFIG]	  = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.",
	[CMD_PROMETHEUS]  = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
};

/* ipvsadm's tunnel_types_v_options: --tun-port, -nocsum, -csum, -remcsum */
static const char * const tun_v_opts[] = {
	[TUN_IPIP] = "xxxx",
	[TUN_GUE]  = "+111",
	[TUN_GRE]  = "x11x",
};

static const int tun_optc[] = {
	OPTC_TUN_PORT, OPTC_TUN_NOCSUM, OPTC_TUN_CSUM, OPTC_TUN_REMCSUM
};

static const char * const tun_names[] = { "ipip", "gue", "gre" };

/* What to say when a compulsory option is missing. */
static const char *required_what(int optc)
{
	if (optc == OPTC_SERVICE)
		return "a virtual service (-t, -u or -f)";
	return "a real server (-r)";
}

/* Copy a spelling (always shorter than SPELL_LEN: option names are). */
static void copy_spell(char *dst, const char *src)
{
	size_t n = strlen(src);

	if (n >= SPELL_LEN)
		n = SPELL_LEN - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void set_spell(char *dst, const struct optdef *d, bool islong)
{
	if (islong || !d->shortname) {
		dst[0] = '-';
		dst[1] = '-';
		copy_spell(dst + 2, d->name);
		dst[SPELL_LEN - 1] = '\0';
	} else {
		dst[0] = '-';
		dst[1] = (char)d->shortname;
		dst[2] = '\0';
	}
}

static int set_command(struct cmdline *c, int cmd, const char *spell,
		       struct err *e)
{
	if (c->cmd != CMD_NONE)
		return err_set(e, 2, "conflicting commands '%s' and '%s'",
			       c->cmd_spell, spell);
	c->cmd = cmd;
	copy_spell(c->cmd_spell, spell);
	return 0;
}

static int set_option(struct cmdline *c, int optc, const char *spell,
		      struct err *e)
{
	if (c->options & OPT(optc)) {
		if (!strcmp(c->spell[optc], spell))
			return err_set(e, 2, "option '%s' given twice",
				       spell);
		return err_set(e, 2, "options '%s' and '%s' both given",
			       c->spell[optc], spell);
	}
	c->options |= OPT(optc);
	copy_spell(c->spell[optc], spell);
	return 0;
}

static int parse_service_arg(struct cmdline *c, int protocol,
			     const char *arg, struct err *e)
{
	struct svc_key *k = &c->svc.key;
	uint16_t port = 0;
	int r;

	c->svc_arg = arg;
	k->protocol = (uint16_t)protocol;
	r = addr_parse_hostport(arg, protocol, &k->af, &k->addr, &port, e);
	if (r < 0)
		return -1;
	k->port = (r & HP_PORT) ? port : 0;
	return 0;
}

static int parse_number(const char *arg, uint32_t min, uint32_t max,
			uint32_t *v, const char *what, struct err *e)
{
	if (parse_u32(arg, min, max, v) < 0)
		return err_set(e, 2, "invalid %s '%s' (%u to %u)", what, arg,
			       min, max);
	return 0;
}

static int parse_mcast_group(const char *arg, struct err *e)
{
	struct in6_addr a6;
	struct in_addr a4;

	if (strchr(arg, ':')) {
		if (inet_pton(AF_INET6, arg, &a6) == 1 &&
		    IN6_IS_ADDR_MULTICAST(&a6))
			return 0;
	} else if (inet_pton(AF_INET, arg, &a4) == 1 &&
		   IN_MULTICAST(ntohl(a4.s_addr))) {
		return 0;
	}
	return err_set(e, 2, "invalid mcast-group '%s'", arg);
}

/* One option or command with its argument (NULL if none). */
static int handle(struct cmdline *c, int tag, const char *spell,
		  const char *arg, struct err *e)
{
	uint32_t v;

	switch (tag) {
	case 'A':
		return set_command(c, CMD_ADD, spell, e);
	case 'E':
		return set_command(c, CMD_EDIT, spell, e);
	case 'D':
		return set_command(c, CMD_DEL, spell, e);
	case 'a':
		return set_command(c, CMD_ADDDEST, spell, e);
	case 'e':
		return set_command(c, CMD_EDITDEST, spell, e);
	case 'd':
		return set_command(c, CMD_DELDEST, spell, e);
	case 'C':
		return set_command(c, CMD_FLUSH, spell, e);
	case 'L':
		return set_command(c, CMD_LIST, spell, e);
	case 'Z':
		return set_command(c, CMD_ZERO, spell, e);
	case TAG_SET:
		return set_command(c, CMD_TIMEOUT, spell, e);
	case 'R':
		return set_command(c, CMD_RESTORE, spell, e);
	case 'S':
		return set_command(c, CMD_SAVE, spell, e);
	case 'h':
		return set_command(c, CMD_HELP, spell, e);
	case 'v':
		return set_command(c, CMD_VERSION, spell, e);
	case TAG_INFO:
		return set_command(c, CMD_INFO, spell, e);
	case TAG_CONFIG:
		return set_command(c, CMD_CONFIG, spell, e);
	case TAG_PROMETHEUS:
		return set_command(c, CMD_PROMETHEUS, spell, e);
	case TAG_START_DAEMON:
	case TAG_STOP_DAEMON:
		if (set_command(c, tag == TAG_START_DAEMON ? CMD_STARTDAEMON :
				CMD_STOPDAEMON, spell, e) < 0)
			return -1;
		if (strcmp(arg, "master") && strcmp(arg, "backup"))
			return err_set(e, 2,
				       "invalid sync daemon state '%s' (master or backup)",
				       arg);
		return 0;
	case 't':
	case 'u':
	case TAG_SCTP_SERVICE:
		if (set_option(c, OPTC_SERVICE, spell, e) < 0)
			return -1;
		return parse_service_arg(c, tag == 'u' ? IPPROTO_UDP :
					 tag == 't' ? IPPROTO_TCP :
					 IPPROTO_SCTP, arg, e);
	case 'f':
		if (set_option(c, OPTC_SERVICE, spell, e) < 0)
			return -1;
		c->svc_arg = arg;
		if (parse_u32(arg, 1, UINT32_MAX, &v) < 0)
			return err_set(e, 2, "invalid fwmark '%s' (1 to %u)",
				       arg, UINT32_MAX);
		c->svc.key.af = AF_INET;
		c->svc.key.fwmark = v;
		return 0;
	case 's':
		if (set_option(c, OPTC_SCHEDULER, spell, e) < 0)
			return -1;
		c->sched_arg = arg;
		strncpy(c->svc.sched, arg, sizeof(c->svc.sched) - 1);
		return 0;
	case 'p':
		if (set_option(c, OPTC_PERSISTENT, spell, e) < 0)
			return -1;
		c->svc.timeout = DEF_PERSIST_TIMEOUT;
		if (arg)
			return parse_number(arg, 1, MAX_TIMEOUT,
					    &c->svc.timeout,
					    "persistence timeout", e);
		return 0;
	case 'M':
		return set_option(c, OPTC_NETMASK, spell, e);
	case 'r':
		if (set_option(c, OPTC_SERVER, spell, e) < 0)
			return -1;
		c->dest_arg = arg;
		return 0;
	case 'i':
	case 'g':
	case 'm':
		if (set_option(c, OPTC_FORWARD, spell, e) < 0)
			return -1;
		c->dest.fwd = tag == 'i' ? VSD_FWD_TUNNEL :
			      tag == 'm' ? VSD_FWD_MASQ : VSD_FWD_ROUTE;
		return 0;
	case 'w':
		if (set_option(c, OPTC_WEIGHT, spell, e) < 0)
			return -1;
		return parse_number(arg, 0, VSD_WEIGHT_MAX, &c->dest.weight,
				    "weight", e);
	case 'x':
		if (set_option(c, OPTC_UTHRESHOLD, spell, e) < 0)
			return -1;
		return parse_number(arg, 0, VSD_THRESH_MAX, &c->dest.u_thresh,
				    "upper threshold", e);
	case 'y':
		if (set_option(c, OPTC_LTHRESHOLD, spell, e) < 0)
			return -1;
		return parse_number(arg, 0, VSD_THRESH_MAX, &c->dest.l_thresh,
				    "lower threshold", e);
	case 'n':
		c->fmt |= FMT_NUMERIC;
		return set_option(c, OPTC_NUMERIC, spell, e);
	case 'c':
		return set_option(c, OPTC_CONNECTION, spell, e);
	case TAG_MCAST_INTERFACE:
		return set_option(c, OPTC_MCAST, spell, e);
	case TAG_SYNCID:
		if (set_option(c, OPTC_SYNCID, spell, e) < 0)
			return -1;
		return parse_number(arg, 0, 255, &v, "syncid", e);
	case TAG_TIMEOUT:
		return set_option(c, OPTC_TIMEOUT, spell, e);
	case TAG_DAEMON:
		return set_option(c, OPTC_DAEMON, spell, e);
	case TAG_STATS:
		c->fmt |= FMT_STATS;
		return set_option(c, OPTC_STATS, spell, e);
	case TAG_RATE:
		c->fmt |= FMT_RATE;
		return set_option(c, OPTC_RATE, spell, e);
	case TAG_THRESHOLDS:
		c->fmt |= FMT_THRESHOLDS;
		return set_option(c, OPTC_THRESHOLDS, spell, e);
	case TAG_PERSISTENTCONN:
		c->fmt |= FMT_PERSISTENTCONN;
		return set_option(c, OPTC_PERSISTENTCONN, spell, e);
	case TAG_NO_SORT:
		c->fmt |= FMT_NOSORT;
		return set_option(c, OPTC_NOSORT, spell, e);
	case TAG_SORT:
		return 0;	/* the default; ipvsadm keeps it for scripts */
	case 'X':
		c->fmt |= FMT_EXACT;
		return set_option(c, OPTC_EXACT, spell, e);
	case '6':
		/* applied once the service is known (see finish()) */
		c->svc.key.zero = 1;
		return 0;
	case 'o':
		c->svc.flags |= VSD_SVC_F_ONEPACKET;
		return set_option(c, OPTC_ONEPACKET, spell, e);
	case TAG_PERSISTENCE_ENGINE:
		return set_option(c, OPTC_PERSISTENCE_ENGINE, spell, e);
	case 'b':
		if (set_option(c, OPTC_SCHED_FLAGS, spell, e) < 0)
			return -1;
		return 0;
	case TAG_MCAST_GROUP:
		if (set_option(c, OPTC_MCAST_GROUP, spell, e) < 0)
			return -1;
		return parse_mcast_group(arg, e);
	case TAG_MCAST_PORT:
		if (set_option(c, OPTC_MCAST_PORT, spell, e) < 0)
			return -1;
		return parse_number(arg, 1, 65535, &v, "mcast-port", e);
	case TAG_MCAST_TTL:
		if (set_option(c, OPTC_MCAST_TTL, spell, e) < 0)
			return -1;
		return parse_number(arg, 1, 255, &v, "mcast-ttl", e);
	case TAG_SYNC_MAXLEN:
		if (set_option(c, OPTC_SYNC_MAXLEN, spell, e) < 0)
			return -1;
		return parse_number(arg, 1, 65535 - 20 - 8, &v,
				    "sync-maxlen", e);
	case TAG_TUN_INFO:
		c->fmt |= FMT_TUN_INFO;
		return set_option(c, OPTC_TUN_INFO, spell, e);
	case TAG_TUN_TYPE:
		if (set_option(c, OPTC_TUN_TYPE, spell, e) < 0)
			return -1;
		for (v = 0; v < 3; v++)
			if (!strcmp(arg, tun_names[v]))
				break;
		if (v == 3)
			return err_set(e, 2,
				       "invalid tunnel type '%s' (ipip, gue or gre)",
				       arg);
		c->tun_type = (int)v;
		return 0;
	case TAG_TUN_PORT:
		if (set_option(c, OPTC_TUN_PORT, spell, e) < 0)
			return -1;
		return parse_number(arg, 1, 65535, &v, "tunnel port", e);
	case TAG_TUN_NOCSUM:
		return set_option(c, OPTC_TUN_NOCSUM, spell, e);
	case TAG_TUN_CSUM:
		return set_option(c, OPTC_TUN_CSUM, spell, e);
	case TAG_TUN_REMCSUM:
		return set_option(c, OPTC_TUN_REMCSUM, spell, e);
	case 'j':
		c->fmt |= FMT_JSON;
		return set_option(c, OPTC_JSON, spell, e);
	}
	return err_set(e, 255, "unknown option '%s'", spell);
}

/* ipvsadm's parse_sched_flags(): a comma-separated list. */
static int parse_sched_flags(struct cmdline *c, const char *arg,
			     struct err *e)
{
	static const struct {
		const char *name;
		uint32_t flag;
		const char *sched;
	} names[] = {
		{ "flag-1", VSD_SVC_F_SCHED1, NULL },
		{ "flag-2", VSD_SVC_F_SCHED2, NULL },
		{ "flag-3", VSD_SVC_F_SCHED3, NULL },
		{ "sh-fallback", VSD_SVC_F_SCHED1, "sh" },
		{ "sh-port", VSD_SVC_F_SCHED2, "sh" },
		{ "mh-fallback", VSD_SVC_F_SCHED1, "mh" },
		{ "mh-port", VSD_SVC_F_SCHED2, "mh" },
	};
	const char *sched = c->svc.sched[0] ? c->svc.sched : DEF_SCHED;
	const char *p = arg, *end;
	char flag[32];
	unsigned int i;

	c->svc.flags &= ~(uint32_t)(VSD_SVC_F_SCHED1 | VSD_SVC_F_SCHED2 |
				    VSD_SVC_F_SCHED3);
	do {
		end = strchr(p, ',');
		snprintf(flag, sizeof(flag), "%.*s",
			 (int)(end ? end - p : (long)strlen(p)), p);
		p = end ? end + 1 : NULL;
		/* ipvsadm's strtok() skips empty items */
		if (!flag[0])
			continue;
		for (i = 0; i < ARRAY_SIZE(names); i++)
			if (!strcmp(flag, names[i].name))
				break;
		if (i == ARRAY_SIZE(names))
			return err_set(e, 2, "invalid scheduler flag '%s'",
				       flag);
		if (names[i].sched && strcmp(sched, names[i].sched))
			return err_set(e, 2,
				       "scheduler flag '%s' needs scheduler '%s'",
				       flag, names[i].sched);
		c->svc.flags |= names[i].flag;
	} while (p);
	return 0;
}

static int generic_opt_check(struct cmdline *c, struct err *e)
{
	const char *row = cmd_v_opts[c->cmd];
	int j, last = -1;

	for (j = 0; j < NUMBER_OF_OPT; j++) {
		if (!(c->options & OPT(j))) {
			if (row[j] == '+')
				return err_set(e, 2, "'%s' needs %s",
					       c->cmd_spell,
					       required_what(j));
			continue;
		}
		if (row[j] == 'x')
			return err_set(e, 2,
				       "option '%s' is not valid with '%s' (%s)",
				       c->spell[j], c->cmd_spell,
				       cmdnames[c->cmd]);
		if (row[j] == '1') {
			if (last < 0) {
				last = j;
				continue;
			}
			return err_set(e, 2,
				       "options '%s' and '%s' conflict with '%s'",
				       c->spell[last], c->spell[j],
				       c->cmd_spell);
		}
	}
	return 0;
}

static int tunnel_opt_check(struct cmdline *c, struct err *e)
{
	const char *row = tun_v_opts[c->tun_type];
	int j, k, last = -1;

	for (j = 0; j < 4; j++) {
		k = tun_optc[j];
		if (!(c->options & OPT(k))) {
			if (row[j] == '+')
				return err_set(e, 2,
					       "tunnel type '%s' needs option '--tun-port'",
					       tun_names[c->tun_type]);
			continue;
		}
		if (row[j] == 'x')
			return err_set(e, 2,
				       "option '%s' is not valid with tunnel type '%s'",
				       c->spell[k], tun_names[c->tun_type]);
		if (row[j] == '1') {
			if (last < 0) {
				last = k;
				continue;
			}
			return err_set(e, 2,
				       "options '%s' and '%s' conflict with tunnel type '%s'",
				       c->spell[last], c->spell[k],
				       tun_names[c->tun_type]);
		}
	}
	return 0;
}

static int first_of(const struct cmdline *c, const int *optcs, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (c->options & OPT(optcs[i]))
			return optcs[i];
	return -1;
}

/* ipvsadm's "options conflicts in the list command". */
static int list_opt_check(struct cmdline *c, struct err *e)
{
	static const int what[] = { OPTC_CONNECTION, OPTC_TIMEOUT,
				    OPTC_DAEMON };
	static const int how[] = { OPTC_STATS, OPTC_RATE, OPTC_THRESHOLDS };
	static const int td[] = { OPTC_TIMEOUT, OPTC_DAEMON };
	int a, b;

	a = first_of(c, what, 3);
	b = first_of(c, how, 3);
	if (a < 0 || b < 0) {
		a = first_of(c, td, 2);
		b = (c->options & OPT(OPTC_PERSISTENTCONN)) ?
		    OPTC_PERSISTENTCONN : -1;
	}
	if (a >= 0 && b >= 0)
		return err_set(e, 2, "options '%s' and '%s' conflict in a listing",
			       c->spell[a], c->spell[b]);
	return 0;
}

/* What vsd does not do, refused once ipvsadm's own checks have passed. */
static int vsd_refusals(struct cmdline *c, struct err *e)
{
	if (c->cmd == CMD_STARTDAEMON || c->cmd == CMD_STOPDAEMON)
		return err_set(e, 2,
			       "vsd does not support the connection sync daemon ('%s')",
			       c->cmd_spell);
	if (c->options & OPT(OPTC_DAEMON))
		return err_set(e, 2,
			       "vsd does not support the connection sync daemon ('%s')",
			       c->spell[OPTC_DAEMON]);
	if ((c->options & OPT(OPTC_SERVICE)) &&
	    c->svc.key.protocol == IPPROTO_SCTP)
		return err_set(e, 2, "vsd does not support SCTP services ('%s')",
			       c->spell[OPTC_SERVICE]);
	if (c->options & OPT(OPTC_PERSISTENCE_ENGINE))
		return err_set(e, 2,
			       "vsd does not support persistence engines ('%s')",
			       c->spell[OPTC_PERSISTENCE_ENGINE]);
	if ((c->options & OPT(OPTC_TUN_TYPE)) && c->tun_type != TUN_IPIP)
		return err_set(e, 2,
			       "vsd does not support tunnel type '%s' (only ipip)",
			       tun_names[c->tun_type]);
	return 0;
}

static int finish_service(struct cmdline *c, const char *netmask_arg,
			  struct err *e)
{
	struct service *s = &c->svc;
	bool ipv6 = s->key.zero;

	s->key.zero = 0;
	if (ipv6) {
		if (!s->key.fwmark)
			return err_set(e, 2,
				       "'-6' is only for fwmark services (-f)");
		s->key.af = AF_INET6;
	}
	s->netmask = full_netmask(s->key.af);
	if (netmask_arg &&
	    addr_parse_netmask(netmask_arg, s->key.af ? s->key.af : AF_INET,
			       &s->netmask, e) < 0)
		return -1;
	return 0;
}

static int finish_dest(struct cmdline *c, struct err *e)
{
	struct dest *d = &c->dest;
	uint16_t port = 0;
	int proto, r;

	if (!c->dest_arg)
		return 0;
	proto = c->svc.key.fwmark ? IPPROTO_TCP : c->svc.key.protocol;
	r = addr_parse_hostport(c->dest_arg, proto, &d->af, &d->addr, &port,
				e);
	if (r < 0)
		return -1;
	/* a real server without a port inherits the service's */
	d->port = (r & HP_PORT) ? port : c->svc.key.port;
	return 0;
}

static int leftovers(struct cmdline *c, char **rest, int nrest,
		     struct err *e)
{
	int i = 0;

	if (c->cmd == CMD_TIMEOUT) {
		if (nrest < 3)
			return err_set(e, 2,
				       "'%s' needs 3 timeout values (tcp tcpfin udp)",
				       c->cmd_spell);
		for (i = 0; i < 3; i++)
			if (parse_number(rest[i], 0, MAX_TIMEOUT,
					 &c->timeouts[i], "timeout", e) < 0)
				return -1;
	} else if (c->cmd == CMD_CONFIG) {
		for (; i < nrest; i++)
			if (settings_parse(&c->set, rest[i], e) < 0)
				return -1;
	}
	if (i < nrest)
		return err_set(e, 2, "unexpected argument '%s'", rest[i]);
	return 0;
}

static const struct optdef *find_long(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < NOPTDEFS; i++)
		if (optdefs[i].name && strlen(optdefs[i].name) == len &&
		    !strncmp(optdefs[i].name, name, len))
			return &optdefs[i];
	return NULL;
}

static const struct optdef *find_short(int ch)
{
	size_t i;

	for (i = 0; i < NOPTDEFS; i++)
		if (optdefs[i].shortname == ch)
			return &optdefs[i];
	return NULL;
}

/* Walk argv as popt does; the non-options are collected in @rest. */
static int scan(struct cmdline *c, int argc, char **argv, char **rest,
		int *nrest, const char **netmask, const char **sflags,
		struct err *e)
{
	char spell[SPELL_LEN];
	bool opts_done = false;
	int i;

	for (i = 1; i < argc; i++) {
		const struct optdef *d;
		const char *a = argv[i], *arg, *eq;

		if (opts_done || a[0] != '-' || !a[1]) {
			rest[(*nrest)++] = argv[i];
			continue;
		}
		if (!strcmp(a, "--")) {
			opts_done = true;
			continue;
		}
		if (a[1] == '-') {
			eq = strchr(a + 2, '=');
			d = find_long(a + 2, eq ? (size_t)(eq - a - 2) :
				      strlen(a + 2));
			if (!d)
				return err_set(e, 255, "unknown option '%.*s'",
					       (int)(eq ? eq - a : (long)strlen(a)),
					       a);
			set_spell(spell, d, true);
			arg = eq ? eq + 1 : NULL;
			if (d->arg == ARG_NONE && arg)
				return err_set(e, 255,
					       "option '%s' takes no argument",
					       spell);
			if (d->arg == ARG_REQUIRED && !arg) {
				if (i + 1 >= argc)
					return err_set(e, 255,
						       "option '%s' needs an argument",
						       spell);
				arg = argv[++i];
			}
			if (d->arg == ARG_OPTIONAL && !arg && i + 1 < argc &&
			    argv[i + 1][0] != '-')
				arg = argv[++i];
			if (d->tag == 'M')
				*netmask = arg;
			if (d->tag == 'b')
				*sflags = arg;
			if (handle(c, d->tag, spell, arg, e) < 0)
				return -1;
			continue;
		}
		/* a cluster of short options: -Lnt VIP:PORT, -p600 */
		for (a++; *a; a++) {
			d = find_short((unsigned char)*a);
			if (!d)
				return err_set(e, 255, "unknown option '-%c'",
					       *a);
			set_spell(spell, d, false);
			arg = NULL;
			if (d->arg != ARG_NONE && a[1]) {
				arg = a + 1;
			} else if (d->arg == ARG_REQUIRED) {
				if (i + 1 >= argc)
					return err_set(e, 255,
						       "option '%s' needs an argument",
						       spell);
				arg = argv[++i];
			} else if (d->arg == ARG_OPTIONAL && i + 1 < argc &&
				   argv[i + 1][0] != '-') {
				arg = argv[++i];
			}
			if (d->tag == 'M')
				*netmask = arg;
			if (d->tag == 'b')
				*sflags = arg;
			if (handle(c, d->tag, spell, arg, e) < 0)
				return -1;
			if (arg)
				break;
		}
	}
	return 0;
}

int cmdline_parse(struct cmdline *c, int argc, char **argv, struct err *e)
{
	const char *netmask = NULL, *sflags = NULL;
	char **rest;
	int nrest = 0, ret = -1;
	uint16_t fwd;

	memset(c, 0, sizeof(*c));
	c->dest.weight = 1;
	c->dest.fwd = VSD_FWD_ROUTE;
	e->status = 0;
	e->msg[0] = '\0';

	rest = calloc((size_t)argc + 1, sizeof(*rest));
	if (!rest)
		return err_set(e, 1, "out of memory");
	if (scan(c, argc, argv, rest, &nrest, &netmask, &sflags, e) < 0)
		goto out;

	if (c->cmd == CMD_NONE) {
		if (argc > 1 || nrest) {
			err_set(e, 255,
				"no command given (try 'vsdctl --help')");
			goto out;
		}
		/* no argument at all lists the table, as ipvsadm */
		c->cmd = CMD_LIST;
		snprintf(c->cmd_spell, SPELL_LEN, "-L");
	}
	if (c->cmd == CMD_HELP || c->cmd == CMD_VERSION) {
		ret = 0;
		goto out;
	}
	if (leftovers(c, rest, nrest, e) < 0)
		goto out;
	if (finish_service(c, netmask, e) < 0 || finish_dest(c, e) < 0)
		goto out;
	if (sflags && parse_sched_flags(c, sflags, e) < 0)
		goto out;
	if (generic_opt_check(c, e) < 0)
		goto out;

	if (c->cmd == CMD_ADD || c->cmd == CMD_EDIT) {
		if (!c->svc.key.fwmark && !c->svc.key.port &&
		    !c->svc.timeout) {
			err_set(e, 2,
				"service '%s %s' has port 0 and is not persistent (-p)",
				c->spell[OPTC_SERVICE], c->svc_arg);
			goto out;
		}
		if ((c->svc.flags & VSD_SVC_F_ONEPACKET) &&
		    !c->svc.key.fwmark &&
		    c->svc.key.protocol != IPPROTO_UDP) {
			err_set(e, 2,
				"one-packet scheduling ('%s') is only for UDP services",
				c->spell[OPTC_ONEPACKET]);
			goto out;
		}
		if (!c->svc.sched[0])
			snprintf(c->svc.sched, sizeof(c->svc.sched), "%s",
				 DEF_SCHED);
	}

	fwd = c->dest.fwd;
	if (c->cmd == CMD_ADDDEST || c->cmd == CMD_EDITDEST) {
		/* DR and TUN cannot change the port (except fwmark) */
		if (!c->svc.key.fwmark &&
		    (fwd == VSD_FWD_TUNNEL || fwd == VSD_FWD_ROUTE))
			c->dest.port = c->svc.key.port;
		if (c->dest.af != c->svc.key.af && fwd != VSD_FWD_TUNNEL) {
			err_set(e, 2,
				"real server '%s' and service '%s %s' differ in address family: only tunnelling (-i) can mix them",
				c->dest_arg, c->spell[OPTC_SERVICE],
				c->svc_arg);
			goto out;
		}
		if ((c->options & (OPT(OPTC_TUN_TYPE) | OPT(OPTC_TUN_PORT) |
				   OPT(OPTC_TUN_NOCSUM) | OPT(OPTC_TUN_CSUM) |
				   OPT(OPTC_TUN_REMCSUM))) &&
		    fwd != VSD_FWD_TUNNEL) {
			int k;

			for (k = OPTC_TUN_TYPE; k <= OPTC_TUN_REMCSUM; k++)
				if (c->options & OPT(k))
					break;
			err_set(e, 2, "option '%s' needs tunnelling (-i)",
				c->spell[k]);
			goto out;
		}
		if (tunnel_opt_check(c, e) < 0)
			goto out;
	}
	if (c->cmd == CMD_LIST && list_opt_check(c, e) < 0)
		goto out;
	if (c->cmd == CMD_SAVE)
		c->fmt |= FMT_RULE;
	if (vsd_refusals(c, e) < 0)
		goto out;
	ret = 0;
out:
	free(rest);
	return ret;
}

static int parse_bool(const char *key, const char *val, uint8_t *out,
		      struct err *e)
{
	if (!strcmp(val, "0") || !strcmp(val, "1")) {
		*out = (uint8_t)(val[0] - '0');
		return 0;
	}
	return err_set(e, 2, "invalid value '%s' for '%s' (0 or 1)", val, key);
}

int settings_parse(struct settings *s, const char *kv, struct err *e)
{
	const char *eq = strchr(kv, '=');
	char key[32];
	const char *val;
	uint32_t bit, *num = NULL;

	if (!eq || eq == kv || eq - kv >= (long)sizeof(key))
		return err_set(e, 2, "invalid setting '%s' (KEY=VALUE)", kv);
	snprintf(key, sizeof(key), "%.*s", (int)(eq - kv), kv);
	val = eq + 1;

	if (!strcmp(key, "hook"))
		bit = CFG_HOOK;
	else if (!strcmp(key, "conntrack"))
		bit = CFG_CONNTRACK;
	else if (!strcmp(key, "conn_max"))
		bit = CFG_CONN_MAX;
	else if (!strcmp(key, "expire_nodest_conn"))
		bit = CFG_EXPIRE_NODEST;
	else if (!strcmp(key, "tcp"))
		bit = CFG_TCP;
	else if (!strcmp(key, "tcpfin"))
		bit = CFG_TCPFIN;
	else if (!strcmp(key, "udp"))
		bit = CFG_UDP;
	else
		return err_set(e, 2,
			       "unknown setting '%s' (hook, conntrack, conn_max, expire_nodest_conn, tcp, tcpfin, udp)",
			       key);
	if (s->has & bit)
		return err_set(e, 2, "setting '%s' given twice", key);
	s->has |= bit;

	switch (bit) {
	case CFG_HOOK:
		if (!strcmp(val, "prerouting"))
			s->hook = VSD_HOOK_PREROUTING;
		else if (!strcmp(val, "local_in"))
			s->hook = VSD_HOOK_LOCAL_IN;
		else
			return err_set(e, 2,
				       "invalid value '%s' for 'hook' (prerouting or local_in)",
				       val);
		return 0;
	case CFG_CONNTRACK:
		return parse_bool(key, val, &s->conntrack, e);
	case CFG_EXPIRE_NODEST:
		return parse_bool(key, val, &s->expire_nodest, e);
	case CFG_CONN_MAX:
		if (parse_u32(val, 1, UINT32_MAX, &s->conn_max) < 0)
			return err_set(e, 2,
				       "invalid value '%s' for 'conn_max' (1 to %u)",
				       val, UINT32_MAX);
		return 0;
	case CFG_TCP:
		num = &s->tcp;
		break;
	case CFG_TCPFIN:
		num = &s->tcpfin;
		break;
	default:
		num = &s->udp;
		break;
	}
	if (parse_u32(val, 1, MAX_TIMEOUT, num) < 0)
		return err_set(e, 2,
			       "invalid value '%s' for '%s' (seconds, 1 to %u)",
			       val, key, MAX_TIMEOUT);
	return 0;
}

char *svc_describe(char *buf, size_t len, const struct svc_key *key)
{
	char host[HOSTPORT_LEN];

	if (key->fwmark)
		snprintf(buf, len, "FWM %u%s", key->fwmark,
			 key->af == AF_INET6 ? " IPv6" : "");
	else
		snprintf(buf, len, "%s %s",
			 key->protocol == IPPROTO_UDP ? "UDP" :
			 key->protocol == IPPROTO_TCP ? "TCP" : "SCTP",
			 addr_format_hostport(host, key->af, &key->addr,
					      key->port, key->protocol, true));
	return buf;
}
