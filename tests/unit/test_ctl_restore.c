// SPDX-License-Identifier: GPL-2.0
/*
 * vsdctl -R (ctl/restore.c): lines applied in order to a model of the
 * configuration, with the kernel's checks, errors naming their line, and
 * the result the configuration ipvsadm would build line by line.
 */

#include "../../ctl/restore.h"
#include "../../ctl/save.h"

#include "unit.h"

#include <string.h>

static const char * const scheds[] = { "rr", "wrr", "lc", "wlc", "sh",
				       NULL };
static struct model m;
static struct err e;
static int bad;

/* Apply @text to the model (kept between calls); 0 or -1. */
static int restore(const char *text)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int r;

	bad = 0;
	r = restore_read(&m, f, scheds, &e, &bad);
	fclose(f);
	return r;
}

static void reset(void)
{
	model_free(&m);
	model_init(&m);
}

/* The model as -S -n prints it. */
static const char *rules(void)
{
	static char out[8192];
	struct service **v;
	FILE *f;
	size_t n;

	memset(out, 0, sizeof(out));
	v = model_list(&m, false, &n);
	f = fmemopen(out, sizeof(out), "w");
	save_rules(f, v, n, true);
	fclose(f);
	free(v);
	return out;
}

#define SAME(want)							\
	do {								\
		const char *got_ = rules();				\
		CHECK(!strcmp(got_, want), "\n--- want\n%s--- got\n%s",	\
		      want, got_);					\
	} while (0)

#define FAILS_AT(text, line, st, want)					\
	do {								\
		int r_ = restore(text);					\
		CHECK(r_ < 0 && bad == (line) && e.status == (st) &&	\
		      strstr(e.msg, want),				\
		      "r=%d line %d status %d '%s' (want %d %d '%s')",	\
		      r_, bad, e.status, e.msg, line, st, want);	\
	} while (0)

static void basic(void)
{
	reset();
	CHECK(!restore("-A -t 10.0.0.1:80 -s rr\n"
		       "-a -t 10.0.0.1:80 -r 10.1.1.1 -w 3\n"
		       "-a -t 10.0.0.1:80 -r 10.1.1.2:8080 -m\n"
		       "-A -f 7 -p 60\n"
		       "-a -f 7 -r 10.1.1.3\n"), "%s", e.msg);
	SAME("-A -t 10.0.0.1:80 -s rr\n"
	     "-a -t 10.0.0.1:80 -r 10.1.1.1:80 -g -w 3\n"
	     "-a -t 10.0.0.1:80 -r 10.1.1.2:8080 -m -w 1\n"
	     "-A -f 7 -s wlc -p 60\n"
	     "-a -f 7 -r 10.1.1.3:0 -g -w 1\n");
	CHECK(m.svcs[0].line == 1 && m.svcs[0].dests[1].line == 3,
	      "lines recorded: %d %d", m.svcs[0].line,
	      m.svcs[0].dests[1].line);
}

static void comments_and_blanks(void)
{
	reset();
	CHECK(!restore("# a comment\n"
		       "\n"
		       "   \t  \n"
		       "ipvsadm -A -t 10.0.0.1:80   # trailing comment\n"
		       "vsdctl -a -t 10.0.0.1:80 -r 10.1.1.1\r\n"
		       "-A\t-u\t10.0.0.1:53"), "%s", e.msg);
	SAME("-A -t 10.0.0.1:80 -s wlc\n"
	     "-a -t 10.0.0.1:80 -r 10.1.1.1:80 -g -w 1\n"
	     "-A -u 10.0.0.1:53 -s wlc\n");
}

static void edits(void)
{
	reset();
	CHECK(!restore("-A -t 10.0.0.1:80 -s rr -p 100\n"
		       "-a -t 10.0.0.1:80 -r 10.1.1.1:80 -m -w 5 -x 10 -y 5\n"
		       "-E -t 10.0.0.1:80\n"
		       "-e -t 10.0.0.1:80 -r 10.1.1.1:80 -m\n"), "%s", e.msg);
	/* -E and -e reset what they do not give, as ipvsadm */
	SAME("-A -t 10.0.0.1:80 -s wlc\n"
	     "-a -t 10.0.0.1:80 -r 10.1.1.1:80 -m -w 1\n");
	CHECK(m.svcs[0].dests[0].u_thresh == 0, "thresholds reset");
	CHECK(m.svcs[0].line == 3 && m.svcs[0].dests[0].line == 4,
	      "the edits' lines");
}

static void delete_then_add(void)
{
	reset();
	CHECK(!restore("-A -t 10.0.0.1:80\n"
		       "-a -t 10.0.0.1:80 -r 10.1.1.1\n"
		       "-A -t 10.0.0.2:80\n"
		       "-D -t 10.0.0.1:80\n"
		       "-A -t 10.0.0.1:80 -s lc\n"
		       "-a -t 10.0.0.2:80 -r 10.1.1.2\n"
		       "-d -t 10.0.0.2:80 -r 10.1.1.2\n"), "%s", e.msg);
	/* the deleted service's destinations went with it */
	SAME("-A -t 10.0.0.1:80 -s lc\n"
	     "-A -t 10.0.0.2:80 -s wlc\n");
}

static void clear_mid_file(void)
{
	reset();
	CHECK(!restore("-A -t 10.0.0.1:80\n"), "%s", e.msg);
	CHECK(!restore("-A -t 10.0.0.2:80\n"
		       "-C\n"
		       "-A -t 10.0.0.3:80\n"
		       "-A -t 10.0.0.1:80 -s rr\n"), "%s", e.msg);
	SAME("-A -t 10.0.0.1:80 -s rr\n"
	     "-A -t 10.0.0.3:80 -s wlc\n");
}

static void duplicates(void)
{
	reset();
	FAILS_AT("-A -t 10.0.0.1:80\n"
		 "# comment\n"
		 "-A -t 10.0.0.1:80 -s rr\n",
		 3, 255, "line 3: service '-t 10.0.0.1:80' already exists");
	reset();
	FAILS_AT("-A -t 10.0.0.1:80\n"
		 "-a -t 10.0.0.1:80 -r 10.1.1.1\n"
		 "-a -t 10.0.0.1:80 -r 10.1.1.1:80\n",
		 3, 255,
		 "line 3: real server '10.1.1.1:80' already exists in service '-t 10.0.0.1:80'");
	reset();
	/* DR dests take the service's port: the same destination */
	FAILS_AT("-A -t 10.0.0.1:80\n"
		 "-a -t 10.0.0.1:80 -r 10.1.1.1:81\n"
		 "-a -t 10.0.0.1:80 -r 10.1.1.1:82\n",
		 3, 255, "already exists");
	reset();
	CHECK(!restore("-A -t 10.0.0.1:80\n"
		       "-a -t 10.0.0.1:80 -r 10.1.1.1:81 -m\n"
		       "-a -t 10.0.0.1:80 -r 10.1.1.1:82 -m\n"), "NAT ports: %s",
	      e.msg);
	reset();
	FAILS_AT("-A -f 1\n-A -f 1 -6\n-A -f 1\n", 3, 255, "already exists");
}

static void missing(void)
{
	reset();
	FAILS_AT("-a -t 10.0.0.1:80 -r 10.1.1.1\n", 1, 255,
		 "line 1: no such service '-t 10.0.0.1:80'");
	reset();
	FAILS_AT("-A -t 10.0.0.1:80\n-E -t 10.0.0.1:81\n", 2, 255,
		 "no such service '-t 10.0.0.1:81'");
	reset();
	FAILS_AT("-A -t 10.0.0.1:80\n-D -u 10.0.0.1:80\n", 2, 255,
		 "no such service '-u 10.0.0.1:80'");
	reset();
	FAILS_AT("-A -t 10.0.0.1:80\n-e -t 10.0.0.1:80 -r 10.1.1.1\n", 2,
		 255, "no real server '10.1.1.1' in service '-t 10.0.0.1:80'");
	reset();
	FAILS_AT("-A -t 10.0.0.1:80\n-C\n-d -t 10.0.0.1:80 -r 10.1.1.1\n", 3,
		 255, "no such service");
}

static void bad_lines(void)
{
	reset();
	FAILS_AT("-A -t 10.0.0.1:80\n\n-A -t 10.0.0.2:http8\n", 3, 2,
		 "line 3: invalid port 'http8'");
	reset();
	FAILS_AT("-A -t 10.0.0.1:80 -s foo\n", 1, 255,
		 "line 1: unknown scheduler 'foo' (vsd has: rr wrr lc wlc sh)");
	reset();
	FAILS_AT("-A -t 10.0.0.1:80\n-L -n\n", 2, 2,
		 "line 2: '-L' is not allowed in a restore file");
	reset();
	FAILS_AT("-R\n", 1, 2, "'-R' is not allowed");
	reset();
	FAILS_AT("-A -t 10.0.0.1:80\n-a -t 10.0.0.1:80 -r 10.1.1.1 -x 5 -y 6\n",
		 2, 255, "lower threshold 6 is above the upper threshold 5");
	reset();
	FAILS_AT("-A -t 10.0.0.1:80 --bogus\n", 1, 255,
		 "line 1: unknown option '--bogus'");
	reset();
	FAILS_AT("-A -t 10.0.0.1:80\n-a -t 10.0.0.1:80 -r [2001:db8::1]:80\n",
		 2, 2, "differ in address family");
	reset();
	FAILS_AT("10.0.0.1\n", 1, 255, "no command given");
	/* nothing after the bad line is applied (the caller then sends
	 * nothing at all)
	 */
	reset();
	CHECK(restore("-A -t 10.0.0.1:80\n-A -t 10.0.0.1:80\n-A -t 10.0.0.3:80\n") < 0,
	      "fails");
	CHECK(m.live == 1, "stopped at the bad line: %zu", m.live);
}

static void unknown_scheds_without_list(void)
{
	FILE *f;
	int r;

	reset();
	f = fmemopen("-A -t 10.0.0.1:80 -s anything\n", 31, "r");
	r = restore_read(&m, f, NULL, &e, &bad);
	fclose(f);
	CHECK(!r && m.live == 1, "no list: the kernel decides: %s", e.msg);
}

static void many(void)
{
	size_t len = 0, cap = 1 << 20;
	char *text = malloc(cap);
	int i, j;

	reset();
	for (i = 0; i < 2000; i++) {
		len += (size_t)snprintf(text + len, cap - len,
					"-A -t 10.%d.%d.1:80 -s rr\n",
					i / 256, i % 256);
		for (j = 0; j < 5; j++)
			len += (size_t)snprintf(text + len, cap - len,
						"-a -t 10.%d.%d.1:80 -r 192.168.%d.%d -m -w %d\n",
						i / 256, i % 256, j, i % 256,
						j + 1);
	}
	CHECK(!restore(text), "%s", e.msg);
	CHECK(m.live == 2000 && m.svcs[1999].ndests == 5, "%zu", m.live);
	/* delete every other one, then find the rest by key */
	for (i = 0; i < 2000; i += 2)
		model_del(&m, (size_t)i);
	CHECK(m.live == 1000, "%zu", m.live);
	CHECK(model_find(&m, &m.svcs[1999].key) == 1999, "found");
	CHECK(model_find(&m, &m.svcs[0].key) < 0, "dead not found");
	free(text);
}

int main(void)
{
	model_init(&m);
	RUN(basic);
	RUN(comments_and_blanks);
	RUN(edits);
	RUN(delete_then_add);
	RUN(clear_mid_file);
	RUN(duplicates);
	RUN(missing);
	RUN(bad_lines);
	RUN(unknown_scheds_without_list);
	RUN(many);
	model_free(&m);
	return UNIT_DONE();
}
