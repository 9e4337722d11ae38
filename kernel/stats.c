// SPDX-License-Identifier: GPL-2.0
/*
 * Counters of services and destinations: per-CPU 64-bit totals summed on
 * read, a zeroing baseline, and IPVS's rate estimator (moving averages
 * updated every 2 s).
 */

#include "compat.h"
#include "stats.h"

#include <linux/slab.h>

int vsd_stats_init(struct vsd_stats *s)
{
	int cpu;

	memset(s, 0, sizeof(*s));
	spin_lock_init(&s->lock);
	s->cpu = alloc_percpu_gfp(struct vsd_cpu_stats, GFP_KERNEL_ACCOUNT);
	if (!s->cpu)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(s->cpu, cpu)->syncp);
	return 0;
}

void vsd_stats_uninit(struct vsd_stats *s)
{
	free_percpu(s->cpu);
	s->cpu = NULL;
}

/* Sum of the per-CPU counters, without the baseline. */
static void sum(struct vsd_stats *s, struct vsd_stats_snap *t)
{
	int cpu;

	memset(t, 0, sizeof(*t));
	for_each_possible_cpu(cpu) {
		struct vsd_cpu_stats *c = per_cpu_ptr(s->cpu, cpu);
		u64 conns, inpkts, outpkts, inbytes, outbytes;
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&c->syncp);
			conns = u64_stats_read(&c->conns);
			inpkts = u64_stats_read(&c->inpkts);
			outpkts = u64_stats_read(&c->outpkts);
			inbytes = u64_stats_read(&c->inbytes);
			outbytes = u64_stats_read(&c->outbytes);
		} while (u64_stats_fetch_retry(&c->syncp, start));
		t->conns += conns;
		t->inpkts += inpkts;
		t->outpkts += outpkts;
		t->inbytes += inbytes;
		t->outbytes += outbytes;
	}
}

void vsd_stats_read(struct vsd_stats *s, struct vsd_stats_snap *tot)
{
	struct vsd_stats_snap now;

	sum(s, &now);
	spin_lock_bh(&s->lock);
	tot->conns = now.conns - s->base.conns;
	tot->inpkts = now.inpkts - s->base.inpkts;
	tot->outpkts = now.outpkts - s->base.outpkts;
	tot->inbytes = now.inbytes - s->base.inbytes;
	tot->outbytes = now.outbytes - s->base.outbytes;
	spin_unlock_bh(&s->lock);
}

/* The averages are kept << 10 per second; round as IPVS does. */
static u64 unscale(u64 avg)
{
	return (avg + 0x1FF) >> 10;
}

void vsd_stats_rates(struct vsd_stats *s, struct vsd_stats_snap *rate)
{
	spin_lock_bh(&s->lock);
	rate->conns = unscale(s->est_avg.conns);
	rate->inpkts = unscale(s->est_avg.inpkts);
	rate->outpkts = unscale(s->est_avg.outpkts);
	rate->inbytes = unscale(s->est_avg.inbytes);
	rate->outbytes = unscale(s->est_avg.outbytes);
	spin_unlock_bh(&s->lock);
}

void vsd_stats_zero(struct vsd_stats *s)
{
	struct vsd_stats_snap now;

	sum(s, &now);
	spin_lock_bh(&s->lock);
	s->base = now;
	s->est_last = now;
	memset(&s->est_avg, 0, sizeof(s->est_avg));
	spin_unlock_bh(&s->lock);
}

/*
 * One step of the moving average: the rate over the last 2 s, per second
 * and << 10, i.e. delta << 9; avg += (rate - avg) / 4.
 */
static void step(u64 *avg, u64 *last, u64 now)
{
	s64 rate = (s64)((now - *last) << 9);

	*last = now;
	*avg += (rate - (s64)*avg) >> 2;
}

void vsd_stats_estimate(struct vsd_stats *s)
{
	struct vsd_stats_snap now;

	sum(s, &now);
	spin_lock_bh(&s->lock);
	step(&s->est_avg.conns, &s->est_last.conns, now.conns);
	step(&s->est_avg.inpkts, &s->est_last.inpkts, now.inpkts);
	step(&s->est_avg.outpkts, &s->est_last.outpkts, now.outpkts);
	step(&s->est_avg.inbytes, &s->est_last.inbytes, now.inbytes);
	step(&s->est_avg.outbytes, &s->est_last.outbytes, now.outbytes);
	spin_unlock_bh(&s->lock);
}
