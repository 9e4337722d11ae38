// SPDX-License-Identifier: GPL-2.0
/*
 * ipvsadm's listings (see list.h): its print_title(),
 * print_service_entry() and print_conn(), fed from our model.
 */

#include "list.h"

#include <stdlib.h>
#include <string.h>

void format_largenum(char *buf, size_t len, uint64_t i, bool exact)
{
	unsigned long long v = i;

	if (exact) {
		int n = snprintf(buf, len, "%llu", v);

		snprintf(buf, len, "%*llu", n <= 8 ? 9 : n + 1, v);
		return;
	}
	if (v < 100000000ull)
		snprintf(buf, len, "%9llu", v);
	else if (v < 1000000000ull)
		snprintf(buf, len, "%8lluK", v / 1000);
	else if (v < 100000000000ull)
		snprintf(buf, len, "%8lluM", v / 1000000);
	else if (v < 100000000000000ull)
		snprintf(buf, len, "%8lluG", v / 1000000000ull);
	else
		snprintf(buf, len, "%8lluT", v / 1000000000000ull);
}

/*
 * A line built by hand: printf() is most of the time a large listing
 * takes.  put_str() and put_uint() pad as "%-*s" and "%-*u" (width > 0)
 * or "%*s" and "%*u" (width < 0) would.
 */
struct line {
	char *p;
	char buf[512];
};

static void put_str(struct line *l, const char *s, int width)
{
	size_t n = strlen(s);
	size_t w = (size_t)(width < 0 ? -width : width);
	size_t pad = n < w ? w - n : 0;

	if (n + pad >= (size_t)(l->buf + sizeof(l->buf) - l->p) - 1)
		return;
	if (width < 0) {
		memset(l->p, ' ', pad);
		l->p += pad;
	}
	memcpy(l->p, s, n);
	l->p += n;
	if (width > 0) {
		memset(l->p, ' ', pad);
		l->p += pad;
	}
}

static void put_uint(struct line *l, unsigned long long v, int width)
{
	char tmp[24];
	int n = 24;

	tmp[--n] = '\0';
	do {
		tmp[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put_str(l, tmp + n, width);
}

static void line_start(struct line *l)
{
	l->p = l->buf;
}

static void line_end(struct line *l, FILE *f)
{
	*l->p++ = '\n';
	fwrite(l->buf, 1, (size_t)(l->p - l->buf), f);
}

static void put_largenum(struct line *l, uint64_t v, unsigned int fmt)
{
	char buf[32];

	format_largenum(buf, sizeof(buf), v, fmt & FMT_EXACT);
	put_str(l, buf, 0);
}

static void largenum(FILE *f, uint64_t v, unsigned int fmt)
{
	char buf[32];

	format_largenum(buf, sizeof(buf), v, fmt & FMT_EXACT);
	fputs(buf, f);
}

void list_title(FILE *f, unsigned int fmt)
{
	if (fmt & FMT_STATS)
		fprintf(f, "%-33s %8s %8s %8s %8s %8s\n"
			"  -> RemoteAddress:Port\n",
			"Prot LocalAddress:Port",
			"Conns", "InPkts", "OutPkts", "InBytes", "OutBytes");
	else if (fmt & FMT_RATE)
		fprintf(f, "%-33s %8s %8s %8s %8s %8s\n"
			"  -> RemoteAddress:Port\n",
			"Prot LocalAddress:Port",
			"CPS", "InPPS", "OutPPS", "InBPS", "OutBPS");
	else if (fmt & FMT_THRESHOLDS)
		fprintf(f, "%-33s %-10s %-10s %-10s %-10s\n"
			"  -> RemoteAddress:Port\n",
			"Prot LocalAddress:Port",
			"Uthreshold", "Lthreshold", "ActiveConn", "InActConn");
	else if (fmt & FMT_PERSISTENTCONN)
		fprintf(f, "%-33s %-9s %-11s %-10s %-10s\n"
			"  -> RemoteAddress:Port\n",
			"Prot LocalAddress:Port",
			"Weight", "PersistConn", "ActiveConn", "InActConn");
	else if (fmt & FMT_TUN_INFO)
		fputs("Prot LocalAddress:Port Scheduler Flags\n"
		      "  -> RemoteAddress:Port           Forward TunnelInfo    Weight ActiveConn InActConn\n",
		      f);
	else if (!(fmt & FMT_RULE))
		fputs("Prot LocalAddress:Port Scheduler Flags\n"
		      "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n",
		      f);
}

/* The protocol ports are named after (fwmark services: TCP, as IPVS). */
static int svc_proto(const struct service *s)
{
	return s->key.fwmark ? IPPROTO_TCP : s->key.protocol;
}

static const char *proto_name(int proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return "TCP";
	case IPPROTO_UDP:
		return "UDP";
	case IPPROTO_SCTP:
		return "SCTP";
	}
	return "?";
}

static void sched_flags(FILE *f, const struct service *s)
{
	char flags[64] = "";
	size_t n;

	if (!strcmp(s->sched, "sh") || !strcmp(s->sched, "mh")) {
		if (s->flags & VSD_SVC_F_SCHED1)
			strcat(strcat(flags, s->sched), "-fallback,");
		if (s->flags & VSD_SVC_F_SCHED2)
			strcat(strcat(flags, s->sched), "-port,");
		/* Not in ipvsadm's listing, but -S must save it. */
		if (s->flags & VSD_SVC_F_SCHED3)
			strcat(flags, "flag-3,");
	} else {
		if (s->flags & VSD_SVC_F_SCHED1)
			strcat(flags, "flag-1,");
		if (s->flags & VSD_SVC_F_SCHED2)
			strcat(flags, "flag-2,");
		if (s->flags & VSD_SVC_F_SCHED3)
			strcat(flags, "flag-3,");
	}
	n = strlen(flags);
	if (n) {
		flags[n - 1] = '\0';
		fputs(flags, f);
	}
}

static bool has_sched_flags(const struct service *s)
{
	return s->flags & (VSD_SVC_F_SCHED1 | VSD_SVC_F_SCHED2 |
			   VSD_SVC_F_SCHED3);
}

/* " mask 255.255.255.0" / " -M 64": only when not the full mask. */
static void netmask(FILE *f, const struct service *s, const char *word)
{
	char m[INET_ADDRSTRLEN];

	if (s->netmask == full_netmask(s->key.af))
		return;
	if (s->key.af == AF_INET6) {
		fprintf(f, " %s %u", word, s->netmask);
	} else {
		addr_format_mask4(m, sizeof(m), s->netmask);
		fprintf(f, " %s %s", word, m);
	}
}

static void svc_name(char *buf, size_t len, const struct service *s,
		     unsigned int fmt)
{
	char v[HOSTPORT_LEN];

	if (s->key.fwmark) {
		if (fmt & FMT_RULE)
			snprintf(buf, len, "-f %u%s", s->key.fwmark,
				 s->key.af == AF_INET6 ? " -6" : "");
		else
			snprintf(buf, len, "FWM  %u%s", s->key.fwmark,
				 s->key.af == AF_INET6 ? " IPv6" : "");
		return;
	}
	addr_format_hostport(v, s->key.af, &s->key.addr, s->key.port,
			     s->key.protocol, fmt & FMT_NUMERIC);
	if (fmt & FMT_RULE) {
		snprintf(buf, len, "%s %s",
			 s->key.protocol == IPPROTO_UDP ? "-u" :
			 s->key.protocol == IPPROTO_TCP ? "-t" :
			 "--sctp-service", v);
	} else {
		snprintf(buf, len, "%-4s %s", proto_name(s->key.protocol), v);
		if (s->key.af != AF_INET6 && strlen(buf) > 33)
			buf[33] = '\0';
	}
}

static void service_line(FILE *f, const struct service *s, const char *name,
			 unsigned int fmt)
{
	const struct stats *st = &s->stats;

	if (fmt & FMT_RULE) {
		fprintf(f, "-A %s -s %s", name, s->sched);
		if (s->timeout) {
			fprintf(f, " -p %u", s->timeout);
			netmask(f, s, "-M");
		}
		if (s->flags & VSD_SVC_F_ONEPACKET)
			fputs(" -o", f);
		if (has_sched_flags(s)) {
			fputs(" -b ", f);
			sched_flags(f, s);
		}
	} else if (fmt & FMT_STATS) {
		fprintf(f, "%-33s", name);
		largenum(f, st->conns, fmt);
		largenum(f, st->inpkts, fmt);
		largenum(f, st->outpkts, fmt);
		largenum(f, st->inbytes, fmt);
		largenum(f, st->outbytes, fmt);
	} else if (fmt & FMT_RATE) {
		fprintf(f, "%-33s", name);
		largenum(f, st->cps, fmt);
		largenum(f, st->inpps, fmt);
		largenum(f, st->outpps, fmt);
		largenum(f, st->inbps, fmt);
		largenum(f, st->outbps, fmt);
	} else {
		fprintf(f, "%s %s", name, s->sched);
		if (has_sched_flags(s)) {
			fputs(" (", f);
			sched_flags(f, s);
			fputc(')', f);
		}
		if (s->timeout) {
			fprintf(f, " persistent %u", s->timeout);
			netmask(f, s, "mask");
		}
		if (s->flags & VSD_SVC_F_ONEPACKET)
			fputs(" ops", f);
	}
	fputc('\n', f);
}

static void dest_line(FILE *f, const struct service *s, const char *name,
		      const struct dest *d, unsigned int fmt)
{
	const struct stats *st = &d->stats;
	char dn[HOSTPORT_LEN];
	struct line l;

	addr_format_hostport(dn, d->af, &d->addr, d->port, svc_proto(s),
			     fmt & FMT_NUMERIC);
	if (!(fmt & FMT_RULE) && d->af != AF_INET6)
		dn[28] = '\0';

	line_start(&l);
	if (fmt & FMT_RULE) {
		put_str(&l, "-a ", 0);
		put_str(&l, name, 0);
		put_str(&l, " -r ", 0);
		put_str(&l, dn, 0);
		put_str(&l, " ", 0);
		put_str(&l, fwd_switch(d->fwd), 0);
		put_str(&l, " -w ", 0);
		put_uint(&l, d->weight, 0);
		if (d->fwd == VSD_FWD_TUNNEL)
			put_str(&l, " --tun-type ipip", 0);
		/*
		 * ipvsadm -S leaves thresholds out, and its -R loses them;
		 * both -R read them.
		 */
		if (d->u_thresh) {
			put_str(&l, " -x ", 0);
			put_uint(&l, d->u_thresh, 0);
		}
		if (d->l_thresh) {
			put_str(&l, " -y ", 0);
			put_uint(&l, d->l_thresh, 0);
		}
		line_end(&l, f);
		return;
	}
	put_str(&l, "  -> ", 0);
	if (fmt & (FMT_STATS | FMT_RATE)) {
		const uint64_t totals[5] = { st->conns, st->inpkts, st->outpkts,
					     st->inbytes, st->outbytes };
		const uint64_t rates[5] = { st->cps, st->inpps, st->outpps,
					    st->inbps, st->outbps };
		const uint64_t *v = (fmt & FMT_STATS) ? totals : rates;
		int i;

		/* ipvsadm prints the rates of packets unscaled */
		put_str(&l, dn, 28);
		for (i = 0; i < 5; i++) {
			if ((fmt & FMT_STATS) || i >= 3) {
				put_largenum(&l, v[i], fmt);
			} else {
				put_str(&l, " ", 0);
				put_uint(&l, v[i], -8);
			}
		}
	} else if (fmt & FMT_THRESHOLDS) {
		put_str(&l, dn, 28);
		put_str(&l, " ", 0);
		put_uint(&l, d->u_thresh, 10);
		put_str(&l, " ", 0);
		put_uint(&l, d->l_thresh, 10);
		put_str(&l, " ", 0);
		put_uint(&l, d->active, 10);
		put_str(&l, " ", 0);
		put_uint(&l, d->inact, 10);
	} else if (fmt & FMT_PERSISTENTCONN) {
		put_str(&l, dn, 28);
		put_str(&l, " ", 0);
		put_uint(&l, d->weight, 9);
		put_str(&l, " ", 0);
		put_uint(&l, d->persist, 11);
		put_str(&l, " ", 0);
		put_uint(&l, d->active, 10);
		put_str(&l, " ", 0);
		put_uint(&l, d->inact, 10);
	} else {
		put_str(&l, dn, 28);
		put_str(&l, " ", 0);
		put_str(&l, fwd_name(d->fwd), 7);
		put_str(&l, " ", 0);
		if (fmt & FMT_TUN_INFO) {
			put_str(&l, d->fwd == VSD_FWD_TUNNEL ? "ipip" : "n/a",
				13);
			put_str(&l, " ", 0);
		}
		put_uint(&l, d->weight, 6);
		put_str(&l, " ", 0);
		put_uint(&l, d->active, 10);
		put_str(&l, " ", 0);
		put_uint(&l, d->inact, 10);
	}
	line_end(&l, f);
}

void list_service(FILE *f, struct service *s, unsigned int fmt)
{
	char name[1024];
	size_t i;

	svc_name(name, sizeof(name), s, fmt);
	service_line(f, s, name, fmt);
	if (!(fmt & FMT_NOSORT) && s->ndests > 1)
		qsort(s->dests, s->ndests, sizeof(*s->dests), dest_cmp);
	for (i = 0; i < s->ndests; i++)
		dest_line(f, s, name, &s->dests[i], fmt);
}

void list_services(FILE *f, struct service **v, size_t n, unsigned int fmt)
{
	size_t i;

	list_title(f, fmt);
	for (i = 0; i < n; i++)
		list_service(f, v[i], fmt);
}

void list_timeouts(FILE *f, uint32_t tcp, uint32_t tcpfin, uint32_t udp)
{
	fprintf(f, "Timeout (tcp tcpfin udp): %u %u %u\n", tcp, tcpfin, udp);
}

void list_conn_title(FILE *f, unsigned int fmt)
{
	if (fmt & FMT_PERSISTENTCONN)
		fprintf(f, "pro expire %-11s %-18s %-18s %-18s %-16s %s\n",
			"state", "source", "virtual", "destination",
			"pe name", "pe_data");
	else
		fprintf(f, "pro expire %-11s %-18s %-18s %s\n",
			"state", "source", "virtual", "destination");
}

void list_conn(FILE *f, const struct conn *cn, unsigned int fmt)
{
	char c[HOSTPORT_LEN], v[HOSTPORT_LEN], d[HOSTPORT_LEN], exp[16];
	const char *proto = cn->protocol == IPPROTO_TCP ? "TCP" :
			    cn->protocol == IPPROTO_UDP ? "UDP" :
			    cn->protocol ? "ERR!" : "IP";
	unsigned int secs = cn->expires_ms / 1000;
	bool numeric = fmt & FMT_NUMERIC;

	addr_format_hostport(c, cn->af, &cn->caddr, cn->cport, cn->protocol,
			     numeric);
	addr_format_hostport(v, cn->af, &cn->vaddr, cn->vport, cn->protocol,
			     numeric);
	addr_format_hostport(d, cn->daf, &cn->daddr, cn->dport, cn->protocol,
			     numeric);
	snprintf(exp, sizeof(exp), "%02u:%02u", secs / 60, secs % 60);
	fprintf(f, "%-3s %-6s %-11s %-18s %-18s %s\n", proto, exp,
		conn_state_name(cn->state), c, v, d);
}
