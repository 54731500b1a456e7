/* intern.c — interned strings (see src/util/intern.h). An arena of large
 * chunks holds the bytes, so interning costs no malloc per string; a hash
 * set of (string, length) entries finds existing copies. */
#include "intern.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hashmap.h"

#define CHUNK_SIZE 65536

struct chunk {
	struct chunk *next;
	size_t used, cap;
	char data[];
};

/* A set entry; the key looked up is a struct istr too. */
struct istr {
	const char *s;
	size_t len;
};

struct intern_tab {
	struct chunk *chunks; /* the current (filling) chunk first */
	struct hmap set;      /* of struct istr */
};

struct intern_tab *intern_new(void)
{
	struct intern_tab *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	hmap_init(&t->set, sizeof(struct istr));
	if (!hmap_reserve(&t->set, 128)) {
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
	hmap_free(&t->set);
	free(t);
}

size_t intern_count(const struct intern_tab *t)
{
	return t->set.count;
}

static char *arena_alloc(struct intern_tab *t, size_t n)
{
	struct chunk *c = t->chunks;

	if (!c || c->cap - c->used < n) {
		size_t cap = n > CHUNK_SIZE ? n : CHUNK_SIZE;
		if (cap > SIZE_MAX - sizeof(struct chunk))
			return NULL;
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

static bool istr_eq(const void *entry, const void *key)
{
	const struct istr *a = entry, *b = key;
	return a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
}

const char *intern_n(struct intern_tab *t, const char *s, size_t len)
{
	uint64_t h = hash_bytes(s, len, 0);
	struct istr key = { .s = s, .len = len };
	const struct istr *found = hmap_find(&t->set, h, istr_eq, &key);

	if (found)
		return found->s;
	if (len == SIZE_MAX)
		return NULL;
	char *copy = arena_alloc(t, len + 1);
	if (!copy)
		return NULL;
	struct istr *e = hmap_insert(&t->set, h);
	if (!e)
		return NULL; /* the arena bytes stay unused until intern_free */
	memcpy(copy, s, len);
	copy[len] = '\0';
	e->s = copy;
	e->len = len;
	return copy;
}

const char *intern(struct intern_tab *t, const char *s)
{
	return s ? intern_n(t, s, strlen(s)) : NULL;
}
