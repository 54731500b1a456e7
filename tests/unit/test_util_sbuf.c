/* Unit tests for the growable string buffer (src/util/sbuf.c). */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sbuf.h"

Test(util_sbuf, init_is_empty_without_allocation)
{
	struct sbuf b = SBUF_INIT;
	cr_assert_null(b.p);
	cr_assert_eq(b.len, 0);
	cr_assert_eq(b.cap, 0);
	cr_assert_not(b.oom);
	sbuf_free(&b); /* freeing an untouched buffer is fine */
}

Test(util_sbuf, appends_and_terminates)
{
	struct sbuf b = SBUF_INIT;
	sbuf_putc(&b, 'a');
	sbuf_puts(&b, "bc");
	sbuf_putn(&b, "defgh", 2);
	sbuf_printf(&b, "<%d,%s>", 42, "x");
	cr_assert_str_eq(b.p, "abcde<42,x>");
	cr_assert_eq(b.len, strlen(b.p));
	cr_assert_geq(b.cap, SBUF_MIN_CAP);
	cr_assert_not(b.oom);
	sbuf_free(&b);
	cr_assert_null(b.p);
	cr_assert_eq(b.len, 0);
}

Test(util_sbuf, empty_appends)
{
	struct sbuf b = SBUF_INIT;
	sbuf_puts(&b, "");
	sbuf_putn(&b, "", 0);
	sbuf_printf(&b, "%s", "");
	cr_assert_eq(b.len, 0);
	cr_assert_not(b.oom);
	if (b.p)
		cr_assert_str_eq(b.p, "");
	sbuf_free(&b);
}

Test(util_sbuf, embedded_nul_counts_bytes)
{
	struct sbuf b = SBUF_INIT;
	sbuf_putn(&b, "a\0b", 3);
	cr_assert_eq(b.len, 3);
	cr_assert_eq(memcmp(b.p, "a\0b\0", 4), 0);
	sbuf_free(&b);
}

Test(util_sbuf, grows_through_many_appends)
{
	struct sbuf b = SBUF_INIT;
	for (int i = 0; i < 100000; i++)
		sbuf_putc(&b, (char)('a' + i % 26));
	cr_assert_eq(b.len, 100000);
	cr_assert_gt(b.cap, b.len);
	cr_assert_eq(b.p[b.len], '\0');
	for (int i = 0; i < 100000; i++)
		cr_assert_eq(b.p[i], 'a' + i % 26);
	sbuf_free(&b);
}

Test(util_sbuf, exact_fit_boundaries)
{
	/* Fill to exactly cap - 1 bytes, then one more: the NUL always fits. */
	struct sbuf b = SBUF_INIT;
	sbuf_putc(&b, 'x');
	size_t cap = b.cap;
	while (b.len < cap - 1)
		sbuf_putc(&b, 'x');
	cr_assert_eq(b.cap, cap);
	cr_assert_eq(b.p[b.len], '\0');
	sbuf_putc(&b, 'y');
	cr_assert_gt(b.cap, cap);
	cr_assert_eq(b.len, cap);
	cr_assert_eq(b.p[b.len - 1], 'y');
	cr_assert_eq(b.p[b.len], '\0');
	sbuf_free(&b);
}

Test(util_sbuf, printf_longer_than_any_internal_buffer)
{
	struct sbuf b = SBUF_INIT;
	char big[5000];
	memset(big, 'q', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	sbuf_puts(&b, "<");
	sbuf_printf(&b, "%s|%d", big, 7);
	cr_assert_eq(b.len, 1 + 4999 + 2);
	cr_assert_eq(b.p[0], '<');
	cr_assert_eq(b.p[4999], 'q');
	cr_assert_str_eq(b.p + 5000, "|7");
	/* And a printf that fits the room left: no truncation either. */
	sbuf_printf(&b, "%05d", 42);
	cr_assert_str_eq(b.p + 5000, "|700042");
	sbuf_free(&b);
}

Test(util_sbuf, printf_as_first_append)
{
	struct sbuf b = SBUF_INIT;
	sbuf_printf(&b, "%s-%u", "abc", 12u);
	cr_assert_str_eq(b.p, "abc-12");
	sbuf_free(&b);
}

Test(util_sbuf, integers)
{
	struct sbuf b = SBUF_INIT;
	sbuf_put_u64(&b, 0);
	sbuf_putc(&b, ' ');
	sbuf_put_u64(&b, UINT64_MAX);
	sbuf_putc(&b, ' ');
	sbuf_put_i64(&b, -1);
	sbuf_putc(&b, ' ');
	sbuf_put_i64(&b, INT64_MIN);
	sbuf_putc(&b, ' ');
	sbuf_put_i64(&b, INT64_MAX);
	sbuf_putc(&b, ' ');
	sbuf_put_i64(&b, 1234);
	cr_assert_str_eq(b.p, "0 18446744073709551615 -1 -9223372036854775808 9223372036854775807 1234");
	sbuf_free(&b);
}

Test(util_sbuf, reserve_then_advance)
{
	struct sbuf b = SBUF_INIT;
	sbuf_puts(&b, "ab");
	cr_assert(sbuf_reserve(&b, 300));
	cr_assert_geq(b.cap, b.len + 300 + 1);
	memset(b.p + b.len, 'z', 300);
	sbuf_advance(&b, 300);
	cr_assert_eq(b.len, 302);
	cr_assert_eq(strlen(b.p), 302);
	cr_assert_eq(b.p[301], 'z');
	sbuf_free(&b);
}

Test(util_sbuf, reserve_overflow_sets_oom_and_sticks)
{
	struct sbuf b = SBUF_INIT;
	sbuf_puts(&b, "abc");
	char *p = b.p;
	cr_assert_not(sbuf_reserve(&b, SIZE_MAX - 2));
	cr_assert(b.oom);
	/* Contents stay readable; later appends are ignored. */
	cr_assert_eq(b.p, p);
	cr_assert_str_eq(b.p, "abc");
	sbuf_puts(&b, "more");
	sbuf_printf(&b, "%d", 5);
	sbuf_put_u64(&b, 9);
	cr_assert_eq(b.len, 3);
	cr_assert_not(sbuf_reserve(&b, 1));
	/* take after oom: NULL, bytes freed (ASan checks), buffer reset. */
	size_t len = 99;
	cr_assert_null(sbuf_take(&b, &len));
	cr_assert_eq(len, 0);
	cr_assert_null(b.p);
	cr_assert_not(b.oom);
}

Test(util_sbuf, putn_overflow_sets_oom)
{
	struct sbuf b = SBUF_INIT;
	sbuf_puts(&b, "x");
	volatile size_t huge = SIZE_MAX; /* opaque to the compiler */
	sbuf_putn(&b, "y", huge);        /* never read: the size check fails first */
	cr_assert(b.oom);
	cr_assert_eq(b.len, 1);
	sbuf_free(&b);
}

Test(util_sbuf, take_hands_over_the_string)
{
	struct sbuf b = SBUF_INIT;
	sbuf_puts(&b, "hello");
	size_t len = 0;
	char *s = sbuf_take(&b, &len);
	cr_assert_str_eq(s, "hello");
	cr_assert_eq(len, 5);
	cr_assert_null(b.p);
	cr_assert_eq(b.len, 0);
	cr_assert_eq(b.cap, 0);
	/* The buffer is reusable after a take. */
	sbuf_puts(&b, "again");
	cr_assert_str_eq(b.p, "again");
	sbuf_free(&b);
	free(s);
}

Test(util_sbuf, take_of_empty_is_allocated_empty_string)
{
	struct sbuf b = SBUF_INIT;
	char *s = sbuf_take(&b, NULL);
	cr_assert_not_null(s);
	cr_assert_str_eq(s, "");
	free(s);
}

Test(util_sbuf, reset_keeps_storage)
{
	struct sbuf b = SBUF_INIT;
	sbuf_puts(&b, "some text");
	char *p = b.p;
	size_t cap = b.cap;
	sbuf_reset(&b);
	cr_assert_eq(b.len, 0);
	cr_assert_eq(b.p, p);
	cr_assert_eq(b.cap, cap);
	cr_assert_str_eq(b.p, "");
	sbuf_puts(&b, "new");
	cr_assert_str_eq(b.p, "new");
	sbuf_free(&b);
}

Test(util_sbuf, reset_clears_oom)
{
	struct sbuf b = SBUF_INIT;
	sbuf_puts(&b, "abc");
	cr_assert_not(sbuf_reserve(&b, SIZE_MAX));
	cr_assert(b.oom);
	sbuf_reset(&b);
	cr_assert_not(b.oom);
	sbuf_puts(&b, "ok");
	cr_assert_str_eq(b.p, "ok");
	sbuf_free(&b);
}

Test(util_sbuf, reset_on_empty_is_harmless)
{
	struct sbuf b = SBUF_INIT;
	sbuf_reset(&b);
	cr_assert_null(b.p);
	sbuf_puts(&b, "a");
	cr_assert_str_eq(b.p, "a");
	sbuf_free(&b);
}
