// SPDX-License-Identifier: GPL-2.0
/*
 * -R: simulate ipvsadm command lines on a model (see restore.h).
 */

#include "restore.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int sched_check(const char *name, const char * const *scheds,
		struct err *e)
{
	char list[256] = "";
	size_t i, len = 0;

	if (!scheds || !scheds[0])
		return 0;
	for (i = 0; scheds[i]; i++) {
		if (!strcmp(scheds[i], name))
			return 0;
		if (len < sizeof(list))
			len += (size_t)snprintf(list + len, sizeof(list) - len,
						"%s%s", i ? " " : "",
						scheds[i]);
	}
	return err_set(e, 255, "unknown scheduler '%s' (vsd has: %s)", name,
		       list);
}

/* "-t 10.0.0.1:80" as the user wrote it. */
static const char *svc_text(const struct cmdline *c, char *buf, size_t len)
{
	snprintf(buf, len, "%s %s", c->spell[OPTC_SERVICE], c->svc_arg);
	return buf;
}

static struct service *find_service(struct model *m,
				    const struct cmdline *c, struct err *e)
{
	char t[128];
	long i = model_find(m, &c->svc.key);

	if (i < 0) {
		err_set(e, 255, "no such service '%s'",
			svc_text(c, t, sizeof(t)));
		return NULL;
	}
	return &m->svcs[i];
}

static int apply_service(struct model *m, const struct cmdline *c,
			 int line, const char * const *scheds,
			 struct err *e)
{
	struct service *s;
	char t[128];

	if (c->cmd == CMD_ADD) {
		if (model_find(m, &c->svc.key) >= 0)
			return err_set(e, 255, "service '%s' already exists",
				       svc_text(c, t, sizeof(t)));
		if (c->sched_arg && sched_check(c->sched_arg, scheds, e) < 0)
			return -1;
		if (model_add(m, &c->svc) < 0)
			return err_set(e, 1, "out of memory");
		m->svcs[m->n - 1].line = line;
		return 0;
	}
	s = find_service(m, c, e);
	if (!s)
		return -1;
	if (c->cmd == CMD_DEL) {
		model_del(m, (size_t)(s - m->svcs));
		return 0;
	}
	if (c->sched_arg && sched_check(c->sched_arg, scheds, e) < 0)
		return -1;
	/* -E: what is not given takes its default, as with ipvsadm */
	memcpy(s->sched, c->svc.sched, sizeof(s->sched));
	s->flags = c->svc.flags;
	s->timeout = c->svc.timeout;
	s->netmask = c->svc.netmask;
	s->line = line;
	return 0;
}

static int apply_dest(struct model *m, const struct cmdline *c, int line,
		      struct err *e)
{
	const struct dest *cd = &c->dest;
	struct service *s;
	struct dest *d, nd;
	char t[128];

	s = find_service(m, c, e);
	if (!s)
		return -1;
	d = svc_find_dest(s, cd->af, &cd->addr, cd->port);
	if (c->cmd == CMD_ADDDEST && d)
		return err_set(e, 255,
			       "real server '%s' already exists in service '%s'",
			       c->dest_arg, svc_text(c, t, sizeof(t)));
	if (c->cmd != CMD_ADDDEST && !d)
		return err_set(e, 255, "no real server '%s' in service '%s'",
			       c->dest_arg, svc_text(c, t, sizeof(t)));
	if (c->cmd == CMD_DELDEST) {
		svc_del_dest(s, d);
		return 0;
	}
	if (cd->u_thresh && cd->l_thresh > cd->u_thresh)
		return err_set(e, 255,
			       "lower threshold %u is above the upper threshold %u",
			       cd->l_thresh, cd->u_thresh);
	if (!d) {
		memset(&nd, 0, sizeof(nd));
		nd.af = cd->af;
		nd.addr = cd->addr;
		nd.port = cd->port;
		d = svc_add_dest(s, &nd);
		if (!d)
			return err_set(e, 1, "out of memory");
	}
	d->fwd = cd->fwd;
	d->weight = cd->weight;
	d->u_thresh = cd->u_thresh;
	d->l_thresh = cd->l_thresh;
	d->line = line;
	return 0;
}

int model_apply(struct model *m, const struct cmdline *c, int line,
		const char * const *scheds, struct err *e)
{
	switch (c->cmd) {
	case CMD_FLUSH:
		model_clear(m);
		return 0;
	case CMD_ADD:
	case CMD_EDIT:
	case CMD_DEL:
		return apply_service(m, c, line, scheds, e);
	case CMD_ADDDEST:
	case CMD_EDITDEST:
	case CMD_DELDEST:
		return apply_dest(m, c, line, e);
	}
	return err_set(e, 2,
		       "'%s' is not allowed in a restore file (only -A -E -D -a -e -d -C)",
		       c->cmd_spell);
}

/* Split @line in place into argv[1..]; returns argc (argv[0] included). */
static int tokenize(char *line, char ***argvp, size_t *cap)
{
	char **argv = *argvp, *p = line;
	int argc = 1;

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			p++;
		if (!*p || *p == '#')
			break;
		if ((size_t)argc + 1 >= *cap) {
			size_t ncap = *cap * 2;
			char **n = realloc(argv, ncap * sizeof(*n));

			if (!n)
				return -1;
			argv = n;
			*argvp = n;
			*cap = ncap;
		}
		argv[argc++] = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\r' &&
		       *p != '\n')
			p++;
		if (*p)
			*p++ = '\0';
	}
	argv[argc] = NULL;
	return argc;
}

int restore_read(struct model *m, FILE *in, const char * const *scheds,
		 struct err *e, int *bad)
{
	size_t cap = 64, lcap = 0;
	struct cmdline *c;
	char *buf = NULL;
	char **argv;
	int lineno = 0, ret = -1;
	ssize_t len;

	argv = malloc(cap * sizeof(*argv));
	c = malloc(sizeof(*c));
	if (!argv || !c) {
		err_set(e, 1, "out of memory");
		goto out;
	}
	argv[0] = "vsdctl";
	while ((len = getline(&buf, &lcap, in)) >= 0) {
		char **args;
		int argc;

		lineno++;
		argc = tokenize(buf, &argv, &cap);
		if (argc < 0) {
			err_set(e, 1, "out of memory");
			goto fail;
		}
		args = argv;
		if (argc > 1 && (!strcmp(argv[1], "ipvsadm") ||
				 !strcmp(argv[1], "vsdctl"))) {
			args++;
			argc--;
		}
		if (argc < 2)
			continue;
		args[0] = "vsdctl";
		if (cmdline_parse(c, argc, args, e) < 0 ||
		    model_apply(m, c, lineno, scheds, e) < 0)
			goto fail;
	}
	if (ferror(in)) {
		err_set(e, 1, "cannot read the input: %s", strerror(errno));
		goto out;
	}
	ret = 0;
	goto out;
fail:
	{
		char msg[sizeof(e->msg)];

		snprintf(msg, sizeof(msg), "%s", e->msg);
		err_set(e, e->status, "line %d: %s", lineno, msg);
		*bad = lineno;
	}
out:
	free(buf);
	free(argv);
	free(c);
	return ret;
}
