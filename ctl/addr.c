// SPDX-License-Identifier: GPL-2.0
/*
 * Addresses, ports, netmasks and numbers (see addr.h).
 */

#include "addr.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

int err_set(struct err *e, int status, const char *fmt, ...)
{
	va_list ap;

	e->status = status;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -1;
}

int parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *val)
{
	unsigned long long v = 0;
	const char *p;

	if (!*s || strlen(s) > 10)
		return -1;
	for (p = s; *p; p++) {
		if (!isdigit((unsigned char)*p))
			return -1;
		v = v * 10 + (unsigned int)(*p - '0');
	}
	if (v < min || v > max)
		return -1;
	*val = (uint32_t)v;
	return 0;
}

static bool all_digits(const char *s)
{
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* Dots and digits only: meant as a numeric IPv4 address, never a name. */
static bool looks_numeric4(const char *s)
{
	for (; *s; s++)
		if (!isdigit((unsigned char)*s) && *s != '.')
			return false;
	return true;
}

static int parse_port(const char *s, int protocol, uint16_t *port,
		      struct err *e)
{
	const char *pname = protocol == IPPROTO_UDP ? "udp" : "tcp";
	struct servent *se;
	uint32_t v;

	if (all_digits(s)) {
		if (parse_u32(s, 0, 65535, &v) < 0)
			return err_set(e, 2, "invalid port '%s' (0 to 65535)",
				       s);
		*port = (uint16_t)v;
		return 0;
	}
	se = *s ? getservbyname(s, pname) : NULL;
	if (!se)
		return err_set(e, 2, "invalid port '%s'", s);
	*port = ntohs((uint16_t)se->s_port);
	return 0;
}

static int resolve_host(const char *host, uint16_t *af,
			union inet_addr *addr, struct err *e)
{
	static const int families[] = { AF_INET, AF_INET6 };
	struct addrinfo hints, *res;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(families); i++) {
		memset(&hints, 0, sizeof(hints));
		hints.ai_family = families[i];
		hints.ai_socktype = SOCK_STREAM;
		if (getaddrinfo(host, NULL, &hints, &res) || !res)
			continue;
		memset(addr, 0, sizeof(*addr));
		if (res->ai_family == AF_INET) {
			addr->in = ((struct sockaddr_in *)res->ai_addr)->sin_addr;
			*af = AF_INET;
		} else {
			addr->in6 = ((struct sockaddr_in6 *)
				     res->ai_addr)->sin6_addr;
			*af = AF_INET6;
		}
		freeaddrinfo(res);
		return 0;
	}
	return err_set(e, 2, "cannot resolve host '%s'", host);
}

int addr_parse_hostport(const char *arg, int protocol, uint16_t *af,
			union inet_addr *addr, uint16_t *port, struct err *e)
{
	char buf[256], *host, *portp = NULL;
	union inet_addr a;

	if (!*arg || all_digits(arg))
		return err_set(e, 2, "invalid address '%s'", arg);
	if (strlen(arg) >= sizeof(buf))
		return err_set(e, 2, "invalid address '%.64s...' (too long)",
			       arg);
	strcpy(buf, arg);
	host = buf;
	memset(&a, 0, sizeof(a));

	if (buf[0] == '[') {
		host = buf + 1;
		portp = strchr(host, ']');
		if (!portp || portp[1] != ':')
			return err_set(e, 2,
				       "invalid address '%s' (write [IPv6]:port)",
				       arg);
		*portp = '\0';
		portp += 2;
		if (inet_pton(AF_INET6, host, &a.in6) != 1)
			return err_set(e, 2, "invalid IPv6 address '%s'",
				       host);
		*af = AF_INET6;
	} else if (inet_pton(AF_INET6, host, &a.in6) == 1) {
		*af = AF_INET6;
	} else {
		portp = strrchr(host, ':');
		if (portp)
			*portp++ = '\0';
		if (inet_pton(AF_INET, host, &a.in) == 1) {
			*af = AF_INET;
		} else if (!*host || looks_numeric4(host) ||
			   strchr(host, ':')) {
			return err_set(e, 2, "invalid address '%s'", host);
		} else if (resolve_host(host, af, &a, e) < 0) {
			return -1;
		}
	}
	*addr = a;
	if (!portp)
		return HP_ADDR;
	if (parse_port(portp, protocol, port, e) < 0)
		return -1;
	return HP_ADDR | HP_PORT;
}

int addr_parse_netmask(const char *arg, uint16_t af, uint8_t *plen,
		       struct err *e)
{
	struct in_addr m;
	uint32_t v, inv;

	if (af == AF_INET6) {
		if (parse_u32(arg, 1, 128, &v) < 0)
			return err_set(e, 2,
				       "invalid IPv6 netmask '%s' (a prefix length, 1 to 128)",
				       arg);
		*plen = (uint8_t)v;
		return 0;
	}
	if (inet_pton(AF_INET, arg, &m) != 1)
		return err_set(e, 2, "invalid netmask '%s'", arg);
	v = ntohl(m.s_addr);
	inv = ~v;
	/* contiguous: the inverted mask is 2^n - 1 */
	if (inv & (inv + 1))
		return err_set(e, 2,
			       "invalid netmask '%s' (vsd needs contiguous ones)",
			       arg);
	*plen = (uint8_t)(v ? 32 - __builtin_popcount(inv) : 0);
	return 0;
}

void addr_format_mask4(char *buf, size_t len, uint8_t plen)
{
	struct in_addr m;

	m.s_addr = htonl(plen >= 32 ? 0xffffffffu :
			 plen ? ~((1u << (32 - plen)) - 1) : 0);
	inet_ntop(AF_INET, &m, buf, (socklen_t)len);
}

const char *addr_ntop(uint16_t af, const union inet_addr *addr, char *buf,
		      size_t len)
{
	if (!inet_ntop(af == AF_INET6 ? AF_INET6 : AF_INET, addr, buf,
		       (socklen_t)len))
		snprintf(buf, len, "?");
	return buf;
}

static const char *host_name(uint16_t af, const union inet_addr *addr,
			     char *buf, size_t len)
{
	struct sockaddr_in6 s6;
	struct sockaddr_in s4;
	struct sockaddr *sa;
	socklen_t salen;

	if (af == AF_INET6) {
		memset(&s6, 0, sizeof(s6));
		s6.sin6_family = AF_INET6;
		s6.sin6_addr = addr->in6;
		sa = (struct sockaddr *)&s6;
		salen = sizeof(s6);
	} else {
		memset(&s4, 0, sizeof(s4));
		s4.sin_family = AF_INET;
		s4.sin_addr = addr->in;
		sa = (struct sockaddr *)&s4;
		salen = sizeof(s4);
	}
	if (getnameinfo(sa, salen, buf, (socklen_t)len, NULL, 0,
			NI_NAMEREQD))
		return addr_ntop(af, addr, buf, len);
	return buf;
}

/* Decimal digits of @v at @p; returns the end.  (Listings are hot.) */
static char *put_uint(char *p, unsigned int v)
{
	char tmp[10];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

char *addr_format_hostport(char *buf, uint16_t af,
			   const union inet_addr *addr, uint16_t port,
			   int protocol, bool numeric)
{
	const char *lb = af == AF_INET6 ? "[" : "";
	const char *rb = af == AF_INET6 ? "]" : "";
	char host[NI_MAXHOST], pbuf[16];
	const char *pname = pbuf;
	struct servent *se;

	if (numeric && af != AF_INET6) {
		char *p = buf;
		int i;

		for (i = 0; i < 4; i++) {
			p = put_uint(p, addr->b[i]);
			*p++ = i < 3 ? '.' : ':';
		}
		*put_uint(p, port) = '\0';
		return buf;
	}
	snprintf(pbuf, sizeof(pbuf), "%u", port);
	if (numeric) {
		addr_ntop(af, addr, host, sizeof(host));
	} else {
		host_name(af, addr, host, sizeof(host));
		se = NULL;
		if (protocol == IPPROTO_TCP || protocol == IPPROTO_UDP)
			se = getservbyport(htons(port),
					   protocol == IPPROTO_UDP ? "udp" :
					   "tcp");
		if (se)
			pname = se->s_name;
	}
	/* ipvsadm's 60-byte buffer: long names are cut, as there */
	if (snprintf(buf, HOSTPORT_LEN, "%s%s%s:%s", lb, host, rb, pname) < 0)
		buf[0] = '\0';
	return buf;
}

bool addr_equal(const union inet_addr *a, const union inet_addr *b)
{
	return !memcmp(a, b, sizeof(*a));
}
