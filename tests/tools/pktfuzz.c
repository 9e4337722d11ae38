// SPDX-License-Identifier: GPL-2.0
/*
 * pktfuzz: random and mutated IPv4 and IPv6 packets at a director's VIPs,
 * sent as raw Ethernet frames (AF_PACKET) on one interface, so that they
 * reach the director exactly as crafted: no local stack in between to
 * check or fix them.  Reproducible: the same seed sends the same frames.
 *
 *   pktfuzz -i IF -M DSTMAC -4 VIP4 -6 VIP6 -t TCPPORTS -u UDPPORTS
 *           -d SELF4 -D SELF6 -r TUN4 -R TUN6 [-s SEED] [-n COUNT]
 *           [-k random|malformed|noconn]
 *
 * Kinds:
 *   malformed  only packets that pass the director's IP layer but whose
 *              transport or ICMP headers are cut or inconsistent (vsd must
 *              drop and count each one as malformed);
 *   noconn     only TCP segments without SYN to the VIPs' TCP ports from
 *              tuples that never opened a connection (each one counted
 *              as "no connection");
 *   random     everything: connections opened from a pool of clients,
 *              segments and datagrams with random flags, options, lengths
 *              and checksums, truncated headers, IPv4 options, overlapping
 *              and tiny fragments (IPv4 and IPv6), ICMP errors quoting
 *              live connections (right or wrong checksum, cut quotes) and
 *              nonsense, errors about tunnelled packets (to SELF about
 *              SELF -> TUN), IPv6 extension-header chains, and random bit
 *              flips, truncations and length fields on top.
 *
 * On exit it prints "key=value" lines: packets sent, and how many of the
 * unmutated ones vsd must count as malformed and as "no connection" (lower
 * bounds for the random kind).
 */

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAXPKT	1600
#define ETH	14
#define NPORTS	8
#define LIVE	4096

/* The pool of fuzzing clients: 198.18.0.0/28 and 2001:db8:f::/124. */
#define POOL_ADDRS	16
#define POOL_PORTS	32

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

static void rfill(uint8_t *p, size_t n)
{
	while (n--)
		*p++ = rnd();
}

struct target {
	struct in_addr vip4, self4, tun4;
	struct in6_addr vip6, self6, tun6;
	uint16_t tcp[NPORTS], udp[NPORTS];
	unsigned int ntcp, nudp;
};

static struct target tg;

/* A connection the fuzzer opened: client (pool index, port), VIP port. */
struct live {
	uint8_t v6, proto, addr;
	uint16_t cport, vport;
};

static struct live live[LIVE];
static unsigned int nlive;

static struct {
	unsigned long sent, malformed, noconn, syn, frags, icmp, mutated;
} st;

static void pool4(unsigned int i, uint8_t *a)
{
	a[0] = 198; a[1] = 18; a[2] = 0; a[3] = i;
}

static void pool6(unsigned int i, uint8_t *a)
{
	static const uint8_t base[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0x0f };

	memcpy(a, base, 16);
	a[15] = i;
}

/* Sources that never open anything: 198.19.x.y, 2001:db8:e::/64. */
static void fresh4(uint8_t *a)
{
	a[0] = 198; a[1] = 19; a[2] = rnd(); a[3] = rnd();
}

static void fresh6(uint8_t *a)
{
	static const uint8_t base[8] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0x0e };

	memcpy(a, base, 8);
	rfill(a + 8, 8);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static uint16_t get16(const uint8_t *p)
{
	return p[0] << 8 | p[1];
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

static uint32_t sum16(const uint8_t *p, size_t n, uint32_t s)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		s += get16(p + i);
	if (n & 1)
		s += p[n - 1] << 8;
	return s;
}

static uint16_t fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return ~s;
}

/* Internet checksum of L4 data with the pseudo-header of the IP header. */
static uint16_t l4sum(bool v6, const uint8_t *src, const uint8_t *dst,
		      uint8_t proto, const uint8_t *l4, size_t len)
{
	uint32_t s = 0;

	if (v6) {
		s = sum16(src, 16, s);
		s = sum16(dst, 16, s);
		s += len >> 16;
		s += len & 0xffff;
	} else {
		s = sum16(src, 4, s);
		s = sum16(dst, 4, s);
		if (proto == IPPROTO_ICMP)
			s = 0;
		else
			s += len;
	}
	if (proto != IPPROTO_ICMP)
		s += proto;
	return fold(sum16(l4, len, s));
}

/* An IPv4 header at p: ihl words of it (options filled by the caller). */
static void ip4(uint8_t *p, unsigned int ihl, unsigned int totlen,
		uint8_t proto, const uint8_t *src, const uint8_t *dst)
{
	p[0] = 0x40 | ihl;
	p[1] = 0;
	put16(p + 2, totlen);
	put16(p + 4, rnd());
	put16(p + 6, 0);
	p[8] = 64;
	p[9] = proto;
	put16(p + 10, 0);
	memcpy(p + 12, src, 4);
	memcpy(p + 16, dst, 4);
}

static void ip4_csum(uint8_t *p)
{
	put16(p + 10, 0);
	put16(p + 10, fold(sum16(p, (p[0] & 15) * 4, 0)));
}

static void ip6(uint8_t *p, unsigned int plen, uint8_t nexthdr,
		const uint8_t *src, const uint8_t *dst)
{
	put32(p, 0x60000000 | rn(1 << 20));
	put16(p + 4, plen);
	p[6] = nexthdr;
	p[7] = 64;
	memcpy(p + 8, src, 16);
	memcpy(p + 24, dst, 16);
}

/* A TCP header (doff words, random options) and payload at p. */
static unsigned int tcp(uint8_t *p, uint16_t sport, uint16_t dport,
			uint8_t flags, unsigned int doff, unsigned int plen)
{
	unsigned int i;

	put16(p, sport);
	put16(p + 2, dport);
	put32(p + 4, rnd());
	put32(p + 8, rnd());
	p[12] = doff << 4;
	p[13] = flags;
	put16(p + 14, 65535);
	put16(p + 16, 0);
	put16(p + 18, 0);
	for (i = 20; i < doff * 4; i++)
		p[i] = chance(70) ? 1 : rnd();	/* NOPs, or anything */
	if (doff >= 6 && chance(50)) {
		p[20] = 2;			/* MSS */
		p[21] = 4;
		put16(p + 22, 536 + rn(1000));
	}
	rfill(p + doff * 4, plen);
	return doff * 4 + plen;
}

static unsigned int udp(uint8_t *p, uint16_t sport, uint16_t dport,
			unsigned int plen)
{
	put16(p, sport);
	put16(p + 2, dport);
	put16(p + 4, 8 + plen);
	put16(p + 6, 0);
	rfill(p + 8, plen);
	return 8 + plen;
}

static void set_l4sum(bool v6, const uint8_t *src, const uint8_t *dst,
		      uint8_t proto, uint8_t *l4, size_t len, bool bad)
{
	unsigned int off = proto == IPPROTO_TCP ? 16 :
			   proto == IPPROTO_UDP ? 6 : 2;
	uint16_t s;

	if (len < off + 2)
		return;
	put16(l4 + off, 0);
	if (proto == IPPROTO_UDP && !v6 && chance(10))
		return;				/* no checksum */
	s = l4sum(v6, src, dst, proto, l4, len);
	if (proto == IPPROTO_UDP && !s)
		s = 0xffff;
	if (bad)
		s ^= 1 + rn(0xfffe);
	put16(l4 + off, s);
}

static int sock_fd;
static struct sockaddr_ll sll;
static uint8_t frame[MAXPKT + 64];
static uint8_t dstmac[6];

static void send_frame(unsigned int len)
{
	memcpy(frame, dstmac, 6);
	frame[6] = 0x02;
	frame[7] = 0x66;
	frame[8] = 0x75;
	frame[9] = 0x7a;
	frame[10] = 0x7a;
	frame[11] = 0x01;
	if (len < ETH)
		len = ETH;
	for (;;) {
		if (sendto(sock_fd, frame, len, 0, (struct sockaddr *)&sll,
			   sizeof(sll)) >= 0)
			break;
		if (errno == ENOBUFS || errno == EAGAIN) {
			usleep(1000);
			continue;
		}
		/* Too short or too long for the device: not sent. */
		if (errno == EINVAL || errno == EMSGSIZE)
			return;
		perror("sendto");
		exit(1);
	}
	st.sent++;
}

/* Where the packet under construction starts, past the Ethernet header. */
#define P (frame + ETH)

static void ethertype(bool v6)
{
	put16(frame + 12, v6 ? ETH_P_IPV6 : ETH_P_IP);
}

static uint16_t vport(uint8_t proto)
{
	if (proto == IPPROTO_TCP)
		return tg.tcp[rn(tg.ntcp)];
	return tg.udp[rn(tg.nudp)];
}

static const uint8_t *vip(bool v6)
{
	return v6 ? (const uint8_t *)&tg.vip6 : (const uint8_t *)&tg.vip4;
}

/*
 * A whole TCP or UDP packet to a VIP, at P: its length.  @src: the
 * source address (4 or 16 bytes).  @l4len: out, the transport part's.
 */
static unsigned int l4pkt(bool v6, uint8_t proto, const uint8_t *src,
			  uint16_t sport, uint16_t dport, uint8_t flags,
			  unsigned int plen, bool badsum)
{
	unsigned int hl = v6 ? 40 : 20, n;
	uint8_t *l4 = P + hl;

	if (proto == IPPROTO_TCP)
		n = tcp(l4, sport, dport, flags, 5 + rn(3) * (flags & 2 ? 1 : 0),
			plen);
	else
		n = udp(l4, sport, dport, plen);
	if (v6)
		ip6(P, n, proto, src, vip(v6));
	else
		ip4(P, 5, hl + n, proto, src, vip(v6));
	set_l4sum(v6, src, vip(v6), proto, l4, n, badsum);
	if (!v6)
		ip4_csum(P);
	ethertype(v6);
	return hl + n;
}

/* A connection from the pool: a SYN (TCP) or a datagram (UDP). */
static unsigned int open_conn(bool v6, struct live *l)
{
	uint8_t src[16];

	l->v6 = v6;
	l->proto = chance(60) ? IPPROTO_TCP : IPPROTO_UDP;
	l->addr = rn(POOL_ADDRS);
	l->cport = 20000 + rn(POOL_PORTS);
	l->vport = vport(l->proto);
	if (v6)
		pool6(l->addr, src);
	else
		pool4(l->addr, src);
	st.syn++;
	return l4pkt(v6, l->proto, src, l->cport, l->vport, 0x02, rn(64),
		     false);
}

/* Non-SYN TCP from a fresh tuple: vsd counts "no connection". */
static unsigned int noconn(bool v6)
{
	static const uint8_t flags[] = { 0x10, 0x18, 0x11, 0x04, 0x14, 0x00,
					 0x01, 0x12, 0x30, 0x29, 0x06, 0xff };
	uint8_t src[16];

	if (v6)
		fresh6(src);
	else
		fresh4(src);
	return l4pkt(v6, IPPROTO_TCP, src, 1024 + rn(60000),
		     tg.tcp[rn(tg.ntcp)], flags[rn(sizeof(flags))], rn(100),
		     chance(20));
}

/*
 * A TCP, UDP or ICMP message whose own header is cut or inconsistent,
 * behind a valid IP header: vsd counts it malformed.
 */
static unsigned int malformed(bool v6)
{
	unsigned int hl = v6 ? 40 : 20, n, kind = rn(9);
	uint8_t src[16], proto = IPPROTO_TCP;
	uint8_t *l4 = P + hl;

	if (v6)
		fresh6(src);
	else
		fresh4(src);
	switch (kind) {
	case 0:	/* TCP header cut: 0..19 bytes */
		n = rn(20);
		tcp(l4, 1024 + rn(60000), vport(IPPROTO_TCP), 0x02, 5, 0);
		break;
	case 1:	/* TCP data offset below 5 */
		n = tcp(l4, 1024 + rn(60000), vport(IPPROTO_TCP), 0x02, 5,
			rn(40));
		l4[12] = rn(5) << 4;
		break;
	case 2:	/* TCP data offset past the end */
		n = 20 + rn(20);
		tcp(l4, 1024 + rn(60000), vport(IPPROTO_TCP), 0x02, 5, n - 20);
		l4[12] = ((n / 4) + 1 + rn(15 - n / 4)) << 4;
		break;
	case 3:	/* UDP header cut */
		proto = IPPROTO_UDP;
		n = rn(8);
		udp(l4, 1024 + rn(60000), vport(IPPROTO_UDP), 0);
		break;
	case 4:	/* ICMP header cut */
		proto = v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
		n = rn(8);
		rfill(l4, n);
		break;
	case 5:	/* an error quoting less than an IP header */
	case 6:
		proto = v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
		l4[0] = v6 ? 1 : 3;
		l4[1] = rn(4);
		put16(l4 + 2, 0);
		put32(l4 + 4, 0);
		n = 8 + rn(v6 ? 40 : 20);
		if (v6)
			ip6(l4 + 8, 20, IPPROTO_UDP, vip(v6), src);
		else
			ip4(l4 + 8, 5, 40, IPPROTO_UDP, vip(v6), src);
		break;
	default: /* an error quoting an IP header and under 8 bytes more */
		proto = v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
		l4[0] = v6 ? 1 : 3;
		l4[1] = rn(4);
		put16(l4 + 2, 0);
		put32(l4 + 4, 0);
		if (v6)
			ip6(l4 + 8, 20, kind == 7 ? IPPROTO_TCP : IPPROTO_UDP,
			    vip(v6), src);
		else
			ip4(l4 + 8, 5, 40,
			    kind == 7 ? IPPROTO_TCP : IPPROTO_UDP, vip(v6),
			    src);
		n = 8 + (v6 ? 40 : 20) + rn(8);
		rfill(l4 + 8 + (v6 ? 40 : 20), 8);
		break;
	}
	if (v6)
		ip6(P, n, proto, src, vip(v6));
	else
		ip4(P, 5, hl + n, proto, src, vip(v6));
	if (proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6)
		set_l4sum(v6, src, vip(v6), proto, l4, n, false);
	if (!v6)
		ip4_csum(P);
	ethertype(v6);
	st.malformed++;
	return hl + n;
}

/* IPv4 options: valid ones (NOP, EOL, RR, TS, RA) or garbage. */
static void ip4_options(uint8_t *o, unsigned int n)
{
	unsigned int i = 0, l;

	if (chance(30)) {
		rfill(o, n);
		return;
	}
	while (i < n) {
		switch (rn(5)) {
		case 0:
			o[i++] = 1;
			break;
		case 1:
			memset(o + i, 0, n - i);
			return;
		case 2:	/* record route */
		case 3:	/* timestamp */
			l = 4 * (1 + rn((n - i) / 4 + 1));
			if (l < 8 || i + l > n) {
				o[i++] = 1;
				break;
			}
			o[i] = rn(2) ? 7 : 68;
			o[i + 1] = l - 1 + (o[i] == 68);
			o[i + 2] = o[i] == 7 ? 4 : 5;
			o[i + 3] = 0;
			memset(o + i + 4, 0, l - 4);
			i += l;
			break;
		default: /* router alert */
			if (i + 4 > n) {
				o[i++] = 1;
				break;
			}
			o[i] = 148;
			o[i + 1] = 4;
			o[i + 2] = 0;
			o[i + 3] = 0;
			i += 4;
			break;
		}
	}
}

/* A TCP or UDP packet with IPv4 options. */
static unsigned int with_options(void)
{
	unsigned int ihl = 6 + rn(10), n, hl = ihl * 4;
	uint8_t proto = chance(50) ? IPPROTO_TCP : IPPROTO_UDP;
	uint8_t src[4], *l4 = P + hl;

	pool4(rn(POOL_ADDRS), src);
	if (proto == IPPROTO_TCP)
		n = tcp(l4, 20000 + rn(POOL_PORTS), vport(proto),
			chance(50) ? 0x02 : 0x10, 5, rn(64));
	else
		n = udp(l4, 20000 + rn(POOL_PORTS), vport(proto), rn(64));
	ip4(P, ihl, hl + n, proto, src, vip(false));
	ip4_options(P + 20, hl - 20);
	set_l4sum(false, src, vip(false), proto, l4, n, chance(10));
	ip4_csum(P);
	ethertype(false);
	return hl + n;
}

/*
 * An ICMP error at a VIP: quoting a live connection's packet to its client
 * (VIP:vport -> client:cport), or nonsense; its checksum right or wrong,
 * its quote whole or cut.
 */
static unsigned int icmp_error(bool v6)
{
	unsigned int hl = v6 ? 40 : 20, qhl = hl, n, qn;
	uint8_t *l4 = P + hl, *q = l4 + 8, src[16], client[16];
	uint8_t proto, icmp = v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
	struct live *l = NULL;
	unsigned int i;

	for (i = 0; nlive && i < 8 && !l; i++) {
		l = &live[rn(nlive)];
		if (l->v6 != v6)
			l = NULL;
	}
	rfill(src, 16);
	if (!v6)
		src[0] = 10 + rn(100);
	else
		src[0] = 0x20;
	if (v6) {
		static const uint8_t types[] = { 1, 2, 3, 4 };

		l4[0] = types[rn(4)];
		l4[1] = rn(8);
		put32(l4 + 4, l4[0] == 2 ? 1280 + rn(200) :
			      l4[0] == 4 ? rn(80) : 0);
	} else {
		static const uint8_t types[] = { 3, 3, 3, 11, 12, 4 };

		l4[0] = types[rn(sizeof(types))];
		l4[1] = rn(16);
		put32(l4 + 4, l4[0] == 3 && l4[1] == 4 ? 68 + rn(1500) :
			      l4[0] == 12 ? rnd() & 0xff000000 : 0);
	}
	put16(l4 + 2, 0);
	if (l && chance(80)) {
		proto = l->proto;
		if (v6)
			pool6(l->addr, client);
		else
			pool4(l->addr, client);
		if (proto == IPPROTO_TCP)
			qn = tcp(q + qhl, l->vport, l->cport, 0x12, 5, rn(16));
		else
			qn = udp(q + qhl, l->vport, l->cport, rn(16));
		set_l4sum(v6, vip(v6), client, proto, q + qhl, qn, false);
		if (v6) {
			ip6(q, qn, proto, vip(v6), client);
		} else {
			ip4(q, 5, qhl + qn, proto, vip(v6), client);
			ip4_csum(q);
		}
		qn += qhl;
		/* Quotes are cut anywhere past the first 8 bytes of L4. */
		if (chance(30))
			qn = qhl + 8 + rn(qn - qhl - 7);
		else if (chance(5))
			qn = rn(qhl + 8);	/* cut too short */
	} else {
		/* Nonsense: random bytes with an IP version, or anything. */
		qn = rn(120);
		rfill(q, qn);
		if (chance(70) && qn) {
			q[0] = v6 ? 0x60 | (q[0] & 15) : 0x40 | (q[0] & 15);
			if (chance(50) && qn >= 20 && !v6)
				q[0] = 0x45;
			if (chance(50) && qn >= 40) {
				if (v6) {
					q[6] = chance(50) ? IPPROTO_TCP :
							    IPPROTO_UDP;
					memcpy(q + 8, vip(v6), 16);
				} else {
					q[9] = chance(50) ? IPPROTO_TCP :
							    IPPROTO_UDP;
					memcpy(q + 12, vip(v6), 4);
					q[6] &= ~0x1f;
					q[7] = 0;
				}
			}
		}
	}
	n = 8 + qn;
	if (v6)
		ip6(P, n, icmp, src, vip(v6));
	else
		ip4(P, 5, hl + n, icmp, src, vip(v6));
	set_l4sum(v6, src, vip(v6), icmp, l4, n, chance(15));
	if (!v6)
		ip4_csum(P);
	ethertype(v6);
	st.icmp++;
	return hl + n;
}

/*
 * An error about a tunnelled packet, to the director's own address: it
 * quotes SELF -> TUN carrying a client's packet to a VIP (a live one or
 * not), whole or cut.
 */
static unsigned int tunnel_error(bool v6)
{
	unsigned int hl = v6 ? 40 : 20, n, in;
	uint8_t *l4 = P + hl, *q = l4 + 8, *iq = q + hl, src[16], client[16];
	const uint8_t *self = v6 ? (uint8_t *)&tg.self6 : (uint8_t *)&tg.self4;
	const uint8_t *tun = v6 ? (uint8_t *)&tg.tun6 : (uint8_t *)&tg.tun4;
	uint8_t proto = chance(50) ? IPPROTO_TCP : IPPROTO_UDP;
	uint16_t cport = 20000 + rn(POOL_PORTS), vp = vport(proto);

	rfill(src, 16);
	if (nlive && chance(70)) {
		struct live *l = &live[rn(nlive)];

		if (l->v6 == v6) {
			proto = l->proto;
			cport = l->cport;
			vp = l->vport;
		}
	}
	if (v6)
		pool6(rn(POOL_ADDRS), client);
	else
		pool4(rn(POOL_ADDRS), client);
	if (proto == IPPROTO_TCP)
		in = tcp(iq + hl, cport, vp, 0x10, 5, rn(32));
	else
		in = udp(iq + hl, cport, vp, rn(32));
	if (v6) {
		ip6(iq, in, proto, client, vip(v6));
		ip6(q, hl + in, IPPROTO_IPV6, self, tun);
		l4[0] = chance(60) ? 2 : 1 + rn(4);
		l4[1] = 0;
		put32(l4 + 4, l4[0] == 2 ? 1280 + rn(300) : 0);
	} else {
		ip4(iq, 5, hl + in, proto, client, vip(v6));
		ip4_csum(iq);
		ip4(q, 5, 2 * hl + in, IPPROTO_IPIP, self, tun);
		ip4_csum(q);
		l4[0] = 3;
		l4[1] = chance(60) ? 4 : rn(16);
		put32(l4 + 4, l4[1] == 4 ? 68 + rn(1500) : 0);
	}
	put16(l4 + 2, 0);
	n = 8 + 2 * hl + in;
	if (chance(40))
		n = 8 + hl + rn(hl + in);	/* the inner packet cut */
	if (v6)
		ip6(P, n, IPPROTO_ICMPV6, src, self);
	else
		ip4(P, 5, hl + n, IPPROTO_ICMP, src, self);
	set_l4sum(v6, src, self, v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP, l4, n,
		  chance(10));
	if (!v6)
		ip4_csum(P);
	ethertype(v6);
	st.icmp++;
	return hl + n;
}

/*
 * Fragments of one TCP or UDP packet to a VIP, sent here: in order or
 * not, tiny, overlapping, duplicated, some missing, past 64 KiB.
 */
static void fragments(bool v6)
{
	uint8_t whole[MAXPKT], src[16], proto;
	unsigned int hl = v6 ? 40 : 20, len, plen, off, sz, i, nf = 0;
	unsigned int offs[64], lens[64];
	uint32_t id = rnd();

	proto = chance(50) ? IPPROTO_TCP : IPPROTO_UDP;
	if (v6)
		pool6(rn(POOL_ADDRS), src);
	else
		pool4(rn(POOL_ADDRS), src);
	len = l4pkt(v6, proto, src, 20000 + rn(POOL_PORTS), vport(proto),
		    0x02, 8 + rn(400), chance(10));
	memcpy(whole, P, len);
	plen = len - hl;
	sz = 8 * (1 + rn(chance(50) ? 2 : 16));		/* tiny, or not */
	for (off = 0; off < plen && nf < 64; off += sz) {
		offs[nf] = off;
		lens[nf] = off + sz < plen ? sz : plen - off;
		nf++;
	}
	/* Disorder, overlap, loss. */
	for (i = 0; i < nf; i++) {
		unsigned int j = rn(nf), t;

		if (chance(20)) {
			t = offs[i]; offs[i] = offs[j]; offs[j] = t;
			t = lens[i]; lens[i] = lens[j]; lens[j] = t;
		}
	}
	for (i = 0; i < nf; i++) {
		unsigned int o = offs[i], l = lens[i], fo = o;
		bool last = o + l >= plen;
		uint8_t *d;

		if (chance(5))
			continue;			/* lost */
		if (chance(10) && o >= 8)
			fo = o - 8 * (1 + rn(o / 8));	/* overlapping */
		if (chance(3))
			fo = 65528 - rn(64) * 8;	/* past 64 KiB */
		if (v6) {
			d = P + 48;
			ip6(P, 8 + l, 44, src, vip(v6));
			P[40] = proto;
			P[41] = 0;
			put16(P + 42, (fo & ~7u) | (!last || chance(5)));
			put32(P + 44, id);
		} else {
			d = P + 20;
			ip4(P, 5, 20 + l, proto, src, vip(v6));
			put16(P + 4, id);
			put16(P + 6, (fo / 8) | ((!last || chance(5)) << 13));
		}
		memcpy(d, whole + hl + o, l);
		if (chance(10))
			rfill(d, l);			/* different bytes */
		if (!v6)
			ip4_csum(P);
		ethertype(v6);
		send_frame(ETH + (d - P) + l);
		st.frags++;
		if (chance(5))
			send_frame(ETH + (d - P) + l);	/* duplicate */
	}
}

/*
 * IPv6 with a chain of extension headers (hop-by-hop first, destination
 * options, routing, an atomic fragment header), ending in TCP, UDP, "no
 * next header" or something else, sometimes cut in the middle.
 */
static unsigned int ext_chain(void)
{
	static const uint8_t kinds[] = { 60, 43, 44, 60, 51 };
	uint8_t src[16], proto, *p = P + 40, *nh = P + 6;
	unsigned int n = rn(6), i, hlen, l4n;

	pool6(rn(POOL_ADDRS), src);
	ip6(P, 0, 0, src, vip(true));
	for (i = 0; i < n; i++) {
		uint8_t k = i == 0 && chance(50) ? 0 : kinds[rn(sizeof(kinds))];

		*nh = k;
		nh = p;
		if (k == 44) {
			hlen = 8;
			p[1] = 0;
			put16(p + 2, chance(90) ? 0 : rn(65536));
			put32(p + 4, rnd());
		} else if (k == 51) {		/* AH: length in 4-byte units */
			hlen = 12 + 4 * rn(4);
			p[1] = hlen / 4 - 2;
			rfill(p + 2, hlen - 2);
		} else {
			hlen = 8 * (1 + rn(4));
			p[1] = hlen / 8 - 1;
			if (k == 43) {		/* routing: segments left 0 */
				p[2] = rn(5);
				p[3] = chance(90) ? 0 : rn(4);
				memset(p + 4, 0, hlen - 4);
			} else if (chance(70)) {	/* PadN */
				p[2] = 1;
				p[3] = hlen - 4;
				memset(p + 4, 0, hlen - 4);
			} else {		/* random options */
				rfill(p + 2, hlen - 2);
			}
		}
		p += hlen;
	}
	switch (rn(6)) {
	case 0:
		proto = 59;			/* no next header */
		l4n = rn(16);
		rfill(p, l4n);
		break;
	case 1:
		proto = rnd();
		l4n = rn(32);
		rfill(p, l4n);
		break;
	case 2:
	case 3:
		proto = IPPROTO_TCP;
		l4n = tcp(p, 20000 + rn(POOL_PORTS), vport(proto),
			  chance(50) ? 0x02 : 0x10, 5, rn(64));
		break;
	default:
		proto = IPPROTO_UDP;
		l4n = udp(p, 20000 + rn(POOL_PORTS), vport(proto), rn(64));
		break;
	}
	*nh = proto;
	if (proto == IPPROTO_TCP || proto == IPPROTO_UDP)
		set_l4sum(true, src, vip(true), proto, p, l4n, chance(10));
	hlen = p + l4n - P;
	if (chance(15))
		hlen = 40 + rn(hlen - 40);	/* cut anywhere */
	put16(P + 4, hlen - 40);
	ethertype(true);
	return hlen;
}

/* Random bits, random lengths, on whatever was built. */
static unsigned int mutate(unsigned int len, bool v6)
{
	unsigned int i, n;

	st.mutated++;
	switch (rn(5)) {
	case 0:
	case 1:
		n = 1 + rn(4);
		for (i = 0; i < n && len; i++)
			P[rn(len)] ^= 1 << rn(8);
		break;
	case 2:	/* the frame cut */
		len = rn(len + 1);
		break;
	case 3:	/* the length field */
		if (v6)
			put16(P + 4, rn(len + 16));
		else
			put16(P + 2, rn(len + 16));
		break;
	default: /* trailing garbage */
		n = rn(64);
		if (len + n > MAXPKT)
			n = MAXPKT - len;
		rfill(P + len, n);
		len += n;
		break;
	}
	/* Mostly, a valid IPv4 header checksum over whatever it says. */
	if (!v6 && len >= 20 && (P[0] >> 4) == 4 && (P[0] & 15) >= 5 &&
	    (P[0] & 15) * 4 <= len && chance(70))
		ip4_csum(P);
	return len;
}

static unsigned int random_packet(void)
{
	bool v6 = chance(50);
	unsigned int len, k = rn(100);
	bool clean = true;
	uint8_t src[16];

	if (k < 12) {
		struct live l;

		len = open_conn(v6, &l);
		if (nlive < LIVE)
			live[nlive++] = l;
		else
			live[rn(LIVE)] = l;
	} else if (k < 22) {
		len = noconn(v6);
		st.noconn++;
		clean = false;
	} else if (k < 32) {
		/* Any flags, options, checksum, from the pool. */
		uint8_t proto = chance(60) ? IPPROTO_TCP : IPPROTO_UDP;

		if (v6)
			pool6(rn(POOL_ADDRS), src);
		else
			pool4(rn(POOL_ADDRS), src);
		len = l4pkt(v6, proto, src, 20000 + rn(POOL_PORTS),
			    vport(proto), rnd(), rn(200), chance(30));
	} else if (k < 40) {
		len = malformed(v6);
		clean = false;
	} else if (k < 48) {
		len = v6 ? ext_chain() : with_options();
	} else if (k < 51) {
		fragments(v6);
		return 0;
	} else if (k < 70) {
		len = icmp_error(v6);
	} else if (k < 77) {
		len = tunnel_error(v6);
	} else if (k < 88) {
		len = v6 ? ext_chain() : with_options();
		len = mutate(len, v6);
		return len;
	} else {
		/* Anything after an IP version nibble. */
		len = 1 + rn(200);
		rfill(P, len);
		P[0] = (v6 ? 0x60 : 0x40) | (P[0] & 15);
		if (!v6 && chance(50)) {
			P[0] = 0x45;
			put16(P + 2, len);
			memcpy(P + 16, vip(false), 4);
			P[6] &= ~0x3f;
			P[7] = 0;
			if (len >= 20)
				ip4_csum(P);
		}
		ethertype(v6);
		return len;
	}
	if (chance(25)) {
		/* The expected-counter lower bounds count clean ones only. */
		if (!clean) {
			if (k < 22)
				st.noconn--;
			else
				st.malformed--;
		}
		len = mutate(len, v6);
	}
	return len;
}

static int parse_ports(const char *s, uint16_t *out, unsigned int *n)
{
	char *end;

	*n = 0;
	while (*s && *n < NPORTS) {
		unsigned long v = strtoul(s, &end, 10);

		if (end == s || !v || v > 65535)
			return -1;
		out[(*n)++] = v;
		s = *end == ',' ? end + 1 : end;
	}
	return *n ? 0 : -1;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: pktfuzz -i IF -M DSTMAC -4 VIP4 -6 VIP6 -t PORTS -u PORTS\n"
		"               -d SELF4 -D SELF6 -r TUN4 -R TUN6 [-s SEED] [-n COUNT]\n"
		"               [-k random|malformed|noconn]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *ifname = NULL, *kind = "random";
	unsigned long count = 1000, seed = 1;
	struct timespec t0, t1;
	double secs;
	int opt, ok = 0;

	while ((opt = getopt(argc, argv, "i:M:4:6:t:u:d:D:r:R:s:n:k:")) != -1) {
		switch (opt) {
		case 'i': ifname = optarg; break;
		case 'M':
			ok |= (sscanf(optarg, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx",
				      &dstmac[0], &dstmac[1], &dstmac[2],
				      &dstmac[3], &dstmac[4], &dstmac[5]) == 6) << 0;
			break;
		case '4': ok |= (inet_pton(AF_INET, optarg, &tg.vip4) == 1) << 1; break;
		case '6': ok |= (inet_pton(AF_INET6, optarg, &tg.vip6) == 1) << 2; break;
		case 't': ok |= !parse_ports(optarg, tg.tcp, &tg.ntcp) << 3; break;
		case 'u': ok |= !parse_ports(optarg, tg.udp, &tg.nudp) << 4; break;
		case 'd': ok |= (inet_pton(AF_INET, optarg, &tg.self4) == 1) << 5; break;
		case 'D': ok |= (inet_pton(AF_INET6, optarg, &tg.self6) == 1) << 6; break;
		case 'r': ok |= (inet_pton(AF_INET, optarg, &tg.tun4) == 1) << 7; break;
		case 'R': ok |= (inet_pton(AF_INET6, optarg, &tg.tun6) == 1) << 8; break;
		case 's': seed = strtoul(optarg, NULL, 0); break;
		case 'n': count = strtoul(optarg, NULL, 0); break;
		case 'k': kind = optarg; break;
		default: usage();
		}
	}
	if (!ifname || ok != 0x1ff)
		usage();
	if (strcmp(kind, "random") && strcmp(kind, "malformed") &&
	    strcmp(kind, "noconn"))
		usage();
	rs = seed * 0x9e3779b97f4a7c15ULL + 0x2545f4914f6cdd1dULL;
	rnd();

	sock_fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (sock_fd < 0) {
		perror("socket");
		return 1;
	}
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = if_nametoindex(ifname);
	sll.sll_halen = 6;
	memcpy(sll.sll_addr, dstmac, 6);
	if (!sll.sll_ifindex) {
		perror(ifname);
		return 1;
	}

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (st.sent < count) {
		unsigned int len;
		bool v6 = chance(50);

		memset(frame, 0, sizeof(frame));
		if (!strcmp(kind, "malformed")) {
			len = malformed(v6);
		} else if (!strcmp(kind, "noconn")) {
			len = noconn(v6);
			st.noconn++;
		} else {
			len = random_packet();
			if (!len)
				continue;	/* fragments: sent already */
		}
		send_frame(ETH + len);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = t1.tv_sec - t0.tv_sec + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("sent=%lu\nmalformed=%lu\nnoconn=%lu\nopened=%lu\nfragments=%lu\n"
	       "icmp=%lu\nmutated=%lu\nseconds=%.1f\npps=%.0f\n",
	       st.sent, st.malformed, st.noconn, st.syn, st.frags, st.icmp,
	       st.mutated, secs, st.sent / (secs > 0 ? secs : 1));
	return 0;
}
