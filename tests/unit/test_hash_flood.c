// SPDX-License-Identifier: GPL-2.0
/*
 * Hash flooding: crafted tuples cannot pile into one bucket of the
 * connection table, because its hash (kernel/conn_hash.h) is keyed with a
 * random key per table, i.e. per namespace and per module load.
 *
 * An attacker who knows the key (or a hash without one) finds colliding
 * tuples by brute force in a fraction of a second: the first case shows it,
 * so that the others are not vacuous.  Those tuples, found for one key (a
 * namespace the attacker controls and can observe, or a guessed constant),
 * spread under another key like any tuples do.  And whatever regular shape
 * the tuples have (one client and every port, a subnet, IPv6 addresses
 * that differ in one word, NAT reply keys), chains stay short at the load
 * the table is sized for.
 */

#include "kshim.h"
#include "unit.h"
#include "../../kernel/conn_hash.h"

#include <string.h>

/* Wide enough for the kernel's siphash_key_t and hsiphash_key_t. */
struct tkey {
	u64 k[2];
};

static u64 rnd_state = 0x6a09e667f3bcc909ULL;

static u64 rnd(void)
{
	rnd_state ^= rnd_state >> 12;
	rnd_state ^= rnd_state << 25;
	rnd_state ^= rnd_state >> 27;
	return rnd_state * 2685821657736338717ULL;
}

static struct tkey random_key(void)
{
	struct tkey k = { { rnd(), rnd() } };

	return k;
}

static u32 hash(const struct vsd_conn_key *k, const struct tkey *key)
{
	return vsd_conn_key_hash(k, (const void *)key);
}

static struct vsd_conn_key v4(u32 caddr, u16 cport, u32 vaddr, u16 vport,
			      u8 proto)
{
	struct vsd_conn_key k;

	memset(&k, 0, sizeof(k));
	k.af = AF_INET;
	k.protocol = proto;
	k.caddr.ip = htonl(caddr);
	k.vaddr.ip = htonl(vaddr);
	k.cport = htons(cport);
	k.vport = htons(vport);
	return k;
}

/* The attack: N tuples of one /24 and any port in one bucket of 2^12. */
#define ABITS	12
#define AMASK	((1u << ABITS) - 1)
#define ATTACK	512

static struct vsd_conn_key crafted[ATTACK];

/* Brute force under @key: how many hashes it took. */
static unsigned long craft(const struct tkey *key, u32 bucket)
{
	unsigned long tries = 0;
	unsigned int n = 0;
	u32 c;

	for (c = 0; n < ATTACK; c++) {
		struct vsd_conn_key k = v4(0xc6336400 + (c >> 16 & 0xff),
					   c & 0xffff, 0x0a000064, 80, 6);

		tries++;
		if ((hash(&k, key) & AMASK) == bucket)
			crafted[n++] = k;
	}
	return tries;
}

/* The longest chain, and how many buckets are used, of @n keys. */
static unsigned int chains(const struct vsd_conn_key *keys, unsigned int n,
			   const struct tkey *key, unsigned int bits,
			   unsigned int *used)
{
	static unsigned int count[1u << 16];
	unsigned int i, max = 0, mask = (1u << bits) - 1;

	memset(count, 0, sizeof(count));
	*used = 0;
	for (i = 0; i < n; i++) {
		unsigned int *c = &count[hash(&keys[i], key) & mask];

		*used += !*c;
		if (++*c > max)
			max = *c;
	}
	return max;
}

static void known_key_piles_up(void)
{
	struct tkey zero = { { 0, 0 } };
	unsigned int used, max;
	unsigned long tries;

	tries = craft(&zero, 0);
	max = chains(crafted, ATTACK, &zero, ABITS, &used);
	printf("#   key known (zero): %u tuples in bucket 0 after %lu hashes\n",
	       max, tries);
	CHECK(max == ATTACK && used == 1, "crafted tuples: chain %u", max);
}

/*
 * Crafted for one key (a constant, or another namespace's), put under a
 * fresh one: they spread as random tuples do.  512 keys in 4096 buckets:
 * P(a chain of 6 or more) is below 1e-6.
 */
static void crafted_spread(void)
{
	unsigned int round, used, max, worst = 0, fewest = ATTACK;

	for (round = 0; round < 20; round++) {
		struct tkey theirs = random_key(), ours = random_key();

		if (round == 0)
			theirs = (struct tkey){ { 0, 0 } };
		craft(&theirs, round);
		max = chains(crafted, ATTACK, &ours, ABITS, &used);
		if (max > worst)
			worst = max;
		if (used < fewest)
			fewest = used;
	}
	printf("#   crafted for another key, 20 rounds: longest chain %u, at least %u of %u tuples in buckets of their own\n",
	       worst, fewest, ATTACK);
	CHECK(worst < 6, "longest chain %u of %u crafted tuples", worst,
	      ATTACK);
	CHECK(fewest > ATTACK * 9 / 10, "only %u buckets used", fewest);
}

/* Two namespaces, the same tuples: different buckets. */
static void per_namespace(void)
{
	struct tkey a = random_key(), b = random_key();
	unsigned int i, same = 0, n = 20000;

	for (i = 0; i < n; i++) {
		struct vsd_conn_key k = v4(0x0a000000 + i % 100, 1024 + i,
					   0x0a000064, 443, 6);

		same += (hash(&k, &a) & AMASK) == (hash(&k, &b) & AMASK);
	}
	printf("#   same bucket in two namespaces: %u of %u (%u by chance)\n",
	       same, n, n >> ABITS);
	CHECK(same < 3 * (n >> ABITS) + 10, "%u of %u in the same bucket",
	      same, n);
}

/*
 * Regular shapes at the table's load (chains of about two entries at
 * conn_max): 2^17 keys in 2^16 buckets.  Poisson(2): a chain of 16 or more
 * somewhere is a 1e-8 event.
 */
#define LBITS	16
#define LKEYS	(2u << LBITS)

static struct vsd_conn_key shaped[LKEYS];

static void shape(const char *what, void (*gen)(struct vsd_conn_key *, u32))
{
	struct tkey key = random_key();
	unsigned int i, used, max;

	for (i = 0; i < LKEYS; i++)
		gen(&shaped[i], i);
	max = chains(shaped, LKEYS, &key, LBITS, &used);
	printf("#   %s: longest chain %u, %u of %u buckets used\n", what, max,
	       used, 1u << LBITS);
	CHECK(max < 16, "%s: chain of %u", what, max);
	/* 1 - e^-2 of the buckets, about 86%. */
	CHECK(used > (1u << LBITS) * 84 / 100, "%s: %u buckets", what, used);
}

static void one_client(struct vsd_conn_key *k, u32 i)
{
	*k = v4(0xc0000201, i & 0xffff, 0x0a000064 + (i >> 16), 80, 6);
}

static void subnet(struct vsd_conn_key *k, u32 i)
{
	*k = v4(0x0a000000 + i, 12345, 0x0a000064, 80, 17);
}

static void one_bit(struct vsd_conn_key *k, u32 i)
{
	/* Addresses that differ in one bit each, and a few ports. */
	*k = v4(1u << (i % 32), 1000 + (i / 32) % 4096, 1u << (i / 32 / 4096),
		80, 6);
}

static void v6_high_word(struct vsd_conn_key *k, u32 i)
{
	memset(k, 0, sizeof(*k));
	k->af = AF_INET6;
	k->protocol = 6;
	k->caddr.all[0] = htonl(0x20010db8);
	k->caddr.all[1] = htonl(i);		/* only the /64 varies */
	k->caddr.all[3] = htonl(1);
	k->vaddr.all[0] = htonl(0x20010db8);
	k->vaddr.all[3] = htonl(0x100);
	k->cport = htons(40000);
	k->vport = htons(443);
}

static void v6_port_sweep(struct vsd_conn_key *k, u32 i)
{
	memset(k, 0, sizeof(*k));
	k->af = AF_INET6;
	k->protocol = 17;
	k->caddr.all[0] = htonl(0x20010db8);
	k->caddr.all[3] = htonl(i >> 16);
	k->vaddr.all[0] = htonl(0x20010db8);
	k->vaddr.all[3] = htonl(0x100);
	k->cport = htons(i & 0xffff);
	k->vport = htons(53);
}

/* NAT's reply index: (real server's address and port, the client's). */
static void nat_replies(struct vsd_conn_key *k, u32 i)
{
	*k = v4(0x0a000002 + (i >> 16), i & 0xffff, 0x0a000505, 8080, 6);
}

/* Tuples and persistence templates that differ only in the flag. */
static void templates(struct vsd_conn_key *k, u32 i)
{
	*k = v4(0x0a000000 + (i >> 1), 0, 0x0a000064, 80, 6);
	k->template = i & 1;
	if (!k->template)
		k->cport = htons(1);
}

int main(void)
{
	RUN(known_key_piles_up);
	RUN(crafted_spread);
	RUN(per_namespace);
	shape("one client, every port, 2 VIPs", one_client);
	shape("a /15 of clients, one port", subnet);
	shape("addresses one bit apart", one_bit);
	shape("IPv6 clients differing in their /64", v6_high_word);
	shape("IPv6 clients sweeping ports", v6_port_sweep);
	shape("NAT reply keys", nat_replies);
	shape("connections and templates", templates);
	printf("[%s] %s: regular shapes at full load\n",
	       unit_failed ? "FAIL" : " OK ", __FILE__);
	return UNIT_DONE();
}
