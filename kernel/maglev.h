/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Maglev hashing (Eisenbud et al., NSDI 2016): the table-population step,
 * pure logic shared by the kernel (sched_mh.c) and the userspace unit test
 * (tests/unit/test_maglev.c).
 *
 * Each destination i has a preference list of table slots: offset_i,
 * offset_i + skip_i, offset_i + 2 skip_i, ... (mod m, m prime, so the list
 * visits every slot).  Destinations take turns, in a fixed order, claiming
 * the next free slot of their list — turns_i slots per round, proportional
 * to the weight — until the table is full.
 *
 * Two bounds refine the classic algorithm, whose disruption grows with the
 * cascade of long searches late in the fill: a turn looks at no more than
 * MAGLEV_LOOKAHEAD preferences (a turn that finds none free is lost), and a
 * destination stops at its share, floor(m * w_i / W) + 1 slots.  Measured
 * with the module's hashes for 100 servers and m = 65537: removing one moves
 * 1.40% of the slots on average and 1.45% at most (classic Maglev: 1.57%
 * and 1.63%), and shares stay within 2.8% of even (classic: one slot).
 * See tests/unit/test_maglev.c.
 */
#ifndef _VSD_MAGLEV_H
#define _VSD_MAGLEV_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/string.h>
#else
/* Userspace: u8..u64 come from the includer (tests/unit/kshim.h). */
#include <string.h>
#endif

/*
 * What a destination's place in the table is hashed from (SipHash-2-4 with
 * the fixed keys below), so that every director computes the same table.
 */
struct maglev_key {
	u8 addr[16];		/* IPv4: the first 4 bytes, the rest 0 */
	u16 port;		/* network order */
	u16 af;
};

#define MAGLEV_OFFSET_KEY { 0x7673642d6d616732ULL, 0x6f66667365742d6bULL }
#define MAGLEV_SKIP_KEY   { 0x7673642d6d616733ULL, 0x736b69702d6b6579ULL }
#define MAGLEV_FLOW_KEY   { 0x7673642d6d616731ULL, 0x666c6f772d6b6579ULL }

struct maglev_dest {
	u32 offset;	/* first preferred slot, < m */
	u32 skip;	/* step through the slots, 1..m-1 */
	u32 turns;	/* slots claimed per round; 0: not in the table */
	u32 weight;	/* sets the share */
	u32 next;	/* scratch: next slot to try */
	u32 left;	/* scratch: slots it may still claim */
};

/* Preferences a turn looks at, at most. */
#define MAGLEV_LOOKAHEAD 4

/* A destination's preference list from its two hashes. */
static inline void maglev_dest_init(struct maglev_dest *d, u64 offset_hash,
				    u64 skip_hash, u32 m, u32 turns,
				    u32 weight)
{
	d->offset = offset_hash % m;
	d->skip = skip_hash % (m - 1) + 1;
	d->turns = turns;
	d->weight = turns ? weight : 0;
}

#define MAGLEV_BITS_PER_WORD (8 * sizeof(unsigned long))

static inline int maglev_used(const unsigned long *used, u32 i)
{
	return (used[i / MAGLEV_BITS_PER_WORD] >> (i % MAGLEV_BITS_PER_WORD)) &
	       1;
}

static inline void maglev_use(unsigned long *used, u32 i)
{
	used[i / MAGLEV_BITS_PER_WORD] |= 1UL << (i % MAGLEV_BITS_PER_WORD);
}

/* Bytes of the scratch bitmap for a table of @m slots. */
static inline size_t maglev_used_size(u32 m)
{
	return (m + MAGLEV_BITS_PER_WORD - 1) / MAGLEV_BITS_PER_WORD *
	       sizeof(unsigned long);
}

/*
 * Fill table[0..m-1] with indices into d[0..n-1].  @used: scratch of
 * maglev_used_size(m) bytes.  Returns 0, or -1 (table untouched) when no
 * destination has turns.
 */
static inline int maglev_populate(u32 *table, u32 m, struct maglev_dest *d,
				  u32 n, unsigned long *used)
{
	u32 filled = 0, i, t, l, c;
	u64 total = 0;

	for (i = 0; i < n; i++)
		total += d[i].weight;
	if (!total)
		return -1;
	for (i = 0; i < n; i++) {
		d[i].next = d[i].offset;
		d[i].left = d[i].weight ? (u32)((u64)m * d[i].weight / total) + 1
					: 0;
	}
	memset(used, 0, maglev_used_size(m));
	/* The shares add up to more than m: the table always fills. */
	while (filled < m) {
		for (i = 0; i < n && filled < m; i++) {
			for (t = 0; t < d[i].turns && d[i].left; t++) {
				for (l = 0; l < MAGLEV_LOOKAHEAD; l++) {
					c = d[i].next;
					d[i].next += d[i].skip;
					if (d[i].next >= m)
						d[i].next -= m;
					if (maglev_used(used, c))
						continue;
					maglev_use(used, c);
					table[c] = i;
					d[i].left--;
					filled++;
					break;
				}
				if (filled == m)
					break;
			}
		}
	}
	return 0;
}

/* Turns per round from the weights: weight / gcd, at most 64 per round. */
static inline u32 maglev_turns(u32 weight, u32 gcd, u32 shift)
{
	u32 t;

	if (!weight)
		return 0;
	t = (weight / gcd) >> shift;
	return t ? t : 1;
}

#endif /* _VSD_MAGLEV_H */
