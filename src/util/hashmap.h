/* hashmap.h — an open-addressing hash table of fixed-size entries stored
 * in place, plus the hash functions renacer-c uses.
 *
 * Why one table: the tracer's tid and pid tables, the source resolver's
 * string set and frame cache and the Chrome sink's thread table are all
 * "find this key fast, add it if absent". This does the probing,
 * growing and deleting once; each user keeps its own entry type and says
 * what equal keys are.
 *
 * How: the entries live in one array (esize bytes each, as the caller's
 * struct), next to an array of their 64-bit hashes; hash 0 marks a free
 * slot (stored hashes always have the top bit set). Capacity is a power of
 * two, at most half full, linear probing; deletion shifts later entries
 * back instead of leaving tombstones, so lookups never slow down with
 * churn. The caller supplies a well-mixed hash (hash_u64, hash_bytes):
 * the low bits pick the slot.
 *
 * Ownership: the caller owns the struct; the table owns its two arrays
 * (hmap_free). Entries are plain bytes: whatever an entry points to
 * stays the caller's. Entry pointers are valid until the next
 * hmap_insert, hmap_remove or hmap_clear (they move entries); keep
 * pointers to records, not to entries, for anything longer-lived. */
#ifndef RENACER_HASHMAP_H
#define RENACER_HASHMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- hashing ---- */

/* A 64-bit mix of an integer key (the splitmix64 finaliser): every input
 * bit affects the low bits, and distinct inputs give distinct outputs. */
static inline uint64_t hash_u64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

/* FNV-1a over n bytes, then a final mix so the low bits spread. `seed`
 * chains calls (hash a sequence of pieces), or 0. */
uint64_t hash_bytes(const void *p, size_t n, uint64_t seed);

/* ---- the table ---- */

#define HMAP_USED ((uint64_t)1 << 63) /* set in every stored hash */
#define HMAP_MIN_CAP 16

struct hmap {
	uint64_t *hashes;       /* cap stored hashes; 0 = free slot */
	unsigned char *entries; /* cap entries of esize bytes */
	size_t cap;             /* power of two, 0 before the first insert */
	size_t count;
	size_t esize;
};

/* Does the entry hold `key`? (The caller's type for both.) */
typedef bool hmap_eq_fn(const void *entry, const void *key);

/* An empty table of esize-byte entries (esize > 0); allocates nothing. */
void hmap_init(struct hmap *m, size_t esize);
/* Free the arrays (not what entries point to); m is left empty. */
void hmap_free(struct hmap *m);
/* Make room for n entries without growing later. false on OOM. */
bool hmap_reserve(struct hmap *m, size_t n);
/* Remove every entry, keeping the capacity. */
void hmap_clear(struct hmap *m);

static inline void *hmap_entry_at(const struct hmap *m, size_t i)
{
	return m->entries + i * m->esize;
}

/* The entry whose hash is `hash` and for which eq(entry, key) holds, or
 * NULL. Inline, so a constant eq is inlined too: a lookup is a probe of
 * the hash array and, on a hash match, one eq call. */
static inline void *hmap_find(const struct hmap *m, uint64_t hash, hmap_eq_fn *eq, const void *key)
{
	if (!m->cap)
		return NULL;
	uint64_t h = hash | HMAP_USED;
	size_t mask = m->cap - 1;
	for (size_t i = (size_t)hash & mask; m->hashes[i]; i = (i + 1) & mask) {
		if (m->hashes[i] == h && eq(hmap_entry_at(m, i), key))
			return hmap_entry_at(m, i);
	}
	return NULL;
}

/* A new entry for `hash`, zero-filled, for the caller to fill in (key
 * included). The key must not be in the table already (hmap_find first,
 * or use hmap_get). May grow the table, moving every entry. NULL on OOM,
 * the table unchanged. */
void *hmap_insert(struct hmap *m, uint64_t hash);

/* Find, or insert a zero-filled entry; *created says which. NULL on OOM. */
static inline void *hmap_get(struct hmap *m, uint64_t hash, hmap_eq_fn *eq, const void *key,
			     bool *created)
{
	void *e = hmap_find(m, hash, eq, key);
	*created = e == NULL;
	return e ? e : hmap_insert(m, hash);
}

/* Remove an entry (a pointer from hmap_find/hmap_get/hmap_next). Later
 * entries of its probe run may move into its place. */
void hmap_remove(struct hmap *m, void *entry);

/* Iteration, in slot order (not insertion order):
 *	size_t pos = 0;
 *	for (T *e; (e = hmap_next(m, &pos));) ...
 * The table must not change during the walk. */
void *hmap_next(const struct hmap *m, size_t *pos);

/* ---- integer key -> pointer ----
 * The common case (tid -> task, pid -> process record): entries are
 * struct hmap_u64 and the key is compared in the table itself, so a
 * lookup touches no record but the one it returns. The table owns
 * neither the records nor anything else than its arrays. */

struct hmap_u64 {
	uint64_t key;
	void *ptr;
};

static inline void hmap_u64_init(struct hmap *m)
{
	hmap_init(m, sizeof(struct hmap_u64));
}

static inline bool hmap_u64_eq(const void *entry, const void *key)
{
	return ((const struct hmap_u64 *)entry)->key == *(const uint64_t *)key;
}

/* The pointer stored for key, or NULL. */
static inline void *hmap_u64_find(const struct hmap *m, uint64_t key)
{
	const struct hmap_u64 *e = hmap_find(m, hash_u64(key), hmap_u64_eq, &key);
	return e ? e->ptr : NULL;
}

/* Store ptr for key (which must be absent). false on OOM. */
bool hmap_u64_put(struct hmap *m, uint64_t key, void *ptr);
/* Forget key; returns the pointer it had, or NULL. */
void *hmap_u64_remove(struct hmap *m, uint64_t key);

#endif
