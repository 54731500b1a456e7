/* editdist.h — edit distance, for "did you mean ...?" suggestions.
 *
 * Why: a mistyped syscall name (-e trace=opne) or renacer.toml key should
 * name its closest correct spelling; all such suggestions use the same
 * distance. Nothing here allocates; suggestions point at the caller's
 * candidate strings. */
#ifndef RENACER_EDITDIST_H
#define RENACER_EDITDIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longer strings are never near misses: the distance gives up on them. */
#define EDIT_DISTANCE_MAX_LEN 64
#define EDIT_DISTANCE_FAR SIZE_MAX

/* Optimal-string-alignment distance between a[0..la) and b[0..lb): the
 * fewest single-character insertions, deletions, substitutions and swaps
 * of two adjacent characters ("opne" -> "open" is 1). With icase, ASCII
 * letters compare case-insensitively. EDIT_DISTANCE_FAR when either is
 * longer than EDIT_DISTANCE_MAX_LEN. */
size_t edit_distance(const char *a, size_t la, const char *b, size_t lb, bool icase);

/* The closest candidate seen so far. */
struct suggestion {
	const char *best; /* NULL: none close enough */
	size_t dist;
};

void suggestion_init(struct suggestion *s);
/* Offer cand at distance d: it becomes the suggestion when d <= limit and
 * it is strictly closer than the current one (ties keep the first). */
void suggestion_offer(struct suggestion *s, const char *cand, size_t d, size_t limit);

#endif
