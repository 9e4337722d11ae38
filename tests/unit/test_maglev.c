// SPDX-License-Identifier: GPL-2.0
/*
 * Maglev table population (kernel/maglev.h): balance, weights, determinism,
 * and the disruption bound the mh scheduler promises: removing 1 of 100
 * destinations from a 65537-slot table moves at most 1.6% of the slots.
 */

#include "kshim.h"
#include "../../kernel/maglev.h"

#include "unit.h"

#include <arpa/inet.h>
#include <stdint.h>

#define M 65537
#define N 100

static uint64_t splitmix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* Destination "id" has fixed offset and skip, as a hash of its address. */
static void dest_init(struct maglev_dest *d, uint32_t id, uint32_t m,
		      uint32_t weight)
{
	maglev_dest_init(d, splitmix(id), splitmix(id + 0x10000), m,
			 maglev_turns(weight, 1, 0), weight);
}

static uint32_t table_a[M], table_b[M];
static unsigned long used[(M + 63) / 64];

/* Fill @table (as destination ids) from ids[0..n-1] with their weights. */
static void build(uint32_t *table, const uint32_t *ids, const uint32_t *w,
		  uint32_t n, uint32_t m)
{
	static struct maglev_dest d[N + 1];
	static uint32_t idx[M];
	uint32_t i;

	for (i = 0; i < n; i++)
		dest_init(&d[i], ids[i], m, w ? w[i] : 1);
	CHECK(maglev_populate(idx, m, d, n, used) == 0, "populate");
	for (i = 0; i < m; i++)
		table[i] = ids[idx[i]];
}

static void balance(void)
{
	uint32_t ids[N], count[N] = { 0 }, i, lo = M, hi = 0;

	for (i = 0; i < N; i++)
		ids[i] = i;
	build(table_a, ids, NULL, N, M);
	for (i = 0; i < M; i++)
		count[table_a[i]]++;
	for (i = 0; i < N; i++) {
		lo = count[i] < lo ? count[i] : lo;
		hi = count[i] > hi ? count[i] : hi;
	}
	/* Shares: at most floor(m/n) + 1, at least 97% of even. */
	CHECK(hi <= M / N + 1, "a destination has %u slots", hi);
	CHECK(lo * 100 >= 97 * (M / N), "a destination has only %u slots", lo);
	printf("# %d destinations: %u..%u slots each (even: %.1f)\n", N, lo,
	       hi, (double)M / N);
}

static void disruption(void)
{
	uint32_t ids[N], rest[N - 1], k, i, j, moved, worst = 0;

	for (i = 0; i < N; i++)
		ids[i] = 1000 + i * 7;
	build(table_a, ids, NULL, N, M);
	/* Remove each of ten destinations in turn. */
	for (k = 0; k < N; k += 10) {
		for (i = 0, j = 0; i < N; i++)
			if (i != k)
				rest[j++] = ids[i];
		build(table_b, rest, NULL, N - 1, M);
		moved = 0;
		for (i = 0; i < M; i++)
			moved += table_a[i] != table_b[i];
		CHECK(moved * 1000 <= M * 16,
		      "removing destination %u moved %u of %u slots (%.2f%%)",
		      k, moved, M, 100.0 * moved / M);
		/* At least the removed one's own slots move. */
		CHECK(moved >= M / N, "moved %u", moved);
		worst = moved > worst ? moved : worst;
	}
	printf("# removing 1 of %d destinations moves at most %.2f%% of %d slots\n",
	       N, 100.0 * worst / M, M);
}

/*
 * The module's own hashes (SipHash-2-4, fixed keys, struct maglev_key) for
 * a pool of 100 servers 10.0.0.1-100:80: every one of the 100 possible
 * removals moves at most 1.6% of a 65537-slot table.
 */
static void module_pool(void)
{
	static const uint64_t okey[2] = MAGLEV_OFFSET_KEY;
	static const uint64_t skey[2] = MAGLEV_SKIP_KEY;
	static struct maglev_dest d[N];
	static uint32_t idx[M];
	uint32_t k, i, j, moved, worst = 0, total = 0;

	for (k = 0; k <= N; k++) {
		/* k == N: the full pool; else the pool without server k. */
		for (i = 0, j = 0; i < N; i++) {
			struct maglev_key key = { .af = 2,
						  .port = htons(80) };

			if (i == k)
				continue;
			key.addr[0] = 10;
			key.addr[3] = i + 1;
			maglev_dest_init(&d[j++], siphash24(&key, sizeof(key),
							    okey),
					 siphash24(&key, sizeof(key), skey), M, 1,
					 1);
		}
		CHECK(!maglev_populate(idx, M, d, j, used), "populate");
		/* Slots as server numbers, to compare across tables. */
		for (i = 0; i < M; i++)
			(k == N ? table_a : table_b)[i] =
				idx[i] + (k < N && idx[i] >= k);
		if (k == N)
			break;
	}
	for (k = 0; k < N; k++) {
		for (i = 0, j = 0; i < N; i++) {
			struct maglev_key key = { .af = 2,
						  .port = htons(80) };

			if (i == k)
				continue;
			key.addr[0] = 10;
			key.addr[3] = i + 1;
			maglev_dest_init(&d[j++], siphash24(&key, sizeof(key),
							    okey),
					 siphash24(&key, sizeof(key), skey), M, 1,
					 1);
		}
		maglev_populate(idx, M, d, N - 1, used);
		moved = 0;
		for (i = 0; i < M; i++)
			moved += table_a[i] != idx[i] + (idx[i] >= k);
		CHECK(moved * 1000 <= M * 16,
		      "removing 10.0.0.%u moved %.3f%% of the slots", k + 1,
		      100.0 * moved / M);
		worst = moved > worst ? moved : worst;
		total += moved;
	}
	printf("# pool 10.0.0.1-100:80, module hashes: removing one moves %.3f%% on average, %.3f%% at most\n",
	       100.0 * total / N / M, 100.0 * worst / M);
}

/* The reference SipHash-2-4 vector: key 00..0f, message 00..0e. */
static void siphash_vector(void)
{
	static const uint64_t key[2] = { 0x0706050403020100ULL,
					 0x0f0e0d0c0b0a0908ULL };
	uint8_t msg[15];
	int i;

	for (i = 0; i < 15; i++)
		msg[i] = i;
	CHECK(siphash24(msg, 15, key) == 0xa129ca6149be45e5ULL,
	      "siphash24 = %016llx",
	      (unsigned long long)siphash24(msg, 15, key));
}

static void addition(void)
{
	uint32_t ids[N], moved = 0, i;

	for (i = 0; i < N; i++)
		ids[i] = 5000 + i;
	build(table_a, ids, NULL, N - 1, M);
	build(table_b, ids, NULL, N, M);
	for (i = 0; i < M; i++)
		moved += table_a[i] != table_b[i];
	CHECK(moved * 1000 <= M * 16, "adding one moved %.2f%%",
	      100.0 * moved / M);
}

static void weights(void)
{
	uint32_t ids[4] = { 1, 2, 3, 4 }, w[4] = { 1, 2, 3, 0 };
	uint32_t count[5] = { 0 }, i;

	build(table_a, ids, w, 4, M);
	for (i = 0; i < M; i++)
		count[table_a[i]]++;
	CHECK(!count[4], "weight 0 owns %u slots", count[4]);
	CHECK(count[2] > 1.95 * count[1] && count[2] < 2.05 * count[1],
	      "weight 2: %u vs weight 1: %u", count[2], count[1]);
	CHECK(count[3] > 2.95 * count[1] && count[3] < 3.05 * count[1],
	      "weight 3: %u vs weight 1: %u", count[3], count[1]);
}

static void determinism(void)
{
	uint32_t ids[N], i, same = 1;

	for (i = 0; i < N; i++)
		ids[i] = 77 + i;
	build(table_a, ids, NULL, N, 4093);
	build(table_b, ids, NULL, N, 4093);
	for (i = 0; i < 4093; i++)
		same &= table_a[i] == table_b[i];
	CHECK(same, "two builds of the same set differ");
}

static void nothing(void)
{
	struct maglev_dest d = { .offset = 1, .skip = 1, .turns = 0,
				 .weight = 0 };

	table_a[0] = 12345;
	CHECK(maglev_populate(table_a, 251, &d, 1, used) == -1,
	      "no destination with turns");
	CHECK(table_a[0] == 12345, "table touched");
	CHECK(maglev_turns(0, 1, 0) == 0 && maglev_turns(5, 5, 0) == 1 &&
	      maglev_turns(1000, 1, 4) == 62 && maglev_turns(1, 1, 4) == 1,
	      "turns");
}

int main(void)
{
	RUN(balance);
	RUN(siphash_vector);
	RUN(disruption);
	RUN(module_pool);
	RUN(addition);
	RUN(weights);
	RUN(determinism);
	RUN(nothing);
	return UNIT_DONE();
}
