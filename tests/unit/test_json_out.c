/* test_json_out.c — json_put_str: escaping, UTF-8 validation, truncation. */
#include <criterion/criterion.h>

#include <cjson/cJSON.h>
#include <string.h>

#include "json_out.h"

static char out[4096];

static const char *enc(const char *s, size_t len)
{
	struct obuf ob;
	obuf_init(&ob, out, sizeof(out));
	json_put_str(&ob, s, len);
	cr_assert(!ob.overflow);
	return out;
}

#define ENC(lit) enc(lit, sizeof(lit) - 1)

Test(json_out, plain_ascii)
{
	cr_assert_str_eq(ENC("hello world"), "\"hello world\"");
	cr_assert_str_eq(ENC(""), "\"\"");
}

Test(json_out, quotes_and_backslash)
{
	cr_assert_str_eq(ENC("a\"b\\c/d"), "\"a\\\"b\\\\c/d\"");
}

Test(json_out, control_chars)
{
	cr_assert_str_eq(ENC("\n\t\r\b\f"), "\"\\n\\t\\r\\b\\f\"");
	cr_assert_str_eq(ENC("\x01\x1f\x7f"), "\"\\u0001\\u001f\\u007f\"");
	/* An embedded NUL is data, not the end. */
	cr_assert_str_eq(enc("a\0b", 3), "\"a\\u0000b\"");
}

Test(json_out, valid_utf8_passes)
{
	cr_assert_str_eq(ENC("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"), "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
	/* Boundaries: U+0080, U+07FF, U+0800, U+FFFF, U+10000, U+10FFFF. */
	cr_assert_str_eq(ENC("\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf\xf0\x90\x80\x80\xf4\x8f\xbf\xbf"),
			 "\"\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf\xf0\x90\x80\x80\xf4\x8f\xbf\xbf\"");
}

Test(json_out, invalid_utf8_bytes_escaped)
{
	/* Lone continuation, invalid lead, truncated sequence. */
	cr_assert_str_eq(ENC("\x80"), "\"\\u0080\"");
	cr_assert_str_eq(ENC("a\xff" "b"), "\"a\\u00ffb\"");
	cr_assert_str_eq(ENC("\xc3"), "\"\\u00c3\"");
	cr_assert_str_eq(ENC("\xe2\x82"), "\"\\u00e2\\u0082\"");
	/* Overlong encodings. */
	cr_assert_str_eq(ENC("\xc0\xaf"), "\"\\u00c0\\u00af\"");
	cr_assert_str_eq(ENC("\xe0\x80\xaf"), "\"\\u00e0\\u0080\\u00af\"");
	cr_assert_str_eq(ENC("\xf0\x80\x80\xaf"), "\"\\u00f0\\u0080\\u0080\\u00af\"");
	/* UTF-16 surrogate encoded in UTF-8, and a code point above U+10FFFF. */
	cr_assert_str_eq(ENC("\xed\xa0\x80"), "\"\\u00ed\\u00a0\\u0080\"");
	cr_assert_str_eq(ENC("\xf4\x90\x80\x80"), "\"\\u00f4\\u0090\\u0080\\u0080\"");
	/* A valid sequence right after an invalid byte survives. */
	cr_assert_str_eq(ENC("\xff\xc3\xa9"), "\"\\u00ff\xc3\xa9\"");
}

Test(json_out, every_byte_parses_with_cjson)
{
	unsigned char all[256];
	for (int i = 0; i < 256; i++)
		all[i] = (unsigned char)i;
	char big[4096];
	struct obuf ob;
	obuf_init(&ob, big, sizeof(big));
	json_put_str(&ob, (const char *)all, sizeof(all));
	cr_assert(!ob.overflow);
	cJSON *v = cJSON_Parse(big);
	cr_assert_not_null(v, "%s", big);
	cr_assert(cJSON_IsString(v));
	/* Bytes 1..0x7f come back as themselves (0 ends the C string). */
	cr_assert_eq(v->valuestring[0], '\0');
	cJSON_Delete(v);
	obuf_reset(&ob);
	json_put_str(&ob, (const char *)all + 1, 255);
	v = cJSON_Parse(big);
	cr_assert_not_null(v);
	for (int i = 1; i < 0x80; i++)
		cr_assert_eq((unsigned char)v->valuestring[i - 1], i);
	cJSON_Delete(v);
}

Test(json_out, truncation_keeps_valid_json)
{
	char small[12];
	struct obuf ob;
	obuf_init(&ob, small, sizeof(small));
	json_put_str(&ob, "\n\n\n\n\n\n\n\n", 8);
	cr_assert(ob.overflow);
	cr_assert_str_eq(small, "\"\\n\\n\\n\\n\"");
	obuf_init(&ob, small, sizeof(small));
	json_put_str(&ob, "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 10);
	cr_assert(ob.overflow);
	cr_assert_str_eq(small, "\"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\"");
	obuf_init(&ob, small, sizeof(small));
	json_put_str(&ob, "\xff\xff\xff", 3);
	cr_assert(ob.overflow);
	cr_assert_str_eq(small, "\"\\u00ff\"");
	/* No room for even the quotes: nothing written. */
	obuf_init(&ob, small, 2);
	json_put_str(&ob, "x", 1);
	cr_assert(ob.overflow);
	cr_assert_str_eq(small, "");
}

Test(json_out, cstr_null)
{
	struct obuf ob;
	obuf_init(&ob, out, sizeof(out));
	json_put_cstr(&ob, NULL);
	obuf_putc(&ob, ',');
	json_put_cstr(&ob, "x");
	cr_assert_str_eq(out, "null,\"x\"");
}
