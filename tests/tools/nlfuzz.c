// SPDX-License-Identifier: GPL-2.0
/*
 * nlfuzz: random and mutated messages of the "vsd" generic netlink family,
 * reproducible from a seed.
 *
 *   nlfuzz [-m priv|unpriv] [-n COUNT] [-s SEED] [-o SHADOW]
 *
 * priv: messages for every command (and random command numbers), built
 *   valid from small pools of addresses, ports, marks and schedulers so that
 *   they meet each other's services, then mutated: unknown attributes, wrong
 *   lengths, attributes outside their nest or nests without nesting, huge
 *   and unterminated strings, cut headers, random flags, bit flips.  Every
 *   message asks for an acknowledgement; each must get exactly one answer
 *   (a cut netlink header none: a GET_INFO after it must be answered).
 *   Prints per command how many were accepted and rejected, and the rate;
 *   with -o, writes the configuration the accepted requests describe (a
 *   shadow model) as JSON, in tests/lib/vsdnl.py's dump format.
 *   Exit status 1 when an answer is missing or the socket fails.
 *
 * unpriv: the same messages with intact headers, for commands 1 to 14:
 *   every one must be refused with EPERM (vsd's operations are all
 *   admin-only); exit status 1 otherwise.
 */

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/vsd.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BUF	(1 << 17)
#define NCMD	256

static uint64_t rs;

static uint64_t rnd(void)
{
	rs ^= rs >> 12;
	rs ^= rs << 25;
	rs ^= rs >> 27;
	return rs * 2685821657736338717ULL;
}

static unsigned int rn(unsigned int n)
{
	return n ? (unsigned int)(rnd() % n) : 0;
}

static bool chance(unsigned int percent)
{
	return rn(100) < percent;
}

static int fd;
static uint16_t family;
static uint32_t seq;
static uint8_t msg[BUF], rbuf[BUF];

/* The message being built: its length so far. */
static unsigned int len;

static struct {
	unsigned long ok, err, eperm;
	unsigned long errno_hist[140];
} per[NCMD];

static unsigned long sent, missing, hdr_cut;

static struct nlattr *put(uint16_t type, const void *data, unsigned int n)
{
	struct nlattr *a = (struct nlattr *)(msg + len);

	if (len + NLA_HDRLEN + NLA_ALIGN(n) > BUF - 64)
		return NULL;
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + n;
	memcpy(msg + len + NLA_HDRLEN, data, n);
	memset(msg + len + NLA_HDRLEN + n, 0, NLA_ALIGN(n) - n);
	len += NLA_HDRLEN + NLA_ALIGN(n);
	return a;
}

static void put_u8(uint16_t t, uint8_t v) { put(t, &v, 1); }
static void put_u16(uint16_t t, uint16_t v) { put(t, &v, 2); }
static void put_u32(uint16_t t, uint32_t v) { put(t, &v, 4); }

static void put_be16(uint16_t t, uint16_t v)
{
	v = htobe16(v);
	put(t, &v, 2);
}

static unsigned int nest_start(uint16_t type)
{
	unsigned int at = len;

	put(type | NLA_F_NESTED, NULL, 0);
	return at;
}

static void nest_end(unsigned int at)
{
	((struct nlattr *)(msg + at))->nla_len = len - at;
}

/* A value of the right type for an attribute, mostly, else any length. */
static void put_any(uint16_t t)
{
	uint8_t junk[64];
	unsigned int n = rn(9);

	switch (n) {
	case 0: put_u8(t, rnd()); break;
	case 1: put_u16(t, rnd()); break;
	case 2: put_u32(t, rnd()); break;
	default:
		n = rn(sizeof(junk));
		for (unsigned int i = 0; i < n; i++)
			junk[i] = rnd();
		put(t, junk, n);
	}
}

static const char * const scheds[] = {
	"rr", "wrr", "lc", "wlc", "sh", "mh", "dh", "sed", "nq", "", "rrr",
};

static void put_addr(uint16_t t, bool v6)
{
	uint8_t a[16] = { 0 };

	if (v6) {
		a[0] = 0x20; a[1] = 0x01; a[2] = 0x0d; a[3] = 0xb8;
		a[15] = 1 + rn(4);
		put(t, a, chance(95) ? 16 : rn(17));
	} else {
		a[0] = 10; a[3] = 1 + rn(4);
		put(t, a, chance(95) ? 4 : rn(17));
	}
}

/* The key of a service, and its parameters, mostly from small pools. */
static bool svc_key(bool params)
{
	bool v6 = chance(30);

	if (chance(97))
		put_u16(VSD_SVC_A_AF, chance(98) ? (v6 ? 10 : 2) : rnd());
	if (chance(20)) {
		put_u32(VSD_SVC_A_FWMARK, chance(95) ? 1 + rn(3) : rnd());
		if (chance(3))
			put_u16(VSD_SVC_A_PROTOCOL, 6);
	} else {
		if (chance(98))
			put_u16(VSD_SVC_A_PROTOCOL,
				chance(95) ? (chance(50) ? 6 : 17) : rnd());
		if (chance(98))
			put_addr(VSD_SVC_A_ADDR, v6);
		if (chance(98))
			put_be16(VSD_SVC_A_PORT, chance(95) ? 80 + rn(3) : rnd());
	}
	if (!params)
		return v6;
	if (chance(50)) {
		const char *s = scheds[rn(sizeof(scheds) / sizeof(*scheds))];

		put(VSD_SVC_A_SCHED_NAME, s, strlen(s) + (chance(95) ? 1 : 0));
	}
	if (chance(30))
		put_u32(VSD_SVC_A_FLAGS, chance(80) ? rn(16) : rnd());
	if (chance(30))
		put_u32(VSD_SVC_A_TIMEOUT, chance(80) ? rn(1000) : rnd());
	if (chance(30))
		put_u8(VSD_SVC_A_NETMASK, chance(80) ? rn(129) : rnd());
	return v6;
}

static void service(bool params)
{
	unsigned int at = nest_start(VSD_A_SERVICE);

	svc_key(params);
	nest_end(at);
}

static void dest(void)
{
	unsigned int at = nest_start(VSD_A_DEST);
	bool v6 = chance(30);

	if (chance(40))
		put_u16(VSD_DEST_A_AF, chance(95) ? (v6 ? 10 : 2) : rnd());
	if (chance(97)) {
		uint8_t a[16] = { 0 };

		if (v6) {
			a[0] = 0x20; a[1] = 0x01; a[2] = 0x0d; a[3] = 0xb8;
			a[14] = 1;
			a[15] = 1 + rn(4);
		} else {
			a[0] = 10; a[2] = 1; a[3] = 1 + rn(4);
		}
		put(VSD_DEST_A_ADDR, a, chance(95) ? (v6 ? 16 : 4) : rn(17));
	}
	if (chance(50))
		put_be16(VSD_DEST_A_PORT, chance(90) ? 80 + rn(2) : rnd());
	if (chance(50))
		put_u8(VSD_DEST_A_FWD, chance(90) ? rn(3) : rnd());
	if (chance(50))
		put_u32(VSD_DEST_A_WEIGHT, chance(80) ? rn(100) :
				   chance(50) ? 65535 + rn(2) : rnd());
	if (chance(20))
		put_u32(VSD_DEST_A_U_THRESH, chance(80) ? rn(100) : rnd());
	if (chance(20))
		put_u32(VSD_DEST_A_L_THRESH, chance(80) ? rn(100) : rnd());
	nest_end(at);
}

static void config(void)
{
	unsigned int at = nest_start(VSD_A_CONFIG);

	if (chance(30))
		put_u32(VSD_CFG_A_TIMEOUT_TCP, chance(80) ? 1 + rn(1000) : rnd());
	if (chance(30))
		put_u32(VSD_CFG_A_TIMEOUT_TCP_FIN, chance(80) ? rn(1000) : rnd());
	if (chance(30))
		put_u32(VSD_CFG_A_TIMEOUT_UDP, chance(80) ? rn(1000) : rnd());
	if (chance(20))
		put_u8(VSD_CFG_A_HOOK, rn(3));
	if (chance(20))
		put_u8(VSD_CFG_A_CONNTRACK, rn(3));
	if (chance(20))
		put_u32(VSD_CFG_A_CONN_MAX, chance(80) ? 1000 + rn(100000) : rnd());
	if (chance(20))
		put_u8(VSD_CFG_A_EXPIRE_NODEST_CONN, rn(3));
	nest_end(at);
}

/* The attributes of a valid-looking request for @cmd. */
static void body(uint8_t cmd)
{
	unsigned int i, n;

	switch (cmd) {
	case VSD_CMD_NEW_SERVICE:
	case VSD_CMD_SET_SERVICE:
		service(true);
		break;
	case VSD_CMD_DEL_SERVICE:
	case VSD_CMD_GET_SERVICE:
	case VSD_CMD_GET_CONN:
		if (cmd == VSD_CMD_DEL_SERVICE || chance(50))
			service(false);
		break;
	case VSD_CMD_NEW_DEST:
	case VSD_CMD_SET_DEST:
	case VSD_CMD_DEL_DEST:
		service(false);
		dest();
		break;
	case VSD_CMD_SET_CONFIG:
		config();
		break;
	case VSD_CMD_ZERO:
		if (chance(50))
			service(false);
		break;
	case VSD_CMD_REPLACE:
		n = rn(6);
		for (i = 0; i < n; i++) {
			if (chance(10))
				dest();
			service(true);
			for (unsigned int j = rn(4); j; j--)
				dest();
		}
		break;
	default:
		break;
	}
}

/* One mutation of the attributes from @start on. */
static void mutate(unsigned int start)
{
	unsigned int i, n, at;
	uint8_t big[4096];

	switch (rn(9)) {
	case 0:	/* unknown attributes, anywhere */
		put_any(rn(2) ? 6 + rn(100) : rnd() & 0x7fff);
		break;
	case 1: /* a nested attribute at the top level, or the reverse */
		put_any(1 + rn(14));
		break;
	case 2: /* a nest of nonsense */
		at = nest_start(1 + rn(5));
		n = rn(4);
		for (i = 0; i < n; i++)
			put_any(rn(20));
		if (chance(50))
			put_any(rnd());
		nest_end(at);
		break;
	case 3: /* a nest without NLA_F_NESTED, or a flag on a scalar */
		if (len > start)
			((struct nlattr *)(msg + start))->nla_type ^=
				NLA_F_NESTED;
		break;
	case 4: /* huge strings */
		n = chance(50) ? 16 + rn(64) : rn(sizeof(big));
		memset(big, 'a' + rn(26), n);
		at = nest_start(VSD_A_SERVICE);
		svc_key(false);
		put(VSD_SVC_A_SCHED_NAME, big, n);
		nest_end(at);
		break;
	case 5: /* an attribute length past the end, or short of a header */
		if (len > start + 4) {
			struct nlattr *a = (struct nlattr *)(msg + start);

			a->nla_len = chance(50) ? rn(4) : a->nla_len + 1 + rn(64);
		}
		break;
	case 6: /* the last attributes cut */
		if (len > start)
			len = start + rn(len - start);
		break;
	default: /* bit flips */
		n = 1 + rn(4);
		for (i = 0; i < n && len > start; i++)
			msg[start + rn(len - start)] ^= 1 << rn(8);
		break;
	}
}

/* 0, or the error of a message the socket refused (too short). */
static int send_msg(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	while (sendto(fd, msg, len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		if (errno == EINTR)
			continue;
		if (errno == ENODATA || errno == EINVAL)
			return -errno;
		perror("sendto");
		exit(1);
	}
	return 0;
}

/*
 * The answer to @want: its error (0 for an ack or the end of a dump), or
 * 1 when none came (timeout).
 */
static int answer(uint32_t want)
{
	for (;;) {
		ssize_t n = recv(fd, rbuf, sizeof(rbuf), 0);
		struct nlmsghdr *h;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return 1;
			if (errno == ENOBUFS)	/* dump parts lost: fine */
				continue;
			perror("recv");
			exit(1);
		}
		for (h = (struct nlmsghdr *)rbuf; NLMSG_OK(h, (size_t)n);
		     h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_seq != want)
				continue;
			if (h->nlmsg_type == NLMSG_ERROR)
				return ((struct nlmsgerr *)NLMSG_DATA(h))->error;
			if (h->nlmsg_type == NLMSG_DONE)
				return 0;
		}
	}
}

/* Header and attributes of one request; its sequence number. */
static uint32_t build(uint8_t cmd, uint16_t flags, bool mutated)
{
	struct nlmsghdr *h = (struct nlmsghdr *)msg;
	struct genlmsghdr *g = NLMSG_DATA(h);
	unsigned int start;

	memset(h, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	h->nlmsg_type = family;
	h->nlmsg_flags = flags;
	h->nlmsg_seq = ++seq;
	g->cmd = cmd;
	g->version = VSD_GENL_VERSION;
	len = NLMSG_HDRLEN + GENL_HDRLEN;
	start = len;
	body(cmd);
	if (mutated)
		for (unsigned int i = 1 + rn(2); i; i--)
			mutate(start);
	h->nlmsg_len = len;
	return h->nlmsg_seq;
}

static void resolve(void)
{
	struct nlmsghdr *h = (struct nlmsghdr *)msg;
	struct genlmsghdr *g = NLMSG_DATA(h);
	struct nlattr *a;
	ssize_t n;

	memset(msg, 0, 64);
	h->nlmsg_type = GENL_ID_CTRL;
	h->nlmsg_flags = NLM_F_REQUEST;
	h->nlmsg_seq = ++seq;
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	len = NLMSG_HDRLEN + GENL_HDRLEN;
	put(CTRL_ATTR_FAMILY_NAME, VSD_GENL_NAME, sizeof(VSD_GENL_NAME));
	h->nlmsg_len = len;
	send_msg();
	n = recv(fd, rbuf, sizeof(rbuf), 0);
	h = (struct nlmsghdr *)rbuf;
	if (n < 0 || !NLMSG_OK(h, (size_t)n) || h->nlmsg_type != GENL_ID_CTRL) {
		fprintf(stderr, "nlfuzz: no vsd family\n");
		exit(1);
	}
	for (a = (struct nlattr *)((uint8_t *)NLMSG_DATA(h) + GENL_HDRLEN);
	     (uint8_t *)a + NLA_HDRLEN <= rbuf + n && a->nla_len >= NLA_HDRLEN;
	     a = (struct nlattr *)((uint8_t *)a + NLA_ALIGN(a->nla_len)))
		if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_FAMILY_ID)
			family = *(uint16_t *)((uint8_t *)a + NLA_HDRLEN);
	if (!family) {
		fprintf(stderr, "nlfuzz: no family id\n");
		exit(1);
	}
}

/*
 * The shadow model: the services and destinations that the requests the
 * kernel accepted describe, applied as the UAPI header says each command
 * applies (IPVS's defaults; the last of repeated attributes counts, as in
 * nla_parse()).  Written as JSON in vsdnl.py's dump format (-o FILE), for
 * the scenario to compare with what the kernel dumps.
 */
struct sdest {
	uint16_t af, port;
	uint8_t addr[16];
	uint8_t fwd;
	uint32_t weight, u, l;
};

struct ssvc {
	uint16_t af, protocol, port;
	uint32_t fwmark;
	uint8_t addr[16];
	char sched[VSD_SCHED_NAME_MAX];
	uint32_t flags, timeout;
	uint8_t netmask;
	unsigned int ndests;
	struct sdest *dests;
};

static struct ssvc *svcs;
static unsigned int nsvcs;
static unsigned long shadow_lost;

#define TBMAX 32

static void tb_parse(const struct nlattr **tb, const void *data, int rem)
{
	const struct nlattr *a = data;

	memset(tb, 0, TBMAX * sizeof(*tb));
	while (rem >= (int)NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
	       a->nla_len <= rem) {
		unsigned int t = a->nla_type & NLA_TYPE_MASK;

		if (t < TBMAX)
			tb[t] = a;
		rem -= NLA_ALIGN(a->nla_len);
		a = (const void *)((const uint8_t *)a + NLA_ALIGN(a->nla_len));
	}
}

static const void *nd(const struct nlattr *a)
{
	return (const uint8_t *)a + NLA_HDRLEN;
}

static int nl(const struct nlattr *a)
{
	return a->nla_len - NLA_HDRLEN;
}

static uint8_t g8(const struct nlattr *a) { return *(const uint8_t *)nd(a); }
static uint16_t g16(const struct nlattr *a) { uint16_t v; memcpy(&v, nd(a), 2); return v; }
static uint32_t g32(const struct nlattr *a) { uint32_t v; memcpy(&v, nd(a), 4); return v; }
static uint16_t gbe16(const struct nlattr *a) { return be16toh(g16(a)); }

static unsigned int alen(uint16_t af)
{
	return af == AF_INET6 ? 16 : 4;
}

/* The key of the service in nest @n, in @k (parameters not touched). */
static void s_key(const struct nlattr *n, struct ssvc *k)
{
	const struct nlattr *tb[TBMAX];

	memset(k, 0, sizeof(*k));
	tb_parse(tb, nd(n), nl(n));
	k->af = g16(tb[VSD_SVC_A_AF]);
	if (tb[VSD_SVC_A_FWMARK]) {
		k->fwmark = g32(tb[VSD_SVC_A_FWMARK]);
		return;
	}
	k->protocol = g16(tb[VSD_SVC_A_PROTOCOL]);
	memcpy(k->addr, nd(tb[VSD_SVC_A_ADDR]), alen(k->af));
	k->port = gbe16(tb[VSD_SVC_A_PORT]);
}

static bool s_same(const struct ssvc *a, const struct ssvc *b)
{
	return a->af == b->af && a->fwmark == b->fwmark &&
	       a->protocol == b->protocol && a->port == b->port &&
	       !memcmp(a->addr, b->addr, 16);
}

static struct ssvc *s_find(const struct nlattr *n)
{
	struct ssvc k;
	unsigned int i;

	s_key(n, &k);
	for (i = 0; i < nsvcs; i++)
		if (s_same(&svcs[i], &k))
			return &svcs[i];
	return NULL;
}

/* Parameters of nest @n onto @s: all of them (@set false) or those given. */
static void s_params(const struct nlattr *n, struct ssvc *s, bool set)
{
	const struct nlattr *tb[TBMAX];

	tb_parse(tb, nd(n), nl(n));
	if (!set) {
		strcpy(s->sched, "wlc");
		s->flags = 0;
		s->timeout = 0;
		s->netmask = s->af == AF_INET6 ? 128 : 32;
	}
	if (tb[VSD_SVC_A_SCHED_NAME])
		snprintf(s->sched, sizeof(s->sched), "%.*s",
			 nl(tb[VSD_SVC_A_SCHED_NAME]),
			 (const char *)nd(tb[VSD_SVC_A_SCHED_NAME]));
	if (tb[VSD_SVC_A_FLAGS])
		s->flags = g32(tb[VSD_SVC_A_FLAGS]);
	if (tb[VSD_SVC_A_TIMEOUT])
		s->timeout = g32(tb[VSD_SVC_A_TIMEOUT]);
	if (tb[VSD_SVC_A_NETMASK])
		s->netmask = g8(tb[VSD_SVC_A_NETMASK]);
}

static struct ssvc *s_add(const struct nlattr *n)
{
	struct ssvc *s;

	svcs = realloc(svcs, (nsvcs + 1) * sizeof(*svcs));
	if (!svcs)
		exit(1);
	s = &svcs[nsvcs++];
	s_key(n, s);
	s_params(n, s, false);
	return s;
}

static void s_free_all(void)
{
	while (nsvcs)
		free(svcs[--nsvcs].dests);
}

/* The destination key of nest @n for @s: into @d. */
static const struct nlattr **d_key(const struct nlattr *n,
				   const struct ssvc *s, struct sdest *d,
				   const struct nlattr **tb)
{
	tb_parse(tb, nd(n), nl(n));
	memset(d, 0, sizeof(*d));
	d->af = tb[VSD_DEST_A_AF] ? g16(tb[VSD_DEST_A_AF]) : s->af;
	memcpy(d->addr, nd(tb[VSD_DEST_A_ADDR]), alen(d->af));
	d->port = tb[VSD_DEST_A_PORT] ? gbe16(tb[VSD_DEST_A_PORT]) : s->port;
	return tb;
}

static void d_params(const struct nlattr **tb, struct sdest *d, bool set)
{
	if (!set) {
		d->fwd = VSD_FWD_ROUTE;
		d->weight = 1;
		d->u = d->l = 0;
	}
	if (tb[VSD_DEST_A_FWD])
		d->fwd = g8(tb[VSD_DEST_A_FWD]);
	if (tb[VSD_DEST_A_WEIGHT])
		d->weight = g32(tb[VSD_DEST_A_WEIGHT]);
	if (tb[VSD_DEST_A_U_THRESH])
		d->u = g32(tb[VSD_DEST_A_U_THRESH]);
	if (tb[VSD_DEST_A_L_THRESH])
		d->l = g32(tb[VSD_DEST_A_L_THRESH]);
}

static struct sdest *d_find(struct ssvc *s, const struct sdest *k)
{
	unsigned int i;

	for (i = 0; i < s->ndests; i++) {
		struct sdest *d = &s->dests[i];

		if (d->af == k->af && d->port == k->port &&
		    !memcmp(d->addr, k->addr, 16))
			return d;
	}
	return NULL;
}

static void d_add(struct ssvc *s, const struct nlattr *n)
{
	const struct nlattr *tb[TBMAX];
	struct sdest d;

	d_key(n, s, &d, tb);
	d_params(tb, &d, false);
	s->dests = realloc(s->dests, (s->ndests + 1) * sizeof(d));
	if (!s->dests)
		exit(1);
	s->dests[s->ndests++] = d;
}

/* What an accepted request (msg, len) did. */
static void shadow_apply(void)
{
	const struct nlmsghdr *h = (const void *)msg;
	const struct genlmsghdr *g = NLMSG_DATA(h);
	const uint8_t *attrs = (const uint8_t *)g + GENL_HDRLEN;
	int rem = h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	const struct nlattr *tb[TBMAX], *dtb[TBMAX];
	const struct nlattr *a;
	struct ssvc *s = NULL;
	struct sdest k, *d;

	if ((h->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP)
		return;
	tb_parse(tb, attrs, rem);
	switch (g->cmd) {
	case VSD_CMD_SET_SERVICE:
	case VSD_CMD_DEL_SERVICE:
	case VSD_CMD_GET_SERVICE:
	case VSD_CMD_NEW_DEST:
	case VSD_CMD_SET_DEST:
	case VSD_CMD_DEL_DEST:
	case VSD_CMD_ZERO:
		if (!tb[VSD_A_SERVICE])
			break;
		s = s_find(tb[VSD_A_SERVICE]);
		if (!s) {
			shadow_lost++;	/* accepted, unknown to the model */
			return;
		}
		break;
	default:
		break;
	}
	switch (g->cmd) {
	case VSD_CMD_NEW_SERVICE:
		s_add(tb[VSD_A_SERVICE]);
		break;
	case VSD_CMD_SET_SERVICE:
		s_params(tb[VSD_A_SERVICE], s, true);
		break;
	case VSD_CMD_DEL_SERVICE:
		free(s->dests);
		*s = svcs[--nsvcs];
		break;
	case VSD_CMD_NEW_DEST:
		d_add(s, tb[VSD_A_DEST]);
		break;
	case VSD_CMD_SET_DEST:
	case VSD_CMD_DEL_DEST:
		d_key(tb[VSD_A_DEST], s, &k, dtb);
		d = d_find(s, &k);
		if (!d)
			shadow_lost++;
		else if (g->cmd == VSD_CMD_SET_DEST)
			d_params(dtb, d, true);
		else
			*d = s->dests[--s->ndests];
		break;
	case VSD_CMD_FLUSH:
		s_free_all();
		break;
	case VSD_CMD_REPLACE:
		s_free_all();
		a = (const void *)attrs;
		while (rem >= (int)NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
		       a->nla_len <= rem) {
			if ((a->nla_type & NLA_TYPE_MASK) == VSD_A_SERVICE)
				s = s_add(a);
			else if ((a->nla_type & NLA_TYPE_MASK) == VSD_A_DEST &&
				 s)
				d_add(s, a);
			rem -= NLA_ALIGN(a->nla_len);
			a = (const void *)((const uint8_t *)a +
					   NLA_ALIGN(a->nla_len));
		}
		break;
	default:
		break;
	}
}

static void shadow_write(const char *path)
{
	static const char * const fwds[] = { "route", "tunnel", "masq" };
	FILE *f = fopen(path, "w");
	char ab[INET6_ADDRSTRLEN];
	unsigned int i, j;

	if (!f) {
		perror(path);
		exit(1);
	}
	fprintf(f, "[");
	for (i = 0; i < nsvcs; i++) {
		const struct ssvc *s = &svcs[i];

		fprintf(f, "%s\n{\"af\": %d, ", i ? "," : "",
			s->af == AF_INET6 ? 6 : 4);
		if (s->fwmark) {
			fprintf(f, "\"fwmark\": %u, ", s->fwmark);
		} else {
			inet_ntop(s->af, s->addr, ab, sizeof(ab));
			fprintf(f, "\"protocol\": \"%s\", \"addr\": \"%s\", \"port\": %u, ",
				s->protocol == 6 ? "tcp" : "udp", ab, s->port);
		}
		fprintf(f, "\"sched\": \"%s\", \"flags\": %u, \"timeout\": %u, \"netmask\": %u, \"dests\": [",
			s->sched, s->flags, s->timeout, s->netmask);
		for (j = 0; j < s->ndests; j++) {
			const struct sdest *d = &s->dests[j];

			inet_ntop(d->af, d->addr, ab, sizeof(ab));
			fprintf(f, "%s{\"af\": %d, \"addr\": \"%s\", \"port\": %u, \"fwd\": \"%s\", \"weight\": %u, \"u_thresh\": %u, \"l_thresh\": %u}",
				j ? ", " : "", d->af == AF_INET6 ? 6 : 4, ab,
				d->port, d->fwd < 3 ? fwds[d->fwd] : "?",
				d->weight, d->u, d->l);
		}
		fprintf(f, "]}");
	}
	fprintf(f, "\n]\n");
	fclose(f);
}

static void record(uint8_t cmd, int err)
{
	if (!err) {
		per[cmd].ok++;
		return;
	}
	per[cmd].err++;
	if (err == -EPERM)
		per[cmd].eperm++;
	if (-err > 0 && -err < 140)
		per[cmd].errno_hist[-err]++;
}

/* A request whose netlink or genetlink header is cut or lies. */
static void bad_header(void)
{
	struct nlmsghdr *h = (struct nlmsghdr *)msg;
	int err;

	build(rn(NCMD), NLM_F_REQUEST | NLM_F_ACK, false);
	switch (rn(4)) {
	case 0: /* the genetlink header cut */
		len = NLMSG_HDRLEN + rn(GENL_HDRLEN);
		h->nlmsg_len = len;
		break;
	case 1: /* a length past what is sent */
		h->nlmsg_len = len + 1 + rn(1000);
		break;
	case 2: /* shorter than a netlink header */
		h->nlmsg_len = rn(NLMSG_HDRLEN);
		break;
	default: /* fewer bytes sent than a header */
		len = rn(NLMSG_HDRLEN);
		break;
	}
	send_msg();
	sent++;
	hdr_cut++;
	/* What follows must be answered, whatever became of that. */
	build(VSD_CMD_GET_INFO, NLM_F_REQUEST | NLM_F_ACK, false);
	send_msg();
	err = answer(seq);
	if (err) {
		fprintf(stderr, "nlfuzz: GET_INFO after a cut header: %d\n", err);
		missing++;
	}
}

int main(int argc, char **argv)
{
	unsigned long count = 100000, seed = 1, i;
	struct timeval tv = { .tv_sec = 10 };
	const char *mode = "priv", *shadow = NULL;
	struct timespec t0, t1;
	int opt, rcvbuf = 4 << 20, one = 1;
	double secs;
	bool unpriv;

	while ((opt = getopt(argc, argv, "m:n:s:o:")) != -1) {
		switch (opt) {
		case 'm': mode = optarg; break;
		case 'o': shadow = optarg; break;
		case 'n': count = strtoul(optarg, NULL, 0); break;
		case 's': seed = strtoul(optarg, NULL, 0); break;
		default:
			fprintf(stderr, "usage: nlfuzz [-m priv|unpriv] [-n COUNT] [-s SEED] [-o SHADOW]\n");
			return 2;
		}
	}
	unpriv = !strcmp(mode, "unpriv");
	rs = seed * 0x9e3779b97f4a7c15ULL + 0x2545f4914f6cdd1dULL;
	rnd();

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0) {
		perror("socket");
		return 1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	resolve();

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; sent < count; i++) {
		uint16_t flags = NLM_F_REQUEST | NLM_F_ACK;
		bool mutated = chance(unpriv ? 50 : 60);
		uint8_t cmd;
		uint32_t s;
		int err;

		if (!unpriv && chance(2)) {
			bad_header();
			continue;
		}
		cmd = 1 + rn(VSD_CMD_MAX);
		if (!unpriv && chance(5))
			cmd = rnd();
		/* Dumps where there are, sometimes where there are none. */
		if ((cmd == VSD_CMD_GET_SERVICE && chance(50)) ||
		    cmd == VSD_CMD_GET_CONN || (!unpriv && chance(2)))
			flags |= NLM_F_DUMP;
		if (!unpriv && chance(3))
			flags |= rnd() & 0xfe0;		/* other flags */
		/* FLUSH and REPLACE wipe everything: not too often. */
		if (!unpriv && (cmd == VSD_CMD_FLUSH ||
				(cmd == VSD_CMD_REPLACE && !mutated)) &&
		    chance(80))
			cmd = VSD_CMD_NEW_SERVICE;
		/* The last tenth builds up: a configuration worth checking. */
		if (!unpriv && sent >= count - count / 10 &&
		    (cmd == VSD_CMD_FLUSH || cmd == VSD_CMD_REPLACE ||
		     cmd == VSD_CMD_DEL_SERVICE || cmd == VSD_CMD_DEL_DEST))
			cmd = chance(30) ? VSD_CMD_NEW_SERVICE : VSD_CMD_NEW_DEST;
		s = build(cmd, flags, mutated);
		if (!unpriv && mutated && chance(10))
			((struct genlmsghdr *)NLMSG_DATA(msg))->version = rnd();
		err = send_msg();
		sent++;
		if (!err)
			err = answer(s);
		if (err == 1) {
			fprintf(stderr, "nlfuzz: no answer to message %lu (command %u)\n",
				sent, cmd);
			missing++;
			continue;
		}
		record(cmd, err);
		if (!err && !unpriv)
			shadow_apply();
		if (unpriv && err != -EPERM && per[cmd].err + per[cmd].ok < 5)
			fprintf(stderr, "nlfuzz: command %u: %s, not EPERM\n",
				cmd, err ? strerror(-err) : "accepted");
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = t1.tv_sec - t0.tv_sec + (t1.tv_nsec - t0.tv_nsec) / 1e9;

	unsigned long ok = 0, err = 0, eperm = 0, other = 0;

	for (i = 0; i < NCMD; i++) {
		if (i > VSD_CMD_MAX)
			other += per[i].ok + per[i].err;
		unsigned int e;

		ok += per[i].ok;
		err += per[i].err;
		eperm += per[i].eperm;
		if (i > VSD_CMD_MAX || !(per[i].ok + per[i].err))
			continue;
		printf("cmd%lu: accepted %lu, refused %lu:", i, per[i].ok,
		       per[i].err);
		for (e = 1; e < 140; e++)
			if (per[i].errno_hist[e])
				printf(" E%u=%lu", e, per[i].errno_hist[e]);
		printf("\n");
	}
	printf("unknown commands: %lu\n", other);
	if (shadow)
		shadow_write(shadow);
	printf("sent=%lu\naccepted=%lu\nrefused=%lu\neperm=%lu\nheaders_cut=%lu\n"
	       "unanswered=%lu\nshadow_lost=%lu\nseconds=%.1f\nrate=%.0f\n",
	       sent, ok, err, eperm, hdr_cut, missing, shadow_lost, secs,
	       sent / (secs > 0 ? secs : 1));
	if (missing)
		return 1;
	if (unpriv && eperm != sent)
		return 1;
	return 0;
}
