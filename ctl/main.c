// SPDX-License-Identifier: GPL-2.0
/*
 * vsdctl: configure the vsd director.  The command line is ipvsadm's.
 */

#include "nl.h"
#include "../kernel/version.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *prog = "vsdctl";

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

struct info {
	char version[VSD_VERSION_MAX];
	unsigned int tab_size;
};

static int info_cb(struct nlattr **tb, void *arg)
{
	struct nlattr *a[VSD_INFO_A_MAX + 1];
	struct info *info = arg;

	if (!tb[VSD_A_INFO] ||
	    nla_parse_nested(a, VSD_INFO_A_MAX, tb[VSD_A_INFO], NULL) < 0)
		return -EBADMSG;
	if (a[VSD_INFO_A_VERSION])
		nla_strlcpy(info->version, a[VSD_INFO_A_VERSION],
			    sizeof(info->version));
	if (a[VSD_INFO_A_CONN_TAB_SIZE])
		info->tab_size = nla_get_u32(a[VSD_INFO_A_CONN_TAB_SIZE]);
	return 0;
}

static int get_info(struct vsd_nl *nl, struct info *info)
{
	struct nl_msg *msg;

	memset(info, 0, sizeof(*info));
	msg = vsd_nl_msg(nl, VSD_CMD_GET_INFO, 0);
	if (!msg)
		return -ENOMEM;
	return vsd_nl_send(nl, msg, info_cb, info);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "version", no_argument, NULL, 'v' },
		{ "list", no_argument, NULL, 'L' },
		{ "numeric", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	struct vsd_nl nl;
	struct info info;
	int c, list = 0, version = 0, ret;

	while ((c = getopt_long(argc, argv, "vLln", opts, NULL)) != -1) {
		switch (c) {
		case 'v':
			version = 1;
			break;
		case 'L':
		case 'l':
			list = 1;
			break;
		case 'n':
			break;
		default:
			return 2;
		}
	}
	if (!version && !list)
		list = 1;

	ret = vsd_nl_open(&nl);
	if (ret < 0) {
		nl_fail(ret);
		return 1;
	}
	ret = get_info(&nl, &info);
	if (ret < 0) {
		nl_fail(ret);
		vsd_nl_close(&nl);
		return 1;
	}
	if (version) {
		printf("vsdctl v%s (module vsd v%s)\n", VSD_VERSION,
		       info.version);
	} else {
		printf("vsd version %s (size=%u)\n", info.version,
		       info.tab_size);
		printf("Prot LocalAddress:Port Scheduler Flags\n");
		printf("  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n");
	}
	vsd_nl_close(&nl);
	return 0;
}
