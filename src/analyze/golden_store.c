/* golden_store.c — the containers a golden sequence is built from: an
 * interning table of strings (each distinct string stored once in an
 * arena, named by a 32-bit id) and an integer map, both over the hash
 * table of hashmap.h. */
#include "golden_int.h"

#include <stdlib.h>
#include <string.h>

#include "hashmap.h"
#include "vec.h"

/* ------------------------------------------------------------------ */
/* Hashing                                                             */

static uint64_t hash_str(const char *s, size_t n)
{
	/* Eight bytes a round (a multiply-xorshift mix), then a murmur
	 * finalizer for the table's low bits: every normalised call is
	 * hashed, and this is several times faster than hashmap.h's
	 * byte-at-a-time hash_bytes on those strings. The value only places
	 * strings in the intern table; nothing printed depends on it. */
	uint64_t h = 0xcbf29ce484222325ull ^ ((uint64_t)n * 0x9e3779b97f4a7c15ull);
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		h ^= w;
		h *= 0x9e3779b97f4a7c15ull;
		h ^= h >> 29;
	}
	if (i < n) {
		uint64_t w = 0;
		memcpy(&w, s + i, n - i);
		h ^= w;
		h *= 0x9e3779b97f4a7c15ull;
		h ^= h >> 29;
	}
	return hash_u64(h); /* spread into the low bits the table indexes by */
}

/* ------------------------------------------------------------------ */
/* String interning                                                    */

/* An entry of the intern table: a string's id. */
struct intern_ent {
	uint32_t id;
};

struct intern_key {
	const struct intern *in;
	const char *s;
	size_t n;
};

static bool intern_eq(const void *entry, const void *key)
{
	const struct intern_key *k = key;
	const struct istr *e = &k->in->strs[((const struct intern_ent *)entry)->id];
	return e->len == k->n && !memcmp(k->in->arena + e->off, k->s, k->n);
}

const char *golden_intern_str(const struct intern *in, uint32_t id)
{
	return in->arena + in->strs[id].off;
}

long golden_intern_find(const struct intern *in, const char *s, size_t n, uint64_t h)
{
	struct intern_key k = {.in = in, .s = s, .n = n};
	const struct intern_ent *e = hmap_find(&in->ids, h, intern_eq, &k);
	return e ? (long)e->id : -1;
}

long golden_intern_add(struct intern *in, const char *s, size_t n)
{
	uint64_t h = hash_str(s, n);
	long found = golden_intern_find(in, s, n, h);
	if (found >= 0)
		return found;
	if (in->nstrs >= UINT32_MAX - 1)
		return -1;
	if (!in->ids.esize)
		hmap_init(&in->ids, sizeof(struct intern_ent));
	if (!vec_grow(&in->strs, &in->scap, in->nstrs + 1, sizeof(*in->strs)) ||
	    n > SIZE_MAX - 1 - in->alen || !vec_grow(&in->arena, &in->acap, in->alen + n + 1, 1))
		return -1;
	struct intern_ent *e = hmap_insert(&in->ids, h);
	if (!e)
		return -1;
	memcpy(in->arena + in->alen, s, n);
	in->arena[in->alen + n] = '\0';
	size_t id = in->nstrs++;
	in->strs[id] = (struct istr){ .off = in->alen, .len = n, .hash = h };
	in->alen += n + 1;
	e->id = (uint32_t)id;
	return (long)id;
}

void golden_intern_free(struct intern *in)
{
	free(in->arena);
	free(in->strs);
	hmap_free(&in->ids);
	memset(in, 0, sizeof(*in));
}

/* ------------------------------------------------------------------ */
/* Integer map                                                         */

struct imap_ent {
	int64_t key;
	uint32_t val;
};

static bool imap_eq(const void *entry, const void *key)
{
	return ((const struct imap_ent *)entry)->key == *(const int64_t *)key;
}

uint32_t golden_imap_get(const struct hmap *m, int64_t key)
{
	const struct imap_ent *e = hmap_find(m, hash_u64((uint64_t)key), imap_eq, &key);
	return e ? e->val : IMAP_ABSENT;
}

int golden_imap_put(struct hmap *m, int64_t key, uint32_t val)
{
	if (!m->esize)
		hmap_init(m, sizeof(struct imap_ent));
	bool created;
	struct imap_ent *e = hmap_get(m, hash_u64((uint64_t)key), imap_eq, &key, &created);
	if (!e)
		return -1;
	e->key = key;
	e->val = val;
	return 0;
}

void golden_imap_free(struct hmap *m)
{
	hmap_free(m);
}
