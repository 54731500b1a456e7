/* Unit tests for fmt_quoted; expected strings are strace 6.1 output. */
#include <criterion/criterion.h>
#include <string.h>

#include "decode_string.h"

static char qbuf[1024];

static const char *q(const void *data, size_t len, size_t limit, bool truncated)
{
	struct obuf ob;
	obuf_init(&ob, qbuf, sizeof qbuf);
	fmt_quoted(&ob, data, len, limit, truncated);
	return qbuf;
}

#define QS(lit, limit) q(lit, sizeof(lit) - 1, limit, false)

Test(decode_string, empty)
{
	cr_assert_str_eq(q("", 0, 32, false), "\"\"");
	cr_assert_str_eq(q("", 0, 0, false), "\"\"");
}

Test(decode_string, plain_and_newline)
{
	cr_assert_str_eq(QS("hello\n", 32), "\"hello\\n\"");
}

Test(decode_string, c_escapes)
{
	cr_assert_str_eq(QS("\t\r\v\f\n", 32), "\"\\t\\r\\v\\f\\n\"");
	cr_assert_str_eq(QS("a\"b\\c", 32), "\"a\\\"b\\\\c\"");
}

Test(decode_string, all_printables_literal)
{
	char in[95];
	for (int i = 0; i < 95; i++)
		in[i] = (char)(0x20 + i);
	const char *out = q(in, sizeof in, 200, false);
	cr_assert_str_eq(out, "\" !\\\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ"
			      "[\\\\]^_`abcdefghijklmnopqrstuvwxyz{|}~\"");
}

/* printf 'a\x01\x02b9\x00\x0712\xff\x7f"\\\t\r\v\f\n' | strace -e read -s 64 cat */
Test(decode_string, strace_binary_mix)
{
	cr_assert_str_eq(QS("a\x01\x02" "b9\x00\x07" "12\xff\x7f\"\\\t\r\v\f\n", 64),
			 "\"a\\1\\2b9\\0\\00712\\377\\177\\\"\\\\\\t\\r\\v\\f\\n\"");
}

/* printf '\x018\x029\x037\x04a' : only octal digits force three digits */
Test(decode_string, octal_followed_by_digit)
{
	cr_assert_str_eq(QS("\x01" "8\x02" "9\x03" "7\x04" "a", 64), "\"\\18\\29\\0037\\4a\"");
	cr_assert_str_eq(QS("\x00" "0", 64), "\"\\0000\"");
	cr_assert_str_eq(QS("\x1b[0m", 64), "\"\\33[0m\"");
	cr_assert_str_eq(QS("\x1b" "1", 64), "\"\\0331\"");
}

/* the lookahead stops at the limit: printf '\x017' | strace -s 1 */
Test(decode_string, lookahead_limited_to_printed_bytes)
{
	cr_assert_str_eq(QS("\x01" "7", 1), "\"\\1\"...");
	/* printf '\xc8\x018' | strace -s 2 */
	cr_assert_str_eq(QS("\xc8\x01" "8", 2), "\"\\310\\1\"...");
}

/* strace -e read cat /bin/true: the ELF header, default -s 32 */
Test(decode_string, elf_header_truncated)
{
	static const unsigned char elf[] = {
		0x7f, 'E', 'L', 'F', 2, 1, 1, 3, 0, 0, 0, 0, 0, 0, 0, 0,
		3, 0, '>', 0, 1, 0, 0, 0, 0x10, 't', 2, 0, 0, 0, 0, 0,
		'@', 0, 0, 0, 0, 0, 0, 0,
	};
	cr_assert_str_eq(q(elf, sizeof elf, 32, false),
			 "\"\\177ELF\\2\\1\\1\\3\\0\\0\\0\\0\\0\\0\\0\\0\\3\\0>\\0\\1\\0\\0\\0\\20t\\2\\0\\0\\0\\0\\0\"...");
	cr_assert_str_eq(q(elf, sizeof elf, 4, false), "\"\\177ELF\"...");
}

/* strace -e read -s 64: "@\08\0" — \0 before '8' stays short */
Test(decode_string, nul_before_eight_stays_short)
{
	cr_assert_str_eq(QS("@\x00" "8\x00\x0e\x00", 64), "\"@\\08\\0\\16\\0\"");
}

Test(decode_string, truncation_marker)
{
	/* strace -e read cat (default -s 32) on locale.alias */
	cr_assert_str_eq(QS("# Locale name alias data base.\n# Copyright", 32),
			 "\"# Locale name alias data base.\\n#\"...");
	cr_assert_str_eq(QS("# Locale name alias data base.\n# Copyright", 4), "\"# Lo\"...");
	/* len == limit: no marker */
	cr_assert_str_eq(QS("abcd", 4), "\"abcd\"");
	/* explicit truncated flag (e.g. no NUL found within the limit) */
	cr_assert_str_eq(q("abcd", 4, 32, true), "\"abcd\"...");
	cr_assert_str_eq(q("abcd", 4, 0, false), "\"\"...");
}

Test(decode_string, high_bytes)
{
	cr_assert_str_eq(QS("\x80\xff\xc3\xa9", 32), "\"\\200\\377\\303\\251\"");
	cr_assert_str_eq(QS("\x08\x7f", 32), "\"\\10\\177\"");
}

Test(decode_string, overflow_of_obuf_is_safe)
{
	char small[8];
	struct obuf ob;
	obuf_init(&ob, small, sizeof small);
	fmt_quoted(&ob, (const unsigned char *)"\x01\x02\x03\x04", 4, 32, false);
	cr_assert(ob.overflow);
	cr_assert_str_eq(small, "\"\\1\\2\\3");
}
