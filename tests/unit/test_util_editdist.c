/* Unit tests for edit distance and suggestions (src/util/editdist.c). */
#include <criterion/criterion.h>
#include <string.h>

#include "editdist.h"

static size_t ed(const char *a, const char *b)
{
	return edit_distance(a, strlen(a), b, strlen(b), false);
}

static size_t edi(const char *a, const char *b)
{
	return edit_distance(a, strlen(a), b, strlen(b), true);
}

Test(util_editdist, identical_and_empty)
{
	cr_assert_eq(ed("", ""), 0);
	cr_assert_eq(ed("open", "open"), 0);
	cr_assert_eq(ed("", "abc"), 3);
	cr_assert_eq(ed("abc", ""), 3);
}

Test(util_editdist, single_edits)
{
	cr_assert_eq(ed("opn", "open"), 1);      /* insertion */
	cr_assert_eq(ed("opeen", "open"), 1);    /* deletion */
	cr_assert_eq(ed("opan", "open"), 1);     /* substitution */
	cr_assert_eq(ed("opne", "open"), 1);     /* adjacent swap */
	cr_assert_eq(ed("poen", "open"), 1);     /* swap at the start */
}

Test(util_editdist, classic_values)
{
	cr_assert_eq(ed("kitten", "sitting"), 3);
	cr_assert_eq(ed("flaw", "lawn"), 2);
	cr_assert_eq(ed("abc", "xyz"), 3);
	/* OSA, not full Damerau: "ca" -> "abc" is 3 (no edit of a swapped pair). */
	cr_assert_eq(ed("ca", "abc"), 3);
	cr_assert_eq(ed("ab", "ba"), 1);
}

Test(util_editdist, symmetric)
{
	const char *w[] = { "", "a", "read", "readv", "pread64", "rt_sigaction", "sigaction", "ab", "ba" };
	size_t n = sizeof(w) / sizeof(w[0]);
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++)
			cr_assert_eq(ed(w[i], w[j]), ed(w[j], w[i]), "%s/%s", w[i], w[j]);
}

Test(util_editdist, case_folding)
{
	cr_assert_eq(ed("Open", "open"), 1);
	cr_assert_eq(edi("Open", "open"), 0);
	cr_assert_eq(edi("MEMORY", "memory"), 0);
	cr_assert_eq(edi("MEMROY", "memory"), 1);
	/* Only ASCII letters fold. */
	cr_assert_eq(edi("_", "\x7f"), 1);
	cr_assert_eq(edi("\xc9", "\xe9"), 1);
}

Test(util_editdist, length_limit)
{
	char a[EDIT_DISTANCE_MAX_LEN + 2], b[EDIT_DISTANCE_MAX_LEN + 2];
	memset(a, 'a', sizeof a);
	memset(b, 'a', sizeof b);
	cr_assert_eq(edit_distance(a, EDIT_DISTANCE_MAX_LEN, b, EDIT_DISTANCE_MAX_LEN, false), 0);
	b[0] = 'b';
	cr_assert_eq(edit_distance(a, EDIT_DISTANCE_MAX_LEN, b, EDIT_DISTANCE_MAX_LEN, false), 1);
	cr_assert_eq(edit_distance(a, EDIT_DISTANCE_MAX_LEN + 1, b, 1, false), EDIT_DISTANCE_FAR);
	cr_assert_eq(edit_distance(a, 1, b, EDIT_DISTANCE_MAX_LEN + 1, false), EDIT_DISTANCE_FAR);
	cr_assert_eq(edit_distance(a, 0, b, EDIT_DISTANCE_MAX_LEN, false), EDIT_DISTANCE_MAX_LEN);
}

Test(util_editdist, lengths_not_nul)
{
	/* Only la/lb bytes count; the strings need not be terminated there. */
	cr_assert_eq(edit_distance("openXX", 4, "open", 4, false), 0);
	cr_assert_eq(edit_distance("a\0b", 3, "a\0c", 3, false), 1);
}

Test(util_editdist, suggestion_keeps_closest_first)
{
	struct suggestion s;
	suggestion_init(&s);
	cr_assert_null(s.best);
	suggestion_offer(&s, "far", 5, 2);
	cr_assert_null(s.best, "over the limit");
	suggestion_offer(&s, "two", 2, 2);
	cr_assert_str_eq(s.best, "two");
	suggestion_offer(&s, "tie", 2, 2);
	cr_assert_str_eq(s.best, "two", "ties keep the first");
	suggestion_offer(&s, "one", 1, 2);
	cr_assert_str_eq(s.best, "one");
	cr_assert_eq(s.dist, 1);
	suggestion_offer(&s, "zero", 0, 0);
	cr_assert_str_eq(s.best, "zero");
	suggestion_offer(&s, "never", EDIT_DISTANCE_FAR, 3);
	cr_assert_str_eq(s.best, "zero");
}
