/* Unit tests for string interning (src/util/intern.c). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intern.h"

Test(util_intern, same_string_same_pointer)
{
	struct intern_tab *t = intern_new();
	cr_assert_not_null(t);
	char buf[] = "hello";
	const char *a = intern(t, buf);
	cr_assert_neq(a, buf, "a copy, not the caller's bytes");
	buf[0] = 'j';
	cr_assert_str_eq(a, "hello", "the copy is independent");
	const char *b = intern(t, "hello");
	cr_assert_eq(a, b);
	cr_assert_neq(intern(t, "jello"), a);
	cr_assert_eq(intern_count(t), 2);
	intern_free(t);
}

Test(util_intern, null_and_empty)
{
	struct intern_tab *t = intern_new();
	cr_assert_null(intern(t, NULL));
	const char *e = intern(t, "");
	cr_assert_not_null(e);
	cr_assert_str_eq(e, "");
	cr_assert_eq(intern_n(t, "xyz", 0), e);
	intern_free(t);
	intern_free(NULL);
}

Test(util_intern, intern_n_takes_a_prefix_and_terminates)
{
	struct intern_tab *t = intern_new();
	const char *a = intern_n(t, "__libc_start_main@@GLIBC_2.34", 17);
	cr_assert_str_eq(a, "__libc_start_main");
	cr_assert_eq(intern(t, "__libc_start_main"), a);
	intern_free(t);
}

Test(util_intern, embedded_nul_is_part_of_the_key)
{
	struct intern_tab *t = intern_new();
	const char *a = intern_n(t, "a\0b", 3);
	const char *b = intern_n(t, "a\0c", 3);
	const char *c = intern_n(t, "a", 1);
	cr_assert_neq(a, b);
	cr_assert_neq(a, c);
	cr_assert_eq(memcmp(a, "a\0b", 4), 0);
	cr_assert_eq(intern_n(t, "a\0b", 3), a);
	intern_free(t);
}

Test(util_intern, many_strings_stay_stable)
{
	enum { N = 20000 };
	struct intern_tab *t = intern_new();
	const char **p = calloc(N, sizeof(*p));
	char buf[64];
	for (int i = 0; i < N; i++) {
		snprintf(buf, sizeof buf, "/usr/lib/module-%d.so", i);
		p[i] = intern(t, buf);
		cr_assert_not_null(p[i]);
	}
	cr_assert_eq(intern_count(t), N);
	/* Growth moved the set, never the strings. */
	for (int i = 0; i < N; i++) {
		snprintf(buf, sizeof buf, "/usr/lib/module-%d.so", i);
		cr_assert_str_eq(p[i], buf);
		cr_assert_eq(intern(t, buf), p[i]);
	}
	cr_assert_eq(intern_count(t), N);
	free(p);
	intern_free(t);
}

Test(util_intern, strings_larger_than_a_chunk)
{
	struct intern_tab *t = intern_new();
	size_t n = 200000;
	char *big = malloc(n + 1);
	memset(big, 'x', n);
	big[n] = '\0';
	const char *small1 = intern(t, "before");
	const char *b = intern(t, big);
	const char *small2 = intern(t, "after");
	cr_assert_eq(strlen(b), n);
	cr_assert_eq(intern(t, big), b);
	cr_assert_str_eq(small1, "before");
	cr_assert_str_eq(small2, "after");
	big[0] = 'y';
	const char *b2 = intern(t, big);
	cr_assert_neq(b2, b);
	cr_assert_eq(b2[0], 'y');
	cr_assert_eq(b[0], 'x');
	free(big);
	intern_free(t);
}
