// SPDX-License-Identifier: GPL-2.0
/*
 * pgrun: start pktgen in the current network namespace and measure the
 * run from the inside, without the cost of starting the processes that
 * drive it (which in the test VM is many times that of a short run).
 *
 *   ip netns exec gen pgrun
 *
 * Writes "start" to /proc/net/pktgen/pgctrl (it returns when every device
 * of the namespace's pktgen threads has sent its count) and prints
 * "WALL_NS BUSY_NS": CLOCK_MONOTONIC over the run, and the CPU time that
 * was not idle over it, all CPUs together: WALL_NS * CPUs - idle, idle
 * being the idle and iowait sleep times /proc/timer_list reports per CPU.
 *
 *   pgrun --quiet SECONDS
 *
 * waits, at most SECONDS, until the CPUs were 95% idle over one second (what
 * a previous run left, cleanup of a namespace, RCU callbacks, is done), in
 * one process: starting processes to look would keep the CPU busy.
 *
 *   pgrun --busy SECONDS
 *
 * prints the share of CPU time that was not idle over SECONDS (what
 * background work costs: a connection collector, timers).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Idle time of all CPUs so far, ns; *ncpus: how many were counted. */
static long long idle_ns(int *ncpus)
{
	FILE *f = fopen("/proc/timer_list", "r");
	char line[256];
	long long sum = 0, v;
	int n = 0;

	if (!f) {
		perror("pgrun: /proc/timer_list");
		exit(1);
	}
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, " .idle_sleeptime : %lld", &v) == 1) {
			sum += v;
			n++;
		} else if (sscanf(line, " .iowait_sleeptime: %lld", &v) == 1) {
			sum += v;
		}
	}
	fclose(f);
	if (!n) {
		fprintf(stderr, "pgrun: no idle_sleeptime in /proc/timer_list\n");
		exit(1);
	}
	*ncpus = n;
	return sum;
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int quiet(int seconds)
{
	long long i0, i1, t0, t1, end = now_ns() + seconds * 1000000000LL;
	int n;

	do {
		i0 = idle_ns(&n);
		t0 = now_ns();
		sleep(1);
		t1 = now_ns();
		i1 = idle_ns(&n);
		if ((i1 - i0) * 100 >= (t1 - t0) * n * 95)
			return 0;
	} while (t1 < end);
	return 1;
}

int main(int argc, char **argv)
{
	const char *ctl = argc > 1 ? argv[1] : "/proc/net/pktgen/pgctrl";
	long long i0, i1, t0, t1;
	FILE *f;
	int n;

	if (argc > 2 && !strcmp(argv[1], "--quiet"))
		return quiet(atoi(argv[2]));
	if (argc > 2 && !strcmp(argv[1], "--busy")) {
		i0 = idle_ns(&n);
		t0 = now_ns();
		sleep(atoi(argv[2]));
		t1 = now_ns();
		i1 = idle_ns(&n);
		printf("%.4f\n", 1 - (double)(i1 - i0) / ((t1 - t0) * n));
		return 0;
	}
	f = fopen(ctl, "w");
	if (!f) {
		fprintf(stderr, "pgrun: %s: %s\n", ctl, strerror(errno));
		return 1;
	}
	setvbuf(f, NULL, _IONBF, 0);
	i0 = idle_ns(&n);
	t0 = now_ns();
	if (fputs("start\n", f) == EOF) {
		fprintf(stderr, "pgrun: start: %s\n", strerror(errno));
		return 1;
	}
	t1 = now_ns();
	i1 = idle_ns(&n);
	fclose(f);
	printf("%lld %lld\n", t1 - t0, (t1 - t0) * n - (i1 - i0));
	return 0;
}
