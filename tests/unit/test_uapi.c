// SPDX-License-Identifier: GPL-2.0
/*
 * The UAPI header is self-contained, compiles as plain C with -Wall -Wextra
 * -Werror, and its numbers are ABI: they never change once released.
 */

#include <linux/vsd.h>	/* first: it must need nothing before it */

#include "unit.h"

#include <string.h>

static void family(void)
{
	CHECK(!strcmp(VSD_GENL_NAME, "vsd"), "name %s", VSD_GENL_NAME);
	CHECK(VSD_GENL_VERSION == 1, "version %d", VSD_GENL_VERSION);
}

static void commands(void)
{
	CHECK(VSD_CMD_GET_INFO == 1, "%d", VSD_CMD_GET_INFO);
	CHECK(VSD_CMD_NEW_SERVICE == 2, "%d", VSD_CMD_NEW_SERVICE);
	CHECK(VSD_CMD_GET_SERVICE == 5, "%d", VSD_CMD_GET_SERVICE);
	CHECK(VSD_CMD_NEW_DEST == 6, "%d", VSD_CMD_NEW_DEST);
	CHECK(VSD_CMD_GET_CONN == 9, "%d", VSD_CMD_GET_CONN);
	CHECK(VSD_CMD_REPLACE == 14, "%d", VSD_CMD_REPLACE);
	CHECK(VSD_CMD_MAX == VSD_CMD_REPLACE, "%d", VSD_CMD_MAX);
}

static void attributes(void)
{
	CHECK(VSD_A_INFO == 1 && VSD_A_CONFIG == 5 && VSD_A_MAX == 5,
	      "top level");
	CHECK(VSD_INFO_A_VERSION == 1 && VSD_INFO_A_CONN_TAB_SIZE == 2,
	      "info");
	CHECK(VSD_SVC_A_AF == 1 && VSD_SVC_A_FWMARK == 5 &&
	      VSD_SVC_A_DESTS == 11, "service");
	CHECK(VSD_DEST_A_ADDR == 2 && VSD_DEST_A_WEIGHT == 5, "dest");
	CHECK(VSD_STATS_A_CONNS == 1 && VSD_STATS_A_OUTBPS == 10, "stats");
	CHECK(VSD_CONN_A_STATE == 12, "conn");
	CHECK(VSD_CFG_A_TIMEOUT_TCP == 1 && VSD_CFG_A_HOOK == 4, "config");
}

static void values(void)
{
	CHECK(VSD_FWD_ROUTE == 0 && VSD_FWD_TUNNEL == 1 && VSD_FWD_MASQ == 2,
	      "forwarding methods");
	/* IPVS's state numbering, so tools reading both agree. */
	CHECK(VSD_TCP_S_ESTABLISHED == 1 && VSD_TCP_S_SYN_RECV == 3 &&
	      VSD_TCP_S_SYNACK == 10, "TCP states");
	CHECK(VSD_HOOK_PREROUTING == 0 && VSD_HOOK_LOCAL_IN == 1, "hooks");
	CHECK(VSD_WEIGHT_MAX == 65535, "weight range");
	CHECK(VSD_SCHED_NAME_MAX == 16, "scheduler name size");
}

int main(void)
{
	RUN(family);
	RUN(commands);
	RUN(attributes);
	RUN(values);
	return UNIT_DONE();
}
