/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Text output in ipvsadm's layouts, byte for byte: the service table in
 * every format (-L with --stats, --rate, --thresholds, --persistent-conn,
 * --tun-info, --exact), rules (-S), timeouts and connections (-c).
 * Pure: it prints what it is given.
 */
#ifndef VSDCTL_LIST_H
#define VSDCTL_LIST_H

#include "parse.h"

#include <stdio.h>

/* ipvsadm's print_largenum(): "%9llu", or scaled K/M/G/T without exact. */
void format_largenum(char *buf, size_t len, uint64_t v, bool exact);

/* The two title lines of a table (none for -S). */
void list_title(FILE *f, unsigned int fmt);
/* One service and its destinations (sorted unless FMT_NOSORT). */
void list_service(FILE *f, struct service *s, unsigned int fmt);
/* Services as given (model_list() sorts): title and entries. */
void list_services(FILE *f, struct service **v, size_t n, unsigned int fmt);

void list_timeouts(FILE *f, uint32_t tcp, uint32_t tcpfin, uint32_t udp);

void list_conn_title(FILE *f, unsigned int fmt);
void list_conn(FILE *f, const struct conn *cn, unsigned int fmt);

#endif /* VSDCTL_LIST_H */
