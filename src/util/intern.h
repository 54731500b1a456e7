/* intern.h — string interning: one stable copy of each distinct string.
 *
 * Why: the source resolver hands out module paths, file, function and
 * symbol names for every traced call; interning makes those pointers
 * cheap to keep (no copies, no frees per event), and equal strings equal
 * pointers, so caches can key on the pointer.
 *
 * Ownership: the table owns every copy; the pointers intern() returns stay
 * valid, unchanged, until intern_free. Callers never free them. The bytes
 * live in large arena chunks; a hash set (src/util/hashmap.h) finds an
 * existing copy. */
#ifndef RENACER_INTERN_H
#define RENACER_INTERN_H

#include <stddef.h>

struct intern_tab;

/* A new, empty table; NULL on OOM. */
struct intern_tab *intern_new(void);
/* Free the table and every string it handed out. NULL is a no-op. */
void intern_free(struct intern_tab *t);
/* The stable copy of s[0..len) (NUL-terminated; s may hold NULs), NULL
 * on allocation failure. */
const char *intern_n(struct intern_tab *t, const char *s, size_t len);
/* intern_n(t, s, strlen(s)); NULL for NULL. */
const char *intern(struct intern_tab *t, const char *s);
/* How many distinct strings the table holds. */
size_t intern_count(const struct intern_tab *t);

#endif
