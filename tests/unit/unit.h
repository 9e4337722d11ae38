/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal ksft-style harness for userspace unit tests: one "[ OK ]" or
 * "[FAIL]" line per case, a summary, exit status 0 or 1.
 */
#ifndef VSD_UNIT_H
#define VSD_UNIT_H

#include <stdio.h>
#include <stdlib.h>

static int unit_failed, unit_passed;

#define CHECK(cond, ...)						\
	do {								\
		if (cond) {						\
			unit_passed++;					\
		} else {						\
			unit_failed++;					\
			printf("#   %s:%d: check failed: %s: ",		\
			       __FILE__, __LINE__, #cond);		\
			printf(__VA_ARGS__);				\
			printf("\n");					\
		}							\
	} while (0)

/* Run one case: a function; it reports through CHECK(). */
#define RUN(fn)								\
	do {								\
		int before = unit_failed;				\
		fn();							\
		printf("[%s] %s: %s\n",					\
		       unit_failed == before ? " OK " : "FAIL",		\
		       __FILE__, #fn);					\
	} while (0)

/* The summary line and the exit status of a test program. */
#define UNIT_DONE()							\
	(printf("# %s: %d checks passed, %d failed\n", __FILE__,	\
		unit_passed, unit_failed), unit_failed ? 1 : 0)

#endif /* VSD_UNIT_H */
