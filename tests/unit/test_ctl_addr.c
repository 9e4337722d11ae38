// SPDX-License-Identifier: GPL-2.0
/*
 * vsdctl's addresses, ports, netmasks and numbers (ctl/addr.c): what
 * ipvsadm accepts is accepted the same way, malformed or out-of-range input
 * is refused with a message that quotes it.
 */

#include "../../ctl/addr.h"

#include "unit.h"

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

static struct err e;

/* Parse @arg as a TCP service address; the HP_* bits or -1. */
static int hp(const char *arg, uint16_t *af, char *addr, uint16_t *port)
{
	union inet_addr a;
	int r;

	*port = 0xffff;
	*af = 0;
	r = addr_parse_hostport(arg, IPPROTO_TCP, af, &a, port, &e);
	if (r >= 0)
		addr_ntop(*af, &a, addr, INET6_ADDRSTRLEN);
	return r;
}

static void ipv4(void)
{
	char a[INET6_ADDRSTRLEN];
	uint16_t af, port;
	int r;

	r = hp("10.0.0.1:80", &af, a, &port);
	CHECK(r == (HP_ADDR | HP_PORT) && af == AF_INET &&
	      !strcmp(a, "10.0.0.1") && port == 80, "r=%d %s %u", r, a, port);
	r = hp("192.168.1.254", &af, a, &port);
	CHECK(r == HP_ADDR && af == AF_INET && !strcmp(a, "192.168.1.254") &&
	      port == 0xffff, "no port: r=%d port %u", r, port);
	r = hp("10.0.0.1:0", &af, a, &port);
	CHECK(r == (HP_ADDR | HP_PORT) && port == 0, "port 0: r=%d", r);
	r = hp("10.0.0.1:65535", &af, a, &port);
	CHECK(r == (HP_ADDR | HP_PORT) && port == 65535, "max port");
}

static void ipv6(void)
{
	char a[INET6_ADDRSTRLEN];
	uint16_t af, port;
	int r;

	r = hp("[2001:db8::1]:443", &af, a, &port);
	CHECK(r == (HP_ADDR | HP_PORT) && af == AF_INET6 &&
	      !strcmp(a, "2001:db8::1") && port == 443, "r=%d %s", r, a);
	r = hp("2001:db8::2", &af, a, &port);
	CHECK(r == HP_ADDR && af == AF_INET6 && !strcmp(a, "2001:db8::2"),
	      "bare IPv6: r=%d", r);
	r = hp("[::ffff:10.0.0.1]:80", &af, a, &port);
	CHECK(r == (HP_ADDR | HP_PORT) && af == AF_INET6, "mapped: r=%d", r);
	/* ipvsadm needs the port with brackets */
	r = hp("[2001:db8::1]", &af, a, &port);
	CHECK(r < 0 && e.status == 2 && strstr(e.msg, "'[2001:db8::1]'"),
	      "brackets without port: %s", e.msg);
	r = hp("[2001:db8::1]80", &af, a, &port);
	CHECK(r < 0, "no colon after bracket");
	r = hp("[10.0.0.1]:80", &af, a, &port);
	CHECK(r < 0 && strstr(e.msg, "'10.0.0.1'"), "IPv4 in brackets: %s",
	      e.msg);
	r = hp("[2001:db8::zz]:80", &af, a, &port);
	CHECK(r < 0 && strstr(e.msg, "invalid IPv6 address '2001:db8::zz'"),
	      "%s", e.msg);
}

static void names(void)
{
	char a[INET6_ADDRSTRLEN];
	uint16_t af, port;
	int r;

	/* /etc/services: http is 80 */
	r = hp("10.0.0.1:http", &af, a, &port);
	CHECK(r == (HP_ADDR | HP_PORT) && port == 80, "http: r=%d port %u",
	      r, port);
	r = hp("localhost:https", &af, a, &port);
	CHECK(r == (HP_ADDR | HP_PORT) && port == 443 &&
	      (!strcmp(a, "127.0.0.1") || !strcmp(a, "::1")),
	      "localhost: r=%d %s", r, a);
}

static void garbage(void)
{
	char a[INET6_ADDRSTRLEN];
	uint16_t af, port;

	CHECK(hp("10.0.0.1:http8", &af, a, &port) < 0 && e.status == 2 &&
	      !strcmp(e.msg, "invalid port 'http8'"), "%s", e.msg);
	CHECK(hp("10.0.0.1:65536", &af, a, &port) < 0 &&
	      strstr(e.msg, "invalid port '65536'"), "%s", e.msg);
	CHECK(hp("10.0.0.1:-1", &af, a, &port) < 0 &&
	      strstr(e.msg, "invalid port '-1'"), "%s", e.msg);
	CHECK(hp("10.0.0.1:", &af, a, &port) < 0 &&
	      strstr(e.msg, "invalid port ''"), "%s", e.msg);
	CHECK(hp("10.0.0.1:99999999999", &af, a, &port) < 0, "huge port");
	CHECK(hp("300.0.0.1:80", &af, a, &port) < 0 &&
	      !strcmp(e.msg, "invalid address '300.0.0.1'"), "%s", e.msg);
	CHECK(hp("10.1:80", &af, a, &port) < 0 &&
	      strstr(e.msg, "'10.1'"), "short form refused: %s", e.msg);
	CHECK(hp("80", &af, a, &port) < 0 &&
	      !strcmp(e.msg, "invalid address '80'"), "%s", e.msg);
	CHECK(hp("", &af, a, &port) < 0, "empty");
	CHECK(hp(":80", &af, a, &port) < 0 && strstr(e.msg, "''"),
	      "empty host: %s", e.msg);
	CHECK(hp("1.2.3.4.5:80", &af, a, &port) < 0, "five octets");
	CHECK(hp("no-such-host.invalid:80", &af, a, &port) < 0 &&
	      strstr(e.msg, "cannot resolve host 'no-such-host.invalid'"),
	      "%s", e.msg);
}

static void numbers(void)
{
	uint32_t v = 7;

	CHECK(!parse_u32("0", 0, 10, &v) && v == 0, "0");
	CHECK(!parse_u32("4294967295", 0, UINT32_MAX, &v) &&
	      v == UINT32_MAX, "max");
	CHECK(parse_u32("4294967296", 0, UINT32_MAX, &v) < 0, "overflow");
	CHECK(parse_u32("11", 0, 10, &v) < 0, "above max");
	CHECK(parse_u32("0", 1, 10, &v) < 0, "below min");
	CHECK(parse_u32("", 0, 10, &v) < 0, "empty");
	CHECK(parse_u32("+1", 0, 10, &v) < 0, "sign");
	CHECK(parse_u32(" 1", 0, 10, &v) < 0, "space");
	CHECK(parse_u32("1x", 0, 10, &v) < 0, "trailing garbage");
	CHECK(parse_u32("0x10", 0, 100, &v) < 0, "hex");
	CHECK(parse_u32("99999999999999999999", 0, UINT32_MAX, &v) < 0,
	      "very long");
}

static void netmasks(void)
{
	char buf[INET_ADDRSTRLEN];
	uint8_t plen = 0;

	CHECK(!addr_parse_netmask("255.255.255.0", AF_INET, &plen, &e) &&
	      plen == 24, "/24: %u", plen);
	CHECK(!addr_parse_netmask("255.255.255.255", AF_INET, &plen, &e) &&
	      plen == 32, "/32: %u", plen);
	CHECK(!addr_parse_netmask("0.0.0.0", AF_INET, &plen, &e) &&
	      plen == 0, "/0: %u", plen);
	CHECK(!addr_parse_netmask("255.255.128.0", AF_INET, &plen, &e) &&
	      plen == 17, "/17: %u", plen);
	CHECK(addr_parse_netmask("255.0.255.0", AF_INET, &plen, &e) < 0 &&
	      e.status == 2 && strstr(e.msg, "'255.0.255.0'"),
	      "non-contiguous: %s", e.msg);
	CHECK(addr_parse_netmask("24", AF_INET, &plen, &e) < 0 &&
	      strstr(e.msg, "invalid netmask '24'"), "%s", e.msg);
	CHECK(addr_parse_netmask("255.255.255.256", AF_INET, &plen, &e) < 0,
	      "octet out of range");
	CHECK(!addr_parse_netmask("64", AF_INET6, &plen, &e) && plen == 64,
	      "v6 /64");
	CHECK(!addr_parse_netmask("128", AF_INET6, &plen, &e) && plen == 128,
	      "v6 /128");
	CHECK(addr_parse_netmask("0", AF_INET6, &plen, &e) < 0 &&
	      strstr(e.msg, "'0'"), "v6 /0: %s", e.msg);
	CHECK(addr_parse_netmask("129", AF_INET6, &plen, &e) < 0 &&
	      strstr(e.msg, "'129'"), "v6 /129: %s", e.msg);
	CHECK(addr_parse_netmask("64x", AF_INET6, &plen, &e) < 0, "v6 garbage");

	addr_format_mask4(buf, sizeof(buf), 24);
	CHECK(!strcmp(buf, "255.255.255.0"), "%s", buf);
	addr_format_mask4(buf, sizeof(buf), 0);
	CHECK(!strcmp(buf, "0.0.0.0"), "%s", buf);
	addr_format_mask4(buf, sizeof(buf), 32);
	CHECK(!strcmp(buf, "255.255.255.255"), "%s", buf);
	addr_format_mask4(buf, sizeof(buf), 1);
	CHECK(!strcmp(buf, "128.0.0.0"), "%s", buf);
}

static void formatting(void)
{
	char buf[HOSTPORT_LEN];
	union inet_addr a;

	memset(&a, 0, sizeof(a));
	inet_pton(AF_INET, "10.0.0.1", &a.in);
	addr_format_hostport(buf, AF_INET, &a, 80, IPPROTO_TCP, true);
	CHECK(!strcmp(buf, "10.0.0.1:80"), "%s", buf);
	addr_format_hostport(buf, AF_INET, &a, 80, IPPROTO_TCP, false);
	CHECK(!strcmp(buf, "10.0.0.1:http"), "names: %s", buf);
	addr_format_hostport(buf, AF_INET, &a, 53, IPPROTO_UDP, false);
	CHECK(!strcmp(buf, "10.0.0.1:domain"), "udp: %s", buf);
	addr_format_hostport(buf, AF_INET, &a, 80, 0, false);
	CHECK(!strcmp(buf, "10.0.0.1:80"), "no protocol: no name: %s", buf);

	memset(&a, 0, sizeof(a));
	inet_pton(AF_INET6, "2001:db8::1", &a.in6);
	addr_format_hostport(buf, AF_INET6, &a, 443, IPPROTO_TCP, true);
	CHECK(!strcmp(buf, "[2001:db8::1]:443"), "%s", buf);

	/* ipvsadm cuts at 59 characters */
	inet_pton(AF_INET6, "2001:db8:1111:2222:3333:4444:5555:6666", &a.in6);
	addr_format_hostport(buf, AF_INET6, &a, 65535, IPPROTO_TCP, true);
	CHECK(!strcmp(buf, "[2001:db8:1111:2222:3333:4444:5555:6666]:65535"),
	      "%s", buf);
	CHECK(strlen(buf) < HOSTPORT_LEN, "fits");
}

int main(void)
{
	RUN(ipv4);
	RUN(ipv6);
	RUN(names);
	RUN(garbage);
	RUN(numbers);
	RUN(netmasks);
	RUN(formatting);
	return UNIT_DONE();
}
