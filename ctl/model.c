// SPDX-License-Identifier: GPL-2.0
/*
 * The configuration as plain structs (see model.h).
 */

#include "model.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

void model_init(struct model *m)
{
	memset(m, 0, sizeof(*m));
}

void model_free(struct model *m)
{
	bool no_stats = m->no_stats;
	size_t i;

	for (i = 0; i < m->n; i++)
		free(m->svcs[i].dests);
	free(m->svcs);
	free(m->hash);
	model_init(m);
	m->no_stats = no_stats;
}

static size_t key_hash(const struct svc_key *k)
{
	uint64_t h = 1469598103934665603ull;
	const uint8_t *p = (const uint8_t *)k;
	size_t i;

	/* FNV-1a over the key; it has no padding (see struct svc_key) */
	for (i = 0; i < sizeof(*k); i++)
		h = (h ^ p[i]) * 1099511628211ull;
	return (size_t)(h ^ (h >> 29));
}

static bool key_equal(const struct svc_key *a, const struct svc_key *b)
{
	return !memcmp(a, b, sizeof(*a));
}

static size_t slot_of(const struct model *m, const struct svc_key *key)
{
	size_t i = key_hash(key) & (m->hsize - 1);

	while (m->hash[i] &&
	       !key_equal(&m->svcs[m->hash[i] - 1].key, key))
		i = (i + 1) & (m->hsize - 1);
	return i;
}

long model_find(const struct model *m, const struct svc_key *key)
{
	size_t i;

	if (!m->hsize)
		return -1;
	i = slot_of(m, key);
	return m->hash[i] ? (long)m->hash[i] - 1 : -1;
}

static int rehash(struct model *m, size_t size)
{
	size_t *old = m->hash, i;

	m->hash = calloc(size, sizeof(*m->hash));
	if (!m->hash) {
		m->hash = old;
		return -1;
	}
	m->hsize = size;
	for (i = 0; i < m->n; i++)
		if (!m->svcs[i].dead)
			m->hash[slot_of(m, &m->svcs[i].key)] = i + 1;
	free(old);
	return 0;
}

long model_add(struct model *m, const struct service *svc)
{
	struct service *s;

	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 16;

		s = realloc(m->svcs, cap * sizeof(*s));
		if (!s)
			return -1;
		m->svcs = s;
		m->cap = cap;
	}
	if ((m->n + 1) * 2 > m->hsize &&
	    rehash(m, m->hsize ? m->hsize * 2 : 64) < 0)
		return -1;
	s = &m->svcs[m->n];
	*s = *svc;
	s->dests = NULL;
	s->ndests = 0;
	s->dcap = 0;
	s->dead = false;
	m->hash[slot_of(m, &s->key)] = ++m->n;
	m->live++;
	return (long)m->n - 1;
}

void model_del(struct model *m, size_t idx)
{
	struct service *s = &m->svcs[idx];

	if (s->dead)
		return;
	s->dead = true;
	free(s->dests);
	s->dests = NULL;
	s->ndests = 0;
	s->dcap = 0;
	m->live--;
	/* open addressing: rebuild rather than leave tombstones */
	rehash(m, m->hsize);
}

void model_clear(struct model *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		free(m->svcs[i].dests);
	m->n = 0;
	m->live = 0;
	if (m->hash)
		memset(m->hash, 0, m->hsize * sizeof(*m->hash));
}

struct dest *svc_find_dest(struct service *svc, uint16_t af,
			   const union inet_addr *addr, uint16_t port)
{
	size_t i;

	for (i = 0; i < svc->ndests; i++) {
		struct dest *d = &svc->dests[i];

		if (d->af == af && d->port == port &&
		    addr_equal(&d->addr, addr))
			return d;
	}
	return NULL;
}

struct dest *svc_add_dest(struct service *svc, const struct dest *d)
{
	if (svc->ndests == svc->dcap) {
		size_t cap = svc->dcap ? svc->dcap * 2 : 4;
		struct dest *nd = realloc(svc->dests, cap * sizeof(*nd));

		if (!nd)
			return NULL;
		svc->dests = nd;
		svc->dcap = cap;
	}
	svc->dests[svc->ndests] = *d;
	return &svc->dests[svc->ndests++];
}

void svc_del_dest(struct service *svc, struct dest *d)
{
	size_t i = (size_t)(d - svc->dests);

	memmove(d, d + 1, (svc->ndests - i - 1) * sizeof(*d));
	svc->ndests--;
}

/* ipvsadm subtracts unsigned values and keeps the int: so do we. */
static int wrap_diff(uint32_t a, uint32_t b)
{
	return (int)(a - b);
}

static int addr_cmp(uint16_t af, const union inet_addr *a,
		    const union inet_addr *b)
{
	int r = 0, i;

	if (af == AF_INET6) {
		for (i = 0; !r && i < 4; i++)
			r = wrap_diff(ntohl(a->w[i]), ntohl(b->w[i]));
		return r;
	}
	return wrap_diff(ntohl(a->w[0]), ntohl(b->w[0]));
}

int svc_cmp(const void *pa, const void *pb)
{
	const struct service *a = *(const struct service * const *)pa;
	const struct service *b = *(const struct service * const *)pb;
	int r;

	r = wrap_diff(a->key.fwmark, b->key.fwmark);
	if (r)
		return r;
	r = (int)a->key.af - (int)b->key.af;
	if (r)
		return r;
	r = (int)a->key.protocol - (int)b->key.protocol;
	if (r)
		return r;
	r = addr_cmp(a->key.af, &a->key.addr, &b->key.addr);
	if (r)
		return r;
	return (int)a->key.port - (int)b->key.port;
}

int dest_cmp(const void *pa, const void *pb)
{
	const struct dest *a = pa, *b = pb;
	int r;

	r = addr_cmp(a->af, &a->addr, &b->addr);
	if (r)
		return r;
	return (int)a->port - (int)b->port;
}

struct service **model_list(struct model *m, bool nosort, size_t *n)
{
	struct service **v;
	size_t i, k = 0;

	v = malloc((m->live ? m->live : 1) * sizeof(*v));
	if (!v)
		return NULL;
	for (i = 0; i < m->n; i++) {
		if (m->svcs[i].dead)
			continue;
		v[k++] = &m->svcs[i];
		if (!nosort && m->svcs[i].ndests > 1)
			qsort(m->svcs[i].dests, m->svcs[i].ndests,
			      sizeof(struct dest), dest_cmp);
	}
	if (!nosort)
		qsort(v, k, sizeof(*v), svc_cmp);
	*n = k;
	return v;
}

/* Forwarding methods as the listings, the rules and the JSON name them. */
static const struct {
	const char *name, *sw, *key;
} fwds[] = {
	[VSD_FWD_ROUTE]	 = { "Route", "-g", "route" },
	[VSD_FWD_TUNNEL] = { "Tunnel", "-i", "tunnel" },
	[VSD_FWD_MASQ]	 = { "Masq", "-m", "masq" },
};

static unsigned int fwd_index(uint8_t fwd)
{
	return fwd <= VSD_FWD_MAX ? fwd : VSD_FWD_ROUTE;
}

const char *fwd_name(uint8_t fwd)
{
	return fwds[fwd_index(fwd)].name;
}

const char *fwd_switch(uint8_t fwd)
{
	return fwds[fwd_index(fwd)].sw;
}

const char *fwd_key(uint8_t fwd)
{
	return fwds[fwd_index(fwd)].key;
}

const char *family_key(uint16_t af)
{
	return af == AF_INET6 ? "inet6" : "inet";
}

const char *conn_state_name(uint8_t state)
{
	static const char * const names[] = {
		[VSD_TCP_S_NONE]	= "NONE",
		[VSD_TCP_S_ESTABLISHED]	= "ESTABLISHED",
		[VSD_TCP_S_SYN_SENT]	= "SYN_SENT",
		[VSD_TCP_S_SYN_RECV]	= "SYN_RECV",
		[VSD_TCP_S_FIN_WAIT]	= "FIN_WAIT",
		[VSD_TCP_S_TIME_WAIT]	= "TIME_WAIT",
		[VSD_TCP_S_CLOSE]	= "CLOSE",
		[VSD_TCP_S_CLOSE_WAIT]	= "CLOSE_WAIT",
		[VSD_TCP_S_LAST_ACK]	= "LAST_ACK",
		[VSD_TCP_S_LISTEN]	= "LISTEN",
		[VSD_TCP_S_SYNACK]	= "SYNACK",
		[VSD_CONN_S_UDP]	= "UDP",
	};

	if (state < ARRAY_SIZE(names) && names[state])
		return names[state];
	return "ERR!";
}
