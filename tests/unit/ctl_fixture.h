/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A model of services and destinations built by hand, for the tests of
 * vsdctl's printers (test_ctl_list.c, test_ctl_prom.c).
 */
#ifndef VSD_UNIT_CTL_FIXTURE_H
#define VSD_UNIT_CTL_FIXTURE_H

#include "../../ctl/model.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

static struct model m;

static inline void key(struct svc_key *k, int proto, const char *addr,
		       uint16_t port)
{
	memset(k, 0, sizeof(*k));
	k->protocol = (uint16_t)proto;
	k->port = port;
	k->af = strchr(addr, ':') ? AF_INET6 : AF_INET;
	inet_pton(k->af, addr, &k->addr);
}

static inline struct service *svc(int proto, const char *addr, uint16_t port,
				  const char *sched)
{
	struct service s;
	long i;

	memset(&s, 0, sizeof(s));
	key(&s.key, proto, addr, port);
	snprintf(s.sched, sizeof(s.sched), "%s", sched);
	s.netmask = full_netmask(s.key.af);
	i = model_add(&m, &s);
	return &m.svcs[i];
}

static inline struct service *fwm(uint32_t mark, uint16_t af,
				  const char *sched)
{
	struct service s;
	long i;

	memset(&s, 0, sizeof(s));
	s.key.fwmark = mark;
	s.key.af = af;
	snprintf(s.sched, sizeof(s.sched), "%s", sched);
	s.netmask = full_netmask(af);
	i = model_add(&m, &s);
	return &m.svcs[i];
}

static inline struct dest *dst(struct service *s, const char *addr,
			       uint16_t port, uint8_t fwd, uint32_t weight)
{
	struct dest d;

	memset(&d, 0, sizeof(d));
	d.af = strchr(addr, ':') ? AF_INET6 : AF_INET;
	inet_pton(d.af, addr, &d.addr);
	d.port = port;
	d.fwd = fwd;
	d.weight = weight;
	return svc_add_dest(s, &d);
}

#endif /* VSD_UNIT_CTL_FIXTURE_H */
