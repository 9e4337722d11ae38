/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ipvsadm 1.31's command line, parsed into a struct cmdline: the same
 * commands, options, defaults, legal combinations and checks (ipvsadm.c's
 * parse_options, process_options and commands_v_options), plus vsdctl's
 * -j, --info, --config and --prometheus.  Pure: no netlink; names may be
 * resolved.
 */
#ifndef VSDCTL_PARSE_H
#define VSDCTL_PARSE_H

#include "model.h"

#include <stdint.h>

/* Commands; the first ones in ipvsadm's order (its table's rows). */
enum {
	CMD_NONE,
	CMD_ADD,
	CMD_EDIT,
	CMD_DEL,
	CMD_FLUSH,
	CMD_LIST,
	CMD_ADDDEST,
	CMD_DELDEST,
	CMD_EDITDEST,
	CMD_TIMEOUT,
	CMD_STARTDAEMON,
	CMD_STOPDAEMON,
	CMD_RESTORE,
	CMD_SAVE,
	CMD_ZERO,
	CMD_INFO,
	CMD_CONFIG,
	CMD_PROMETHEUS,
	CMD_HELP,
	CMD_VERSION,
	NUMBER_OF_CMD
};

/* Options; in ipvsadm's order (its table's columns), then ours. */
enum {
	OPTC_NUMERIC,
	OPTC_CONNECTION,
	OPTC_SERVICE,
	OPTC_SCHEDULER,
	OPTC_PERSISTENT,
	OPTC_NETMASK,
	OPTC_SERVER,
	OPTC_FORWARD,
	OPTC_WEIGHT,
	OPTC_UTHRESHOLD,
	OPTC_LTHRESHOLD,
	OPTC_MCAST,
	OPTC_TIMEOUT,
	OPTC_DAEMON,
	OPTC_STATS,
	OPTC_RATE,
	OPTC_THRESHOLDS,
	OPTC_PERSISTENTCONN,
	OPTC_NOSORT,
	OPTC_SYNCID,
	OPTC_EXACT,
	OPTC_ONEPACKET,
	OPTC_PERSISTENCE_ENGINE,
	OPTC_SCHED_FLAGS,
	OPTC_MCAST_GROUP,
	OPTC_MCAST_PORT,
	OPTC_MCAST_TTL,
	OPTC_SYNC_MAXLEN,
	OPTC_TUN_INFO,
	OPTC_TUN_TYPE,
	OPTC_TUN_PORT,
	OPTC_TUN_NOCSUM,
	OPTC_TUN_CSUM,
	OPTC_TUN_REMCSUM,
	OPTC_JSON,
	NUMBER_OF_OPT
};

#define OPT(c)		(1ULL << (c))

/* Output formats. */
#define FMT_NUMERIC		0x0001
#define FMT_RULE		0x0002
#define FMT_STATS		0x0004
#define FMT_RATE		0x0008
#define FMT_THRESHOLDS		0x0010
#define FMT_PERSISTENTCONN	0x0020
#define FMT_NOSORT		0x0040
#define FMT_EXACT		0x0080
#define FMT_TUN_INFO		0x0100
#define FMT_JSON		0x0200

enum { TUN_IPIP, TUN_GUE, TUN_GRE };

/* --config KEY=VALUE: which settings to change. */
#define CFG_HOOK		0x01
#define CFG_CONNTRACK		0x02
#define CFG_CONN_MAX		0x04
#define CFG_EXPIRE_NODEST	0x08
#define CFG_TCP			0x10
#define CFG_TCPFIN		0x20
#define CFG_UDP			0x40

struct settings {
	uint32_t has;			/* CFG_* */
	uint8_t hook;			/* enum vsd_hook */
	uint8_t conntrack;
	uint8_t expire_nodest;
	uint32_t conn_max;
	uint32_t tcp, tcpfin, udp;
};

#define SPELL_LEN	32

struct cmdline {
	int cmd;			/* CMD_* */
	char cmd_spell[SPELL_LEN];	/* as typed: "-A", "--add-service" */
	uint64_t options;		/* OPT(OPTC_*) */
	char spell[NUMBER_OF_OPT][SPELL_LEN];
	unsigned int fmt;		/* FMT_* */

	struct service svc;		/* key and parameters */
	const char *svc_arg;		/* the text of -t/-u/-f */
	const char *sched_arg;		/* -s as given (may be too long) */
	struct dest dest;
	const char *dest_arg;		/* the text of -r */
	int tun_type;			/* TUN_* */

	uint32_t timeouts[3];		/* --set tcp tcpfin udp */
	struct settings set;		/* --config KEY=VALUE... */
};

/*
 * Parse argv[1..] (argv[0] is the program).  0, or -1 with @e set (its
 * status: 2 for what ipvsadm rejects with 2, 255 for unknown options and
 * missing arguments, as ipvsadm).
 */
int cmdline_parse(struct cmdline *c, int argc, char **argv, struct err *e);

/* One --config KEY=VALUE into @s.  0, or -1 with @e set. */
int settings_parse(struct settings *s, const char *kv, struct err *e);

/* Text for users: "TCP 10.0.0.1:80", "FWM 3", "FWM 3 IPv6". */
char *svc_describe(char *buf, size_t len, const struct svc_key *key);

#endif /* VSDCTL_PARSE_H */
