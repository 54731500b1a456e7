/* string.c — strace-style quoting of tracee bytes (see decode_string.h). */
#include "decode_string.h"

void fmt_quoted(struct obuf *ob, const unsigned char *data, size_t len, size_t limit, bool truncated)
{
	fmt_quoted_hex(ob, data, len, limit, truncated, HEX_NONE);
}

void fmt_quoted_hex(struct obuf *ob, const unsigned char *data, size_t len, size_t limit, bool truncated,
		    enum hex_style hex)
{
	size_t n = len < limit ? len : limit;
	char esc[5];
	static const char digits[] = "0123456789abcdef";

	bool all_hex = hex == HEX_ALL;
	if (hex == HEX_NON_ASCII) /* any byte beyond printable ASCII and \t..\r: all in hex */
		for (size_t i = 0; i < n && !all_hex; i++)
			all_hex = data[i] > 0x7e || (data[i] < ' ' && (unsigned)(data[i] - 9) >= 5);
	obuf_putc(ob, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = data[i];
		if (all_hex || (hex == HEX_CHARS && (c > 0x7e || (c < ' ' && (unsigned)(c - 9) >= 5)))) {
			char x[4] = { '\\', 'x', digits[c >> 4], digits[c & 15] };
			obuf_putn(ob, x, 4);
			continue;
		}
		switch (c) {
		case '"':  obuf_puts(ob, "\\\""); continue;
		case '\\': obuf_puts(ob, "\\\\"); continue;
		case '\t': obuf_puts(ob, "\\t"); continue;
		case '\n': obuf_puts(ob, "\\n"); continue;
		case '\v': obuf_puts(ob, "\\v"); continue;
		case '\f': obuf_puts(ob, "\\f"); continue;
		case '\r': obuf_puts(ob, "\\r"); continue;
		default: break;
		}
		if (c >= 0x20 && c <= 0x7e) {
			obuf_putc(ob, (char)c);
			continue;
		}
		/* Octal escape; full three digits when the next printed byte is
		 * an octal digit, so the escape stays unambiguous. */
		bool next_digit = i + 1 < n && data[i + 1] >= '0' && data[i + 1] <= '7';
		size_t k = 0;
		esc[k++] = '\\';
		if (next_digit || c >= 0100) {
			esc[k++] = (char)('0' + (c >> 6));
			esc[k++] = (char)('0' + ((c >> 3) & 7));
		} else if (c >= 010) {
			esc[k++] = (char)('0' + ((c >> 3) & 7));
		}
		esc[k++] = (char)('0' + (c & 7));
		obuf_putn(ob, esc, k);
	}
	obuf_putc(ob, '"');
	if (len > limit || truncated)
		obuf_puts(ob, "...");
}
