// SPDX-License-Identifier: GPL-2.0
/*
 * connhash: the instruction cost of vsd's connection lookup in userspace,
 * for callgrind (bench/callgrind.sh).  The key, its hash and its
 * comparison are the module's own (kernel/conn_hash.h, with
 * tests/unit/kshim.h, whose hash functions compute word by word as the
 * kernel's); the table is laid out as kernel/conn.c's: a chain per bucket,
 * linked through the first member of each entry, the key right after it.
 *
 *   connhash N BITS LOOKUPS [siphash]
 *
 * fills a table of 2^BITS buckets with N connections (the clients of
 * bench/dataplane.sh: 10.1.0.x:10000+ to 10.0.0.100:9, UDP), then looks
 * up LOOKUPS random ones of them in lookups(), the function to count:
 *
 *   valgrind --tool=callgrind --collect-atstart=no \
 *	--toggle-collect=lookups bench/bin/connhash 1000000 19 100000
 *
 * With "siphash", the bucket index is the module's hash before it moved to
 * hsiphash (siphash_4u32 of the same words), for comparison.
 *
 * Prints the mean number of entries compared per lookup.
 */
#include "kshim.h"
#include "../../kernel/conn_hash.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct entry {
	struct entry *next;		/* hlist_node: next, then pprev */
	struct entry **pprev;
	struct vsd_conn_key key;
	unsigned char rest[112 - 16 - sizeof(struct vsd_conn_key)];
};

static struct entry **buckets;
static unsigned int mask;
static hsiphash_key_t seed = { { 0x0123456789abcdefULL, 0xfedcba9876543210ULL } };
static siphash_key_t sseed = { { 0x0123456789abcdefULL, 0xfedcba9876543210ULL } };
static unsigned long compared;
static int use_siphash;

/* The module's bucket hash up to 61c1f37: SipHash-2-4. */
static u32 key_siphash(const struct vsd_conn_key *k)
{
	u32 ports = (u32)k->cport << 16 | k->vport;
	u32 meta = (u32)k->af | (u32)k->protocol << 8 | (u32)k->template << 16;

	return (u32)siphash_4u32(k->caddr.ip, k->vaddr.ip, ports, meta, &sseed);
}

static u32 key_hash(const struct vsd_conn_key *k)
{
	return use_siphash ? key_siphash(k) : vsd_conn_key_hash(k, &seed);
}

static struct vsd_conn_key key_of(unsigned long i, unsigned long ports)
{
	struct vsd_conn_key k;

	memset(&k, 0, sizeof(k));
	k.af = AF_INET;
	k.protocol = IPPROTO_UDP;
	k.caddr.ip = htonl(0x0a010001 + i / ports);	/* 10.1.0.1 + */
	k.cport = htons(10000 + i % ports);
	k.vaddr.ip = htonl(0x0a000064);			/* 10.0.0.100 */
	k.vport = htons(9);
	return k;
}

/* kernel/conn.c's vsd_conn_lookup(), without RCU and expiry. */
static __attribute__((noinline)) struct entry *
lookup(const struct vsd_conn_key *key)
{
	u32 hash = key_hash(key);
	struct entry *e;

	for (e = buckets[hash & mask]; e; e = e->next) {
		compared++;
		if (vsd_conn_key_equal(&e->key, key))
			return e;
	}
	return NULL;
}

static __attribute__((noinline)) unsigned long
lookups(const struct vsd_conn_key *keys, unsigned long n)
{
	unsigned long i, found = 0;

	for (i = 0; i < n; i++)
		found += lookup(&keys[i]) != NULL;
	return found;
}

int main(int argc, char **argv)
{
	unsigned long n, nl, i, ports, found;
	struct vsd_conn_key *keys;
	struct entry *pool;
	unsigned int bits;
	u64 r = 0x9e3779b97f4a7c15ULL;

	if (argc != 4 && !(argc == 5 && !strcmp(argv[4], "siphash"))) {
		fprintf(stderr, "usage: connhash N BITS LOOKUPS [siphash]\n");
		return 2;
	}
	use_siphash = argc == 5;
	n = strtoul(argv[1], NULL, 0);
	bits = strtoul(argv[2], NULL, 0);
	nl = strtoul(argv[3], NULL, 0);
	if (!n || bits < 1 || bits > 26 || !nl)
		return 2;
	ports = n < 50001 ? n : 50001;
	mask = (1u << bits) - 1;
	buckets = calloc(mask + 1UL, sizeof(*buckets));
	pool = calloc(n, sizeof(*pool));
	keys = calloc(nl, sizeof(*keys));
	if (!buckets || !pool || !keys)
		return 1;
	/* In the order pktgen makes them; each new one at its chain's head. */
	for (i = 0; i < n; i++) {
		struct entry **head;

		pool[i].key = key_of(i, ports);
		head = &buckets[key_hash(&pool[i].key) & mask];
		pool[i].next = *head;
		*head = &pool[i];
	}
	for (i = 0; i < nl; i++) {
		r ^= r >> 12;
		r ^= r << 25;
		r ^= r >> 27;
		keys[i] = key_of((r * 2685821657736338717ULL >> 11) % n, ports);
	}
	found = lookups(keys, nl);
	printf("%lu connections, %u buckets: %lu of %lu found, %.2f entries compared per lookup\n",
	       n, mask + 1, found, nl, (double)compared / nl);
	return found == nl ? 0 : 1;
}
