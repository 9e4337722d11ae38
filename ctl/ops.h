/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vsdctl's requests: the model and settings to and from netlink messages,
 * over the one transport (nl.h).  Each returns 0 or a negative errno, with
 * the kernel's extack message in nl->ext_msg.
 */
#ifndef VSDCTL_OPS_H
#define VSDCTL_OPS_H

#include "nl.h"
#include "parse.h"

int ops_info(struct vsd_nl *nl, struct info *in);

/* Every service with its destinations, in one dump (retried if changed). */
int ops_dump(struct vsd_nl *nl, struct model *m);
/* One service into @m (a dump filtered by @key: empty if missing). */
int ops_get_service(struct vsd_nl *nl, const struct svc_key *key,
		    struct model *m);

/* VSD_CMD_NEW_SERVICE, _SET_SERVICE (all parameters) or _DEL_SERVICE. */
int ops_service(struct vsd_nl *nl, int cmd, const struct service *s);
/* VSD_CMD_NEW_DEST, _SET_DEST or _DEL_DEST of service @key. */
int ops_dest(struct vsd_nl *nl, int cmd, const struct svc_key *key,
	     const struct dest *d);
/* Counters of one service, or of all with @key NULL. */
int ops_zero(struct vsd_nl *nl, const struct svc_key *key);
int ops_flush(struct vsd_nl *nl);

/*
 * VSD_CMD_REPLACE with the live services of @m.  On a rejection, *@line is
 * the line (struct service/dest .line) of what the kernel blamed, or 0.
 */
int ops_replace(struct vsd_nl *nl, const struct model *m, int *line);

int ops_get_settings(struct vsd_nl *nl, struct settings *s);
int ops_set_settings(struct vsd_nl *nl, const struct settings *s);

/* Every connection (VSD_CMD_GET_CONN dump); free(*conns). */
int ops_conns(struct vsd_nl *nl, struct conn **conns, size_t *n);

#endif /* VSDCTL_OPS_H */
