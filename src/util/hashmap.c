/* hashmap.c — the open-addressing table (see src/util/hashmap.h). */
#include "hashmap.h"

#include <stdlib.h>
#include <string.h>

uint64_t hash_bytes(const void *p, size_t n, uint64_t seed)
{
	/* FNV-1a, then a final mix so the low bits spread. */
	const unsigned char *b = p;
	uint64_t h = 0xcbf29ce484222325ULL ^ seed;

	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= 0x100000001b3ULL;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

void hmap_init(struct hmap *m, size_t esize)
{
	memset(m, 0, sizeof(*m));
	m->esize = esize;
}

void hmap_free(struct hmap *m)
{
	free(m->hashes);
	free(m->entries);
	hmap_init(m, m->esize);
}

void hmap_clear(struct hmap *m)
{
	if (m->cap)
		memset(m->hashes, 0, m->cap * sizeof(*m->hashes));
	m->count = 0;
}

/* Move every entry into fresh arrays of ncap slots (a power of two). */
static bool rehash(struct hmap *m, size_t ncap)
{
	if (ncap > SIZE_MAX / m->esize)
		return false;
	uint64_t *nh = calloc(ncap, sizeof(*nh));
	unsigned char *ne = malloc(ncap * m->esize);
	if (!nh || !ne) {
		free(nh);
		free(ne);
		return false;
	}
	size_t mask = ncap - 1;
	for (size_t i = 0; i < m->cap; i++) {
		uint64_t h = m->hashes[i];
		if (!h)
			continue;
		size_t j = (size_t)h & mask;
		while (nh[j])
			j = (j + 1) & mask;
		nh[j] = h;
		memcpy(ne + j * m->esize, hmap_entry_at(m, i), m->esize);
	}
	free(m->hashes);
	free(m->entries);
	m->hashes = nh;
	m->entries = ne;
	m->cap = ncap;
	return true;
}

bool hmap_reserve(struct hmap *m, size_t n)
{
	/* At most half full: n entries want 2n slots. */
	if (n > SIZE_MAX / 4)
		return false;
	size_t want = n * 2;
	if (want <= m->cap)
		return true;
	size_t ncap = m->cap ? m->cap : HMAP_MIN_CAP;
	while (ncap < want)
		ncap *= 2;
	return rehash(m, ncap);
}

void *hmap_insert(struct hmap *m, uint64_t hash)
{
	if (m->count == SIZE_MAX || !hmap_reserve(m, m->count + 1))
		return NULL;
	size_t mask = m->cap - 1;
	size_t i = (size_t)hash & mask;
	while (m->hashes[i])
		i = (i + 1) & mask;
	m->hashes[i] = hash | HMAP_USED;
	m->count++;
	void *e = hmap_entry_at(m, i);
	memset(e, 0, m->esize);
	return e;
}

void hmap_remove(struct hmap *m, void *entry)
{
	size_t mask = m->cap - 1;
	size_t i = (size_t)((unsigned char *)entry - m->entries) / m->esize;
	m->hashes[i] = 0;
	m->count--;
	/* Backward-shift deletion: walk the rest of the probe run; an entry
	 * at j whose home slot h is not in the cyclic range (i, j] would be
	 * cut off from its home by the hole at i, so it moves into the hole
	 * and leaves a hole at j. */
	for (size_t j = (i + 1) & mask; m->hashes[j]; j = (j + 1) & mask) {
		size_t h = (size_t)m->hashes[j] & mask;
		if (((j - h) & mask) >= ((j - i) & mask)) {
			m->hashes[i] = m->hashes[j];
			memcpy(hmap_entry_at(m, i), hmap_entry_at(m, j), m->esize);
			m->hashes[j] = 0;
			i = j;
		}
	}
}

void *hmap_next(const struct hmap *m, size_t *pos)
{
	for (size_t i = *pos; i < m->cap; i++) {
		if (m->hashes[i]) {
			*pos = i + 1;
			return hmap_entry_at(m, i);
		}
	}
	*pos = m->cap;
	return NULL;
}

bool hmap_u64_put(struct hmap *m, uint64_t key, void *ptr)
{
	struct hmap_u64 *e = hmap_insert(m, hash_u64(key));
	if (!e)
		return false;
	e->key = key;
	e->ptr = ptr;
	return true;
}

void *hmap_u64_remove(struct hmap *m, uint64_t key)
{
	struct hmap_u64 *e = hmap_find(m, hash_u64(key), hmap_u64_eq, &key);
	if (!e)
		return NULL;
	void *ptr = e->ptr;
	hmap_remove(m, e);
	return ptr;
}
