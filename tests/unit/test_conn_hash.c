// SPDX-License-Identifier: GPL-2.0
/*
 * The connection table's key and hash (kernel/conn_hash.h): hsiphash with a
 * random key per namespace spreads connections evenly over the buckets,
 * whether clients vary by address or by port, and equal keys are exactly
 * the same connection; the table's size follows its connection limit.
 */

#include "kshim.h"
#include "unit.h"
#include "../../kernel/conn_hash.h"

#include <stdlib.h>
#include <string.h>

#define BITS	16
#define NBUCKETS (1u << BITS)
#define NKEYS	(8 * NBUCKETS)

static unsigned int counts[NBUCKETS];

/* xorshift64*: reproducible "random" keys and addresses. */
static u64 rnd_state = 0x9e3779b97f4a7c15ULL;

static u64 rnd(void)
{
	rnd_state ^= rnd_state >> 12;
	rnd_state ^= rnd_state << 25;
	rnd_state ^= rnd_state >> 27;
	return rnd_state * 2685821657736338717ULL;
}

static void random_key(hsiphash_key_t *k)
{
	k->key[0] = rnd();
	k->key[1] = rnd();
}

static struct vsd_conn_key v4_key(u32 caddr, u16 cport, u32 vaddr, u16 vport)
{
	struct vsd_conn_key k;

	memset(&k, 0, sizeof(k));
	k.af = AF_INET;
	k.protocol = 6;
	k.caddr.ip = htonl(caddr);
	k.vaddr.ip = htonl(vaddr);
	k.cport = htons(cport);
	k.vport = htons(vport);
	return k;
}

/*
 * Chi-square of the bucket counts against a uniform spread; for k buckets
 * it is about k - 1 with a standard deviation of sqrt(2 (k - 1)).  Allow
 * 6 deviations: a good hash fails this once in 10^9 runs.
 */
static int spread_ok(const char *what)
{
	double expected = (double)NKEYS / NBUCKETS, chi2 = 0;
	double dof = NBUCKETS - 1;
	unsigned int i, max = 0;
	double dev;

	for (i = 0; i < NBUCKETS; i++) {
		double d = counts[i] - expected;

		chi2 += d * d / expected;
		if (counts[i] > max)
			max = counts[i];
	}
	printf("#   %s: chi2 %.0f (expected %.0f, sd 362), longest chain %u (mean %.0f)\n",
	       what, chi2, dof, max, expected);
	/* (chi2 - dof)^2 < 36 * variance; no libm. */
	dev = chi2 - dof;
	/* Poisson(8): a chain of 30 or more is a 1e-9 event per bucket. */
	return dev * dev < 36 * 2 * dof && max < 30;
}

static void spread(const char *what, struct vsd_conn_key (*gen)(unsigned int))
{
	hsiphash_key_t key;
	unsigned int i;

	random_key(&key);
	memset(counts, 0, sizeof(counts));
	for (i = 0; i < NKEYS; i++) {
		struct vsd_conn_key k = gen(i);

		counts[vsd_conn_key_hash(&k, &key) & (NBUCKETS - 1)]++;
	}
	CHECK(spread_ok(what), "%s: uneven spread", what);
}

/* One client, every source port, several VIPs: a proxy or a NAT gateway. */
static struct vsd_conn_key gen_ports(unsigned int i)
{
	return v4_key(0xc0a80001, 1024 + i % 64000, 0x0a000001 + i / 64000,
		      80);
}

/* Many clients of one subnet, one port each: a crowd behind no NAT. */
static struct vsd_conn_key gen_clients(unsigned int i)
{
	return v4_key(0x0a000000 + i, 40000, 0xc6336401, 443);
}

/* Random IPv6 clients. */
static struct vsd_conn_key gen_v6(unsigned int i)
{
	struct vsd_conn_key k;
	u64 r = rnd();

	memset(&k, 0, sizeof(k));
	k.af = AF_INET6;
	k.protocol = 17;
	k.caddr.all[0] = htonl(0x20010db8);
	k.caddr.all[2] = (u32)r;
	k.caddr.all[3] = (u32)(r >> 32);
	k.vaddr.all[0] = htonl(0x20010db8);
	k.vaddr.all[3] = htonl(1);
	k.cport = htons(i & 0xffff);
	k.vport = htons(53);
	return k;
}

static void distribution(void)
{
	spread("one client, many ports", gen_ports);
	spread("many clients, one port", gen_clients);
	spread("IPv6 clients", gen_v6);
}

/* The shim is the kernel's siphash: SipHash-2-4's reference vectors. */
static void siphash_vectors(void)
{
	siphash_key_t key = { { 0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL } };
	u8 msg[16];
	int i;

	for (i = 0; i < 16; i++)
		msg[i] = i;
	CHECK(siphash(msg, 0, &key) == 0x726fdb47dd0e0e31ULL, "empty");
	CHECK(siphash(msg, 15, &key) == 0xa129ca6149be45e5ULL, "15 bytes");
	CHECK(siphash(msg, 16, &key) == 0x3f2acc7f57c29bdbULL, "16 bytes");
	CHECK(siphash_4u32(0x03020100, 0x07060504, 0x0b0a0908, 0x0f0e0d0c,
			   &key) == 0x3f2acc7f57c29bdbULL, "4u32");
}

/*
 * The shim's hsiphash_4u32(), word by word as the kernel's, is SipHash-1-3
 * of the four words as 16 little-endian bytes, as the kernel's hsiphash().
 */
static void hsiphash_words(void)
{
	hsiphash_key_t key;
	unsigned int i;

	for (i = 0; i < 1000; i++) {
		u32 w[4] = { (u32)rnd(), (u32)rnd(), (u32)rnd(), (u32)rnd() };
		u8 bytes[16];
		int j;

		random_key(&key);
		for (j = 0; j < 16; j++)
			bytes[j] = w[j / 4] >> (8 * (j % 4));
		CHECK(hsiphash_4u32(w[0], w[1], w[2], w[3], &key) ==
		      hsiphash(bytes, sizeof(bytes), &key), "words %u", i);
	}
}

/*
 * Buckets from the connection limit: the next power of two at or above
 * half of it, between 2^8 and 2^20, so that a full table has chains of
 * about 2 (1 to 2 for a lookup that hits).
 */
static void table_bits(void)
{
	static const struct {
		unsigned int conn_max, bits;
	} cases[] = {
		{ 1, 8 }, { 4, 8 }, { 512, 8 }, { 513, 9 }, { 1024, 9 },
		{ 100000, 16 }, { 131072, 16 }, { 131073, 17 },
		{ 1U << 20, 19 }, { 2U << 20, 20 }, { 3U << 20, 20 },
		{ 0xffffffffU, 20 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		CHECK(vsd_conn_tab_bits_for(cases[i].conn_max) == cases[i].bits,
		      "conn_max %u: %u bits, expected %u", cases[i].conn_max,
		      vsd_conn_tab_bits_for(cases[i].conn_max), cases[i].bits);
}

/* Another namespace's key puts the same connections elsewhere. */
static void keyed(void)
{
	hsiphash_key_t a, b;
	unsigned int i, same = 0;

	random_key(&a);
	random_key(&b);
	for (i = 0; i < 10000; i++) {
		struct vsd_conn_key k = gen_ports(i);

		same += (vsd_conn_key_hash(&k, &a) & (NBUCKETS - 1)) ==
			(vsd_conn_key_hash(&k, &b) & (NBUCKETS - 1));
	}
	/* 10000 / 65536 expected by chance. */
	CHECK(same < 10, "%u of 10000 in the same bucket under both keys",
	      same);
}

/* Flipping one input bit flips about half of the hash's 32 bits. */
static void avalanche(void)
{
	hsiphash_key_t key;
	double total = 0;
	unsigned int i, n = 0;

	random_key(&key);
	for (i = 0; i < 2000; i++) {
		struct vsd_conn_key k = gen_clients(i), f = k;
		u32 h = vsd_conn_key_hash(&k, &key);

		f.cport ^= htons(1u << (i % 16));
		total += __builtin_popcount(h ^ vsd_conn_key_hash(&f, &key));
		n++;
	}
	CHECK(total / n > 15.5 && total / n < 16.5, "mean flipped bits %.2f",
	      total / n);
}

/* Every field is part of the key; equal keys hash equally. */
static void equality(void)
{
	hsiphash_key_t key;
	struct vsd_conn_key a = v4_key(0x0a000001, 1234, 0x0a000002, 80), b;

	random_key(&key);
	b = a;
	CHECK(vsd_conn_key_equal(&a, &b), "a copy");
	CHECK(vsd_conn_key_hash(&a, &key) == vsd_conn_key_hash(&b, &key),
	      "a copy's hash");
	b.cport = htons(1235);
	CHECK(!vsd_conn_key_equal(&a, &b), "cport");
	b = a;
	b.vport = htons(81);
	CHECK(!vsd_conn_key_equal(&a, &b), "vport");
	b = a;
	b.caddr.ip ^= htonl(1);
	CHECK(!vsd_conn_key_equal(&a, &b), "caddr");
	b = a;
	b.vaddr.ip ^= htonl(1);
	CHECK(!vsd_conn_key_equal(&a, &b), "vaddr");
	b = a;
	b.protocol = 17;
	CHECK(!vsd_conn_key_equal(&a, &b), "protocol");
	CHECK(vsd_conn_key_hash(&a, &key) != vsd_conn_key_hash(&b, &key),
	      "TCP and UDP of one tuple hash apart");
	b = a;
	b.template = 1;
	CHECK(!vsd_conn_key_equal(&a, &b), "a template is not a connection");
	CHECK(vsd_conn_key_hash(&a, &key) != vsd_conn_key_hash(&b, &key),
	      "template hash");

	/* IPv6: every word of both addresses counts. */
	a = gen_v6(7);
	for (int w = 0; w < 4; w++) {
		b = a;
		b.caddr.all[w] ^= htonl(0x100);
		CHECK(!vsd_conn_key_equal(&a, &b), "caddr word %d", w);
		b = a;
		b.vaddr.all[w] ^= htonl(0x100);
		CHECK(!vsd_conn_key_equal(&a, &b), "vaddr word %d", w);
	}
	b = a;
	CHECK(vsd_conn_key_equal(&a, &b), "IPv6 copy");
	b.af = AF_INET;
	CHECK(!vsd_conn_key_equal(&a, &b), "family");
}

int main(void)
{
	RUN(siphash_vectors);
	RUN(hsiphash_words);
	RUN(table_bits);
	RUN(equality);
	RUN(keyed);
	RUN(avalanche);
	RUN(distribution);
	return UNIT_DONE();
}
