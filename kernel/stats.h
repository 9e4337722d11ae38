/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VSD_STATS_H
#define _VSD_STATS_H

#include <linux/percpu.h>
#include <linux/types.h>
#include <linux/u64_stats_sync.h>

struct sk_buff;

/* What one CPU counted for a service or a destination. */
struct vsd_cpu_stats {
	u64_stats_t conns;
	u64_stats_t inpkts;
	u64_stats_t outpkts;
	u64_stats_t inbytes;
	u64_stats_t outbytes;
	struct u64_stats_sync syncp;
};

/* Totals, or rates per second. */
struct vsd_stats_snap {
	u64 conns;
	u64 inpkts;
	u64 outpkts;
	u64 inbytes;
	u64 outbytes;
};

/*
 * Counters of a service or a destination: per-CPU totals, the baseline a
 * VSD_CMD_ZERO set (subtracted on read), and the rate estimator's state
 * (moving averages, IPVS's method: every 2 s, avg += (rate - avg) / 4).
 */
struct vsd_stats {
	struct vsd_cpu_stats __percpu *cpu;
	spinlock_t lock;		/* base, est_last, est_avg */
	struct vsd_stats_snap base;
	struct vsd_stats_snap est_last;
	struct vsd_stats_snap est_avg;	/* per second, << 10 */
};

int vsd_stats_init(struct vsd_stats *s);
void vsd_stats_uninit(struct vsd_stats *s);

/* Data path, softirq or process context. */
static inline void vsd_stats_in(struct vsd_stats *s, unsigned int len)
{
	struct vsd_cpu_stats *c = this_cpu_ptr(s->cpu);

	u64_stats_update_begin(&c->syncp);
	u64_stats_inc(&c->inpkts);
	u64_stats_add(&c->inbytes, len);
	u64_stats_update_end(&c->syncp);
}

static inline void vsd_stats_out(struct vsd_stats *s, unsigned int len)
{
	struct vsd_cpu_stats *c = this_cpu_ptr(s->cpu);

	u64_stats_update_begin(&c->syncp);
	u64_stats_inc(&c->outpkts);
	u64_stats_add(&c->outbytes, len);
	u64_stats_update_end(&c->syncp);
}

static inline void vsd_stats_conn(struct vsd_stats *s)
{
	struct vsd_cpu_stats *c = this_cpu_ptr(s->cpu);

	u64_stats_update_begin(&c->syncp);
	u64_stats_inc(&c->conns);
	u64_stats_update_end(&c->syncp);
}

/* Totals since creation or the last zeroing. */
void vsd_stats_read(struct vsd_stats *s, struct vsd_stats_snap *tot);
/* Rates per second (moving averages). */
void vsd_stats_rates(struct vsd_stats *s, struct vsd_stats_snap *rate);
void vsd_stats_zero(struct vsd_stats *s);
/* One estimator tick (every 2 s). */
void vsd_stats_estimate(struct vsd_stats *s);

#endif /* _VSD_STATS_H */
