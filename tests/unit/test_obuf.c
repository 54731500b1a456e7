/* Unit tests for the bounded output buffer (src/decode/obuf.c). */
#include <criterion/criterion.h>
#include <limits.h>
#include <string.h>

#include "obuf.h"

Test(obuf, init_is_empty_and_terminated)
{
	char b[8];
	memset(b, 'x', sizeof b);
	struct obuf ob;
	obuf_init(&ob, b, sizeof b);
	cr_assert_eq(ob.len, 0);
	cr_assert(!ob.overflow);
	cr_assert_str_eq(b, "");
}

Test(obuf, put_functions_append)
{
	char b[128];
	struct obuf ob;
	obuf_init(&ob, b, sizeof b);
	obuf_putc(&ob, 'a');
	obuf_puts(&ob, "bc");
	obuf_putn(&ob, "defgh", 2);
	obuf_printf(&ob, "<%d,%s>", 42, "x");
	cr_assert_str_eq(b, "abcde<42,x>");
	cr_assert_eq(ob.len, strlen(b));
	cr_assert(!ob.overflow);
}

Test(obuf, putn_embedded_nul_counts_bytes)
{
	char b[16];
	struct obuf ob;
	obuf_init(&ob, b, sizeof b);
	obuf_putn(&ob, "a\0b", 3);
	cr_assert_eq(ob.len, 3);
	cr_assert_eq(memcmp(b, "a\0b\0", 4), 0);
}

Test(obuf, numbers)
{
	char b[256];
	struct obuf ob;
	obuf_init(&ob, b, sizeof b);
	obuf_put_long(&ob, 0);
	obuf_putc(&ob, ' ');
	obuf_put_long(&ob, -1);
	obuf_putc(&ob, ' ');
	obuf_put_long(&ob, 1234567);
	obuf_putc(&ob, ' ');
	obuf_put_long(&ob, LONG_MIN);
	obuf_putc(&ob, ' ');
	obuf_put_long(&ob, LONG_MAX);
	obuf_putc(&ob, ' ');
	obuf_put_ulong(&ob, ULONG_MAX);
	obuf_putc(&ob, ' ');
	obuf_put_ulong(&ob, 0);
	cr_assert_str_eq(b, "0 -1 1234567 -9223372036854775808 9223372036854775807 "
			    "18446744073709551615 0");
}

Test(obuf, hex)
{
	char b[128];
	struct obuf ob;
	obuf_init(&ob, b, sizeof b);
	obuf_put_hex(&ob, 0);
	obuf_putc(&ob, ' ');
	obuf_put_hex(&ob, 0x1f);
	obuf_putc(&ob, ' ');
	obuf_put_hex(&ob, 0x7ffd53d0b878UL);
	obuf_putc(&ob, ' ');
	obuf_put_hex(&ob, ULONG_MAX);
	cr_assert_str_eq(b, "0 0x1f 0x7ffd53d0b878 0xffffffffffffffff");
}

Test(obuf, oct_like_strace_modes)
{
	char b[128];
	struct obuf ob;
	obuf_init(&ob, b, sizeof b);
	obuf_put_oct(&ob, 0);
	obuf_putc(&ob, ' ');
	obuf_put_oct(&ob, 0644);
	obuf_putc(&ob, ' ');
	obuf_put_oct(&ob, 0755);
	obuf_putc(&ob, ' ');
	obuf_put_oct(&ob, 022);
	obuf_putc(&ob, ' ');
	obuf_put_oct(&ob, 0100644);
	cr_assert_str_eq(b, "0 0644 0755 022 0100644");
}

Test(obuf, overflow_truncates_puts)
{
	char b[6];
	struct obuf ob;
	obuf_init(&ob, b, sizeof b);
	obuf_puts(&ob, "abc");
	cr_assert(!ob.overflow);
	obuf_puts(&ob, "defgh");
	cr_assert(ob.overflow);
	cr_assert_eq(ob.len, 5);
	cr_assert_str_eq(b, "abcde");
	/* further appends stay truncated and terminated */
	obuf_putc(&ob, 'z');
	obuf_put_long(&ob, 99);
	obuf_put_hex(&ob, 0xff);
	obuf_printf(&ob, "%s", "more");
	cr_assert_eq(ob.len, 5);
	cr_assert_str_eq(b, "abcde");
	cr_assert(ob.overflow);
}

Test(obuf, exact_fit_is_not_overflow)
{
	char b[4];
	struct obuf ob;
	obuf_init(&ob, b, sizeof b);
	obuf_puts(&ob, "abc");
	cr_assert(!ob.overflow);
	cr_assert_str_eq(b, "abc");
	obuf_putn(&ob, "", 0);
	cr_assert(!ob.overflow);
	obuf_putc(&ob, 'd');
	cr_assert(ob.overflow);
	cr_assert_str_eq(b, "abc");
}

Test(obuf, printf_overflow)
{
	char b[8];
	struct obuf ob;
	obuf_init(&ob, b, sizeof b);
	obuf_puts(&ob, "ab");
	obuf_printf(&ob, "%d-%s", 12345, "xyz");
	cr_assert(ob.overflow);
	cr_assert_eq(ob.len, 7);
	cr_assert_str_eq(b, "ab12345");
}

Test(obuf, printf_exact_fit)
{
	char b[6];
	struct obuf ob;
	obuf_init(&ob, b, sizeof b);
	obuf_printf(&ob, "%05d", 42);
	cr_assert(!ob.overflow);
	cr_assert_str_eq(b, "00042");
}

Test(obuf, number_overflow_truncates)
{
	char b[5];
	struct obuf ob;
	obuf_init(&ob, b, sizeof b);
	obuf_put_hex(&ob, 0xabcdef);
	cr_assert(ob.overflow);
	cr_assert_str_eq(b, "0xab");
}

Test(obuf, cap_one_holds_only_nul)
{
	char b[1] = { 'q' };
	struct obuf ob;
	obuf_init(&ob, b, sizeof b);
	cr_assert_str_eq(b, "");
	obuf_putc(&ob, 'a');
	obuf_printf(&ob, "x");
	cr_assert(ob.overflow);
	cr_assert_eq(ob.len, 0);
	cr_assert_str_eq(b, "");
}

Test(obuf, reset_clears_overflow)
{
	char b[4];
	struct obuf ob;
	obuf_init(&ob, b, sizeof b);
	obuf_puts(&ob, "abcdef");
	cr_assert(ob.overflow);
	obuf_reset(&ob);
	cr_assert(!ob.overflow);
	cr_assert_eq(ob.len, 0);
	cr_assert_str_eq(b, "");
	obuf_puts(&ob, "xy");
	cr_assert_str_eq(b, "xy");
}
