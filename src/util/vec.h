/* vec.h — growing a heap array by doubling, with the size arithmetic
 * checked.
 *
 * Why: every growable array in renacer-c (rows, processes, mappings, line
 * buffers) grows the same way; doing it in one place means one overflow
 * check (count * element size can wrap) and one doubling policy.
 *
 * Ownership: the caller owns the array and frees it with free(). vec_grow
 * only ever replaces *items with a larger realloc()ed copy; on failure the
 * array and *cap are left exactly as they were, so the caller's data is
 * never lost. */
#ifndef RENACER_VEC_H
#define RENACER_VEC_H

#include <stdbool.h>
#include <stddef.h>

/* The first capacity of an empty array, in elements. */
#define VEC_MIN_CAP 16

/* The out-of-line part of vec_grow: always reallocates. */
bool vec_grow_slow(void *itemsp, size_t *cap, size_t need, size_t elem_size);

/* Make room for at least `need` elements in the array *itemsp (a pointer
 * to the caller's `T *items`) of capacity *cap elements of elem_size bytes.
 * The capacity doubles from VEC_MIN_CAP until it holds `need`. Returns
 * true when there is room (at once, without a call, when need <= *cap);
 * false when the size would overflow or memory runs out, leaving *itemsp
 * and *cap untouched. New elements are not initialised. Typical use:
 *
 *	if (!vec_grow(&s->rows, &s->cap, s->n + 1, sizeof(*s->rows)))
 *		return -1;
 *	s->rows[s->n++] = row;
 */
static inline bool vec_grow(void *itemsp, size_t *cap, size_t need, size_t elem_size)
{
	if (need <= *cap)
		return true;
	return vec_grow_slow(itemsp, cap, need, elem_size);
}

#endif
