/* SPDX-License-Identifier: GPL-2.0 */
/*
 * -j: the same data as the text listings, as JSON with stable keys
 * (docs/json.md).  Addresses are always numeric.  Pure.
 */
#ifndef VSDCTL_JSON_H
#define VSDCTL_JSON_H

#include "parse.h"

#include <stdio.h>

/* A minimal streaming writer: commas and string escapes handled. */
struct json {
	FILE *f;
	int depth;
	bool first[32];
};

void json_begin(struct json *j, FILE *f);	/* opens the top object */
void json_end(struct json *j);			/* closes it, newline */
void json_obj(struct json *j, const char *key);	/* key NULL in arrays */
void json_obj_end(struct json *j);
void json_arr(struct json *j, const char *key);
void json_arr_end(struct json *j);
void json_str(struct json *j, const char *key, const char *val);
void json_u64(struct json *j, const char *key, uint64_t val);
void json_bool(struct json *j, const char *key, bool val);

void json_services(FILE *f, struct service **v, size_t n);
void json_conns_begin(struct json *j, FILE *f);
void json_conn(struct json *j, const struct conn *cn);
void json_conns_end(struct json *j);
void json_timeouts(FILE *f, uint32_t tcp, uint32_t tcpfin, uint32_t udp);
void json_info(FILE *f, const struct info *in);
void json_settings(FILE *f, const struct settings *s);

extern const char * const counter_names[VSD_CNT_A_MAX + 1];

#endif /* VSDCTL_JSON_H */
