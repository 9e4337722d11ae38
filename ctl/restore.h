/* SPDX-License-Identifier: GPL-2.0 */
/*
 * -R: ipvsadm command lines applied, in order, to a model of the current
 * configuration, which is then sent whole in one VSD_CMD_REPLACE.  The
 * checks the kernel would make on each command are made here, so that an
 * error names its line and nothing changes.  Pure: no netlink.
 */
#ifndef VSDCTL_RESTORE_H
#define VSDCTL_RESTORE_H

#include "parse.h"

#include <stdio.h>

/*
 * Is @name one of @scheds (NULL-terminated)?  With @scheds NULL every name
 * passes (the kernel will say).  -1 with @e set when unknown.
 */
int sched_check(const char *name, const char * const *scheds,
		struct err *e);

/*
 * Apply one command (-A -E -D -a -e -d -C) to @m as the kernel would;
 * @line is recorded on what it sets.  0, or -1 with @e set.
 */
int model_apply(struct model *m, const struct cmdline *c, int line,
		const char * const *scheds, struct err *e);

/*
 * Read @in to its end and apply every line.  Blank lines and comments ('#'
 * to the end of the line) are skipped, so is a leading "ipvsadm" or
 * "vsdctl".  0, or -1 with @e set to "line N: ..." (and *@bad = N).
 */
int restore_read(struct model *m, FILE *in, const char * const *scheds,
		 struct err *e, int *bad);

#endif /* VSDCTL_RESTORE_H */
