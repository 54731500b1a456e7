/* Unit tests for the open-addressing hash table (src/util/hashmap.c). */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hashmap.h"

struct ent {
	long key;
	long val;
};

static bool ent_eq(const void *e, const void *k)
{
	return ((const struct ent *)e)->key == *(const long *)k;
}

static struct ent *find(struct hmap *m, long key, uint64_t (*h)(long))
{
	return hmap_find(m, h(key), ent_eq, &key);
}

static struct ent *add(struct hmap *m, long key, long val, uint64_t (*h)(long))
{
	struct ent *e = hmap_insert(m, h(key));
	cr_assert_not_null(e);
	cr_assert_eq(e->key, 0, "new entries are zero-filled");
	cr_assert_eq(e->val, 0);
	e->key = key;
	e->val = val;
	return e;
}

static uint64_t good_hash(long k)
{
	return hash_u64((uint64_t)k);
}

/* Everything in one probe run: stresses collisions and deletion. */
static uint64_t bad_hash(long k)
{
	(void)k;
	return 5;
}

/* Two home slots only, interleaved runs. */
static uint64_t two_hash(long k)
{
	return (uint64_t)(k & 1) * 7;
}

/* Keys 0..n-1 all present with val = key * 10, and nothing else. */
static void check_exactly(struct hmap *m, long n, const bool *present, uint64_t (*h)(long))
{
	size_t seen = 0;
	for (long k = 0; k < n; k++) {
		struct ent *e = find(m, k, h);
		if (present[k]) {
			cr_assert_not_null(e, "key %ld missing", k);
			cr_assert_eq(e->key, k);
			cr_assert_eq(e->val, k * 10);
			seen++;
		} else {
			cr_assert_null(e, "key %ld should be gone", k);
		}
	}
	cr_assert_eq(m->count, seen);
	size_t pos = 0, walked = 0;
	for (struct ent *e; (e = hmap_next(m, &pos));) {
		cr_assert(e->key >= 0 && e->key < n && present[e->key]);
		walked++;
	}
	cr_assert_eq(walked, seen);
}

Test(util_hashmap, empty_table)
{
	struct hmap m;
	hmap_init(&m, sizeof(struct ent));
	cr_assert_eq(m.cap, 0);
	cr_assert_eq(m.count, 0);
	cr_assert_null(find(&m, 1, good_hash));
	size_t pos = 0;
	cr_assert_null(hmap_next(&m, &pos));
	hmap_clear(&m);
	hmap_free(&m);
	hmap_free(&m); /* twice is harmless */
}

Test(util_hashmap, insert_find_many_grows)
{
	struct hmap m;
	hmap_init(&m, sizeof(struct ent));
	enum { N = 5000 };
	static bool present[N];
	for (long k = 0; k < N; k++) {
		add(&m, k, k * 10, good_hash);
		present[k] = true;
		cr_assert_leq(m.count * 2, m.cap, "at most half full");
		cr_assert_eq(m.cap & (m.cap - 1), 0, "power of two");
	}
	check_exactly(&m, N, present, good_hash);
	cr_assert_null(find(&m, N, good_hash));
	cr_assert_null(find(&m, -1, good_hash));
	hmap_free(&m);
}

static void churn(uint64_t (*h)(long), long n)
{
	struct hmap m;
	hmap_init(&m, sizeof(struct ent));
	bool *present = calloc((size_t)n, sizeof(bool));
	for (long k = 0; k < n; k++) {
		add(&m, k, k * 10, h);
		present[k] = true;
	}
	/* Remove every third, then check everything still resolves. */
	for (long k = 0; k < n; k += 3) {
		struct ent *e = find(&m, k, h);
		cr_assert_not_null(e);
		hmap_remove(&m, e);
		present[k] = false;
	}
	check_exactly(&m, n, present, h);
	/* Remove from the middle of runs, in reverse. */
	for (long k = n - 1; k >= 0; k -= 2) {
		struct ent *e = find(&m, k, h);
		if (present[k]) {
			cr_assert_not_null(e);
			hmap_remove(&m, e);
			present[k] = false;
		} else {
			cr_assert_null(e);
		}
	}
	check_exactly(&m, n, present, h);
	/* Re-add the removed ones. */
	for (long k = 0; k < n; k++) {
		if (!present[k]) {
			add(&m, k, k * 10, h);
			present[k] = true;
		}
	}
	check_exactly(&m, n, present, h);
	/* Remove everything. */
	for (long k = 0; k < n; k++)
		hmap_remove(&m, find(&m, k, h));
	cr_assert_eq(m.count, 0);
	for (size_t i = 0; i < m.cap; i++)
		cr_assert_eq(m.hashes[i], 0);
	hmap_free(&m);
	free(present);
}

Test(util_hashmap, deletion_with_spread_hashes)
{
	churn(good_hash, 3000);
}

Test(util_hashmap, deletion_when_everything_collides)
{
	churn(bad_hash, 300);
}

Test(util_hashmap, deletion_with_interleaved_runs)
{
	churn(two_hash, 300);
}

Test(util_hashmap, runs_wrap_around_the_end)
{
	/* Home slot = last slot of a 16-slot table: runs wrap to slot 0. */
	struct hmap m;
	hmap_init(&m, sizeof(struct ent));
	cr_assert(hmap_reserve(&m, 8));
	cr_assert_eq(m.cap, 16);
	for (long k = 0; k < 8; k++) {
		struct ent *e = hmap_insert(&m, 15);
		e->key = k;
		e->val = k * 10;
	}
	cr_assert_eq(m.cap, 16, "reserved: no growth");
	for (long k = 0; k < 8; k++) {
		long key = k;
		cr_assert_not_null(hmap_find(&m, 15, ent_eq, &key));
	}
	/* Delete the one at the home slot; the wrapped ones must move up. */
	long k0 = 0;
	hmap_remove(&m, hmap_find(&m, 15, ent_eq, &k0));
	for (long k = 1; k < 8; k++) {
		long key = k;
		struct ent *e = hmap_find(&m, 15, ent_eq, &key);
		cr_assert_not_null(e);
		cr_assert_eq(e->val, k * 10);
	}
	cr_assert_eq(m.hashes[0] != 0, true);
	cr_assert_eq(m.hashes[6], 0, "the run shrank by one");
	hmap_free(&m);
}

Test(util_hashmap, get_finds_or_creates)
{
	struct hmap m;
	hmap_init(&m, sizeof(struct ent));
	bool created;
	long k = 42;
	struct ent *e = hmap_get(&m, good_hash(k), ent_eq, &k, &created);
	cr_assert_not_null(e);
	cr_assert(created);
	e->key = k;
	e->val = 1;
	e = hmap_get(&m, good_hash(k), ent_eq, &k, &created);
	cr_assert_not(created);
	cr_assert_eq(e->val, 1);
	cr_assert_eq(m.count, 1);
	hmap_free(&m);
}

Test(util_hashmap, same_hash_different_keys)
{
	struct hmap m;
	hmap_init(&m, sizeof(struct ent));
	add(&m, 1, 10, bad_hash);
	add(&m, 2, 20, bad_hash);
	cr_assert_eq(find(&m, 1, bad_hash)->val, 10);
	cr_assert_eq(find(&m, 2, bad_hash)->val, 20);
	cr_assert_null(find(&m, 3, bad_hash));
	hmap_free(&m);
}

Test(util_hashmap, hash_zero_and_top_bit_are_valid)
{
	/* Stored hashes get the top bit: a hash of 0 and one with the top
	 * bit set are ordinary keys, never "free". */
	struct hmap m;
	hmap_init(&m, sizeof(struct ent));
	struct ent *e = hmap_insert(&m, 0);
	e->key = 1;
	e = hmap_insert(&m, HMAP_USED);
	e->key = 2;
	long k1 = 1, k2 = 2;
	cr_assert_not_null(hmap_find(&m, 0, ent_eq, &k1));
	cr_assert_not_null(hmap_find(&m, HMAP_USED, ent_eq, &k2));
	/* Equal after the top bit is forced: only eq tells them apart. */
	cr_assert_not_null(hmap_find(&m, HMAP_USED, ent_eq, &k1));
	hmap_free(&m);
}

Test(util_hashmap, clear_keeps_capacity)
{
	struct hmap m;
	hmap_init(&m, sizeof(struct ent));
	for (long k = 0; k < 100; k++)
		add(&m, k, k * 10, good_hash);
	size_t cap = m.cap;
	hmap_clear(&m);
	cr_assert_eq(m.count, 0);
	cr_assert_eq(m.cap, cap);
	cr_assert_null(find(&m, 5, good_hash));
	add(&m, 5, 50, good_hash);
	cr_assert_eq(find(&m, 5, good_hash)->val, 50);
	hmap_free(&m);
}

Test(util_hashmap, reserve_prevents_moves)
{
	struct hmap m;
	hmap_init(&m, sizeof(struct ent));
	cr_assert(hmap_reserve(&m, 100));
	size_t cap = m.cap;
	cr_assert_geq(cap, 200);
	for (long k = 0; k < 100; k++)
		add(&m, k, k * 10, good_hash);
	cr_assert_eq(m.cap, cap);
	cr_assert(hmap_reserve(&m, 10), "smaller reserve is a no-op");
	cr_assert_eq(m.cap, cap);
	cr_assert_not(hmap_reserve(&m, SIZE_MAX / 2), "overflow is refused");
	cr_assert_eq(m.cap, cap);
	cr_assert_eq(find(&m, 99, good_hash)->val, 990);
	hmap_free(&m);
}

Test(util_hashmap, pointer_entries)
{
	/* The tracer's style: entries are pointers to stable records. */
	struct rec {
		int id;
	} recs[50];
	struct hmap m;
	hmap_init(&m, sizeof(struct rec *));
	for (int i = 0; i < 50; i++) {
		recs[i].id = i * 3;
		struct rec **slot = hmap_insert(&m, hash_u64((uint64_t)recs[i].id));
		*slot = &recs[i];
	}
	for (int i = 0; i < 50; i++) {
		int id = i * 3;
		size_t pos = 0;
		struct rec *found = NULL;
		for (struct rec **e; (e = hmap_next(&m, &pos));)
			if ((*e)->id == id)
				found = *e;
		cr_assert_eq(found, &recs[i]);
	}
	hmap_free(&m);
}

Test(util_hashmap, hash_functions)
{
	cr_assert_neq(hash_u64(1), hash_u64(2));
	cr_assert_neq(hash_u64(0x100000000ULL) & 0xff, hash_u64(0) & 0xff,
		      "high bits reach the low bits");
	cr_assert_eq(hash_bytes("abc", 3, 0), hash_bytes("abc", 3, 0));
	cr_assert_neq(hash_bytes("abc", 3, 0), hash_bytes("abd", 3, 0));
	cr_assert_neq(hash_bytes("abc", 3, 0), hash_bytes("abc", 3, 1), "seed matters");
	cr_assert_neq(hash_bytes("", 0, 0), hash_bytes("\0", 1, 0));
	/* Chaining: hash of pieces differs from a different split. */
	uint64_t a = hash_bytes("b", 1, hash_bytes("a", 1, 0));
	cr_assert_eq(a, hash_bytes("b", 1, hash_bytes("a", 1, 0)));
}

Test(util_hashmap, u64_key_to_pointer)
{
	struct hmap m;
	hmap_u64_init(&m);
	static int recs[1000];
	cr_assert_null(hmap_u64_find(&m, 1), "empty table");
	cr_assert_null(hmap_u64_remove(&m, 1));
	for (int i = 0; i < 1000; i++)
		cr_assert(hmap_u64_put(&m, (uint64_t)i * 7 + 1, &recs[i]));
	cr_assert_eq(m.count, 1000);
	for (int i = 0; i < 1000; i++)
		cr_assert_eq(hmap_u64_find(&m, (uint64_t)i * 7 + 1), &recs[i]);
	cr_assert_null(hmap_u64_find(&m, 0));
	cr_assert_null(hmap_u64_find(&m, 2));
	/* Remove half, re-key one (as task_rekey does), check the rest. */
	for (int i = 0; i < 1000; i += 2)
		cr_assert_eq(hmap_u64_remove(&m, (uint64_t)i * 7 + 1), &recs[i]);
	cr_assert_null(hmap_u64_remove(&m, 1), "already removed");
	size_t cap = m.cap;
	cr_assert_eq(hmap_u64_remove(&m, 8), &recs[1]);
	cr_assert(hmap_u64_put(&m, 99999, &recs[1]));
	cr_assert_eq(m.cap, cap, "a re-key never grows the table");
	cr_assert_eq(hmap_u64_find(&m, 99999), &recs[1]);
	cr_assert_null(hmap_u64_find(&m, 8));
	for (int i = 3; i < 1000; i += 2)
		cr_assert_eq(hmap_u64_find(&m, (uint64_t)i * 7 + 1), &recs[i]);
	cr_assert_eq(m.count, 500);
	/* Large keys (pids are small, but the key is 64-bit). */
	cr_assert(hmap_u64_put(&m, UINT64_MAX, &recs[0]));
	cr_assert_eq(hmap_u64_find(&m, UINT64_MAX), &recs[0]);
	hmap_free(&m);
}
