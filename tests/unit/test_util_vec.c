/* Unit tests for array growth (src/util/vec.c). */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vec.h"

struct pt {
	int x, y;
};

Test(util_vec, empty_array_gets_min_cap)
{
	int *v = NULL;
	size_t cap = 0;
	cr_assert(vec_grow(&v, &cap, 1, sizeof(*v)));
	cr_assert_not_null(v);
	cr_assert_eq(cap, VEC_MIN_CAP);
	v[0] = 7;
	v[VEC_MIN_CAP - 1] = 8; /* the whole capacity is usable */
	free(v);
}

Test(util_vec, no_call_needed_when_room)
{
	int *v = NULL;
	size_t cap = 0;
	cr_assert(vec_grow(&v, &cap, 3, sizeof(*v)));
	int *before = v;
	size_t c = cap;
	cr_assert(vec_grow(&v, &cap, cap, sizeof(*v)));
	cr_assert_eq(v, before);
	cr_assert_eq(cap, c);
	cr_assert(vec_grow(&v, &cap, 0, sizeof(*v)));
	cr_assert_eq(cap, c);
	free(v);
}

Test(util_vec, zero_need_on_empty_allocates_nothing)
{
	int *v = NULL;
	size_t cap = 0;
	cr_assert(vec_grow(&v, &cap, 0, sizeof(*v)));
	cr_assert_null(v);
	cr_assert_eq(cap, 0);
}

Test(util_vec, doubles_and_keeps_contents)
{
	struct pt *v = NULL;
	size_t cap = 0, n = 0;
	size_t caps_seen[16], ncaps = 0;
	for (int i = 0; i < 1000; i++) {
		size_t old = cap;
		cr_assert(vec_grow(&v, &cap, n + 1, sizeof(*v)));
		if (cap != old) {
			cr_assert(ncaps < 16);
			caps_seen[ncaps++] = cap;
			if (old)
				cr_assert_eq(cap, old * 2);
		}
		v[n++] = (struct pt){ i, -i };
	}
	cr_assert_eq(caps_seen[0], VEC_MIN_CAP);
	cr_assert_geq(cap, 1000);
	cr_assert_lt(cap, 2048);
	for (int i = 0; i < 1000; i++) {
		cr_assert_eq(v[i].x, i);
		cr_assert_eq(v[i].y, -i);
	}
	free(v);
}

Test(util_vec, big_jump_reaches_need_in_one_call)
{
	char *v = NULL;
	size_t cap = 0;
	cr_assert(vec_grow(&v, &cap, 100000, 1));
	cr_assert_geq(cap, 100000);
	cr_assert_eq(cap & (cap - 1), 0, "doubling from 16 gives a power of two");
	memset(v, 'x', 100000);
	free(v);
}

Test(util_vec, need_times_size_overflow_is_refused)
{
	struct pt *v = NULL;
	size_t cap = 0;
	cr_assert(vec_grow(&v, &cap, 4, sizeof(*v)));
	struct pt *before = v;
	size_t c = cap;
	v[0] = (struct pt){ 1, 2 };
	cr_assert_not(vec_grow(&v, &cap, SIZE_MAX / sizeof(*v) + 1, sizeof(*v)));
	cr_assert_not(vec_grow(&v, &cap, SIZE_MAX, sizeof(*v)));
	/* Untouched on failure. */
	cr_assert_eq(v, before);
	cr_assert_eq(cap, c);
	cr_assert_eq(v[0].x, 1);
	free(v);
}

Test(util_vec, zero_elem_size_is_refused)
{
	char *v = NULL;
	size_t cap = 0;
	cr_assert_not(vec_grow(&v, &cap, 1, 0));
	cr_assert_null(v);
}
