/* intern.c — interned strings for the source resolver: every string the
 * resolver hands out lives here until source_free, so callers may keep
 * the pointers. An arena of large chunks holds the bytes; an
 * open-addressing set (power-of-two capacity, linear probing) finds
 * existing copies. */
#include <stdlib.h>
#include <string.h>

#include "source_int.h"

#define CHUNK_SIZE 65536

struct chunk {
	struct chunk *next;
	size_t used, cap;
	char data[];
};

struct islot {
	uint64_t hash;
	const char *s;
	size_t len;
};

struct intern_tab {
	struct chunk *chunks;
	struct islot *slots;
	size_t cap, count;
};

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

struct intern_tab *intern_new(void)
{
	struct intern_tab *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->cap = 256;
	t->slots = calloc(t->cap, sizeof(*t->slots));
	if (!t->slots) {
		free(t);
		return NULL;
	}
	return t;
}

void intern_free(struct intern_tab *t)
{
	if (!t)
		return;
	for (struct chunk *c = t->chunks, *next; c; c = next) {
		next = c->next;
		free(c);
	}
	free(t->slots);
	free(t);
}

static char *arena_alloc(struct intern_tab *t, size_t n)
{
	struct chunk *c = t->chunks;

	if (!c || c->cap - c->used < n) {
		size_t cap = n > CHUNK_SIZE ? n : CHUNK_SIZE;
		struct chunk *nc = malloc(sizeof(*nc) + cap);

		if (!nc)
			return NULL;
		nc->used = 0;
		nc->cap = cap;
		/* A big one-off string goes behind the current chunk so the
		 * current one keeps filling. */
		if (c && n > CHUNK_SIZE) {
			nc->next = c->next;
			c->next = nc;
		} else {
			nc->next = c;
			t->chunks = nc;
		}
		c = nc;
	}
	char *p = c->data + c->used;
	c->used += n;
	return p;
}

static int grow(struct intern_tab *t)
{
	size_t ncap = t->cap * 2;
	struct islot *ns = calloc(ncap, sizeof(*ns));

	if (!ns)
		return -1;
	for (size_t i = 0; i < t->cap; i++) {
		if (!t->slots[i].s)
			continue;
		size_t j = t->slots[i].hash & (ncap - 1);
		while (ns[j].s)
			j = (j + 1) & (ncap - 1);
		ns[j] = t->slots[i];
	}
	free(t->slots);
	t->slots = ns;
	t->cap = ncap;
	return 0;
}

const char *intern_n(struct intern_tab *t, const char *s, size_t len)
{
	uint64_t h = hash_bytes(s, len, 0);
	size_t i = h & (t->cap - 1);

	for (; t->slots[i].s; i = (i + 1) & (t->cap - 1)) {
		const struct islot *sl = &t->slots[i];
		if (sl->hash == h && sl->len == len && memcmp(sl->s, s, len) == 0)
			return sl->s;
	}
	if ((t->count + 1) * 2 > t->cap) {
		if (grow(t) < 0)
			return NULL;
		i = h & (t->cap - 1);
		while (t->slots[i].s)
			i = (i + 1) & (t->cap - 1);
	}
	char *copy = arena_alloc(t, len + 1);
	if (!copy)
		return NULL;
	memcpy(copy, s, len);
	copy[len] = '\0';
	t->slots[i] = (struct islot){ .hash = h, .s = copy, .len = len };
	t->count++;
	return copy;
}

const char *intern(struct intern_tab *t, const char *s)
{
	return s ? intern_n(t, s, strlen(s)) : NULL;
}
