/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Addresses, ports, netmasks and numbers as ipvsadm writes them: parsing
 * (host[:port], [v6addr]:port, names through the resolver) and formatting.
 * Pure: no netlink.  Errors are messages that quote the offending text.
 */
#ifndef VSDCTL_ADDR_H
#define VSDCTL_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define __printf(a, b)	__attribute__((__format__(__printf__, a, b)))

union inet_addr {
	struct in_addr in;
	struct in6_addr in6;
	uint32_t w[4];		/* network order */
	uint8_t b[16];
};

/* An error message for the user, without the "vsdctl: " prefix. */
struct err {
	int status;		/* exit status to use */
	char msg[320];
};

__printf(3, 4)
int err_set(struct err *e, int status, const char *fmt, ...);

/* What addr_parse_hostport() found. */
#define HP_ADDR		0x1
#define HP_PORT		0x2

/*
 * Parse ipvsadm's service-address: host[:port], an IPv6 address alone, or
 * [IPv6]:port.  Names resolve (IPv4 first, as ipvsadm); ports are numbers
 * 0..65535 or service names of @protocol (IPPROTO_TCP, _UDP).  Returns the
 * HP_* bits found, or -1 with @e set.
 */
int addr_parse_hostport(const char *arg, int protocol, uint16_t *af,
			union inet_addr *addr, uint16_t *port, struct err *e);

/* Strictly decimal, no sign, no spaces: 0 and *val in [min, max], or -1. */
int parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *val);

/*
 * ipvsadm's -M: a dotted IPv4 netmask (contiguous, vsd keeps prefix
 * lengths) or, for IPv6, a prefix length 1..128.
 */
int addr_parse_netmask(const char *arg, uint16_t af, uint8_t *plen,
		       struct err *e);
/* A prefix length as a dotted IPv4 mask. */
void addr_format_mask4(char *buf, size_t len, uint8_t plen);

/* Numeric address text (no brackets). */
const char *addr_ntop(uint16_t af, const union inet_addr *addr, char *buf,
		      size_t len);

/*
 * ipvsadm's addrport_to_anyname(): "a.b.c.d:port" or "[v6]:port", with the
 * host and service names when !numeric.  Writes at most 59 characters, as
 * ipvsadm does.
 */
#define HOSTPORT_LEN	60
char *addr_format_hostport(char *buf, uint16_t af,
			   const union inet_addr *addr, uint16_t port,
			   int protocol, bool numeric);

/* All 16 bytes compare (IPv4 addresses keep the others zero). */
bool addr_equal(const union inet_addr *a, const union inet_addr *b);

#endif /* VSDCTL_ADDR_H */
