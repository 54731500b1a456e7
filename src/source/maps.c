/* maps.c — /proc/PID/maps, parsed into an array sorted by address (the
 * kernel lists mappings in address order) for binary search. Module paths
 * are interned, so a re-read allocates only when the array grows or a new
 * path appears. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linereader.h"
#include "source_int.h"
#include "vec.h"

static int push(struct maps *m, const struct map_ent *e)
{
	if (!vec_grow(&m->v, &m->cap, m->n + 1, sizeof(*m->v)))
		return -1;
	m->v[m->n++] = *e;
	return 0;
}

static bool hex_field(const char **pp, uint64_t *out)
{
	const char *p = *pp;
	uint64_t v = 0;
	int n = 0;

	for (;; p++, n++) {
		unsigned c = (unsigned char)*p, d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else
			break;
		v = v << 4 | d;
	}
	*pp = p;
	*out = v;
	return n > 0;
}

/* One line, without its newline. false on a malformed line. */
static bool parse_line(const char *p, const char *end, struct map_ent *e, const char **name,
		       size_t *name_len)
{
	uint64_t maj, min;

	memset(e, 0, sizeof(*e));
	if (!hex_field(&p, &e->start) || *p++ != '-' || !hex_field(&p, &e->end) || *p++ != ' ')
		return false;
	if (end - p < 5)
		return false;
	e->exec = p[2] == 'x';
	p += 4;
	if (*p++ != ' ' || !hex_field(&p, &e->off) || *p++ != ' ')
		return false;
	if (!hex_field(&p, &maj) || *p++ != ':' || !hex_field(&p, &min) || *p++ != ' ')
		return false;
	e->dev_major = (unsigned)maj;
	e->dev_minor = (unsigned)min;
	uint64_t ino = 0;
	for (; p < end && *p >= '0' && *p <= '9'; p++)
		ino = ino * 10 + (uint64_t)(*p - '0');
	e->inode = ino;
	while (p < end && *p == ' ')
		p++;
	*name = p < end ? p : NULL;
	*name_len = (size_t)(end - p);
	return true;
}

int maps_read(struct maps *m, pid_t pid, struct intern_tab *it)
{
	char path[64];
	char stackbuf[16384]; /* a typical maps file: no allocation */
	struct linereader lr;
	int rc = -1;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	if (linereader_open(&lr, path, stackbuf, sizeof(stackbuf)) < 0)
		return -1;

	/* A file that cannot be read (the process is gone) leaves m as it was. */
	size_t len;
	const char *p = linereader_next(&lr, &len);
	if (!p && lr.err)
		goto out;
	m->n = 0;
	m->valid = false;
	uint64_t sig = 0x9e3779b97f4a7c15ULL;
	for (; p; p = linereader_next(&lr, &len)) {
		const char *lend = p + len;
		struct map_ent e;
		const char *name;
		size_t name_len;

		if (parse_line(p, lend, &e, &name, &name_len)) {
			if (name && name_len) {
				e.name = intern_n(it, name, name_len);
				if (!e.name)
					goto out;
				if (name[0] == '/')
					e.path = e.name;
			}
			/* Keep the array sorted even if the kernel ever did not. */
			if (m->n && e.start < m->v[m->n - 1].start)
				goto out;
			if (push(m, &e) < 0)
				goto out;
			if (e.path) {
				uint64_t key[5] = { e.start, e.end, e.off, e.inode,
						    (uint64_t)(uintptr_t)e.path };
				sig = hash_bytes(key, sizeof(key), sig);
			}
		}
	}
	if (lr.err)
		goto out;
	m->file_sig = sig;
	m->valid = true;
	rc = 0;
out:
	linereader_close(&lr);
	return rc;
}

const struct map_ent *maps_find(const struct maps *m, uint64_t ip)
{
	size_t lo = 0, hi = m->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct map_ent *e = &m->v[mid];

		if (ip < e->start)
			hi = mid;
		else if (ip >= e->end)
			lo = mid + 1;
		else
			return e;
	}
	return NULL;
}

void maps_free(struct maps *m)
{
	free(m->v);
	m->v = NULL;
	m->n = m->cap = 0;
	m->valid = false;
}
