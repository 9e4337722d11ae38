/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --prometheus: the counters of every service and real server, and the
 * namespace's drop counters, in Prometheus' text exposition format 0.0.4,
 * for node_exporter's textfile collector (docs/metrics.md).  Pure.
 */
#ifndef VSDCTL_PROM_H
#define VSDCTL_PROM_H

#include "parse.h"

#include <stdio.h>

/*
 * One metric family after the other, each with its HELP and TYPE lines;
 * services as given (model_list() sorts), @in for the namespace's figures.
 */
void prom_write(FILE *f, struct service **v, size_t n, const struct info *in);

#endif /* VSDCTL_PROM_H */
