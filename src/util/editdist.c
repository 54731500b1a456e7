/* editdist.c — edit distance for suggestions (see src/util/editdist.h). */
#include "editdist.h"

static unsigned char fold(unsigned char c, bool icase)
{
	return (icase && c >= 'A' && c <= 'Z') ? (unsigned char)(c - 'A' + 'a') : c;
}

size_t edit_distance(const char *a, size_t la, const char *b, size_t lb, bool icase)
{
	enum { N = EDIT_DISTANCE_MAX_LEN + 1 };
	/* Three rows of the full matrix are enough: the swap case looks two
	 * rows back. Row r of the matrix lives in d[r % 3]. */
	size_t d[3][N];

	if (la > EDIT_DISTANCE_MAX_LEN || lb > EDIT_DISTANCE_MAX_LEN)
		return EDIT_DISTANCE_FAR;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t *cur = d[i % 3], *up = d[(i - 1) % 3], *up2 = d[(i - 2) % 3];
		unsigned char ai = fold((unsigned char)a[i - 1], icase);
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			unsigned char bj = fold((unsigned char)b[j - 1], icase);
			size_t v = up[j] + 1;                    /* delete a[i-1] */
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;              /* insert b[j-1] */
			if (up[j - 1] + (ai != bj) < v)
				v = up[j - 1] + (ai != bj);     /* substitute */
			if (i > 1 && j > 1 && ai == fold((unsigned char)b[j - 2], icase) &&
			    fold((unsigned char)a[i - 2], icase) == bj && up2[j - 2] + 1 < v)
				v = up2[j - 2] + 1;              /* swap two neighbours */
			cur[j] = v;
		}
	}
	return d[la % 3][lb];
}

void suggestion_init(struct suggestion *s)
{
	s->best = NULL;
	s->dist = EDIT_DISTANCE_FAR;
}

void suggestion_offer(struct suggestion *s, const char *cand, size_t d, size_t limit)
{
	if (d <= limit && d < s->dist) {
		s->best = cand;
		s->dist = d;
	}
}
