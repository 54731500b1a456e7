/* json_out.c — JSON string escaping into an obuf (see src/util/json_out.h).
 *
 * Valid UTF-8 sequences pass through unchanged; '"', '\\' and control
 * characters are escaped; every byte that is not part of a well-formed
 * UTF-8 sequence (stray continuation bytes, overlong forms, surrogates,
 * code points above U+10FFFF, truncated sequences) is written as \u00XX
 * of the byte value. When the buffer is too small the string is cut at a
 * unit boundary (never inside an escape or a UTF-8 sequence) and still
 * closed with its quote, so the output stays valid JSON; obuf's overflow
 * flag tells the caller. */
#include "json_out.h"

#include <stdbool.h>
#include <stdint.h>

static size_t room_of(const struct obuf *ob)
{
	if (!ob->buf || ob->cap == 0 || ob->len + 1 >= ob->cap)
		return 0;
	return ob->cap - 1 - ob->len;
}

/* Length of the well-formed UTF-8 sequence at p (n bytes available), or 0
 * when the lead byte does not start one (RFC 3629 table 3-7). */
static size_t utf8_seq_len(const unsigned char *p, size_t n)
{
	unsigned char c = p[0];
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return (n >= 2 && (p[1] & 0xc0) == 0x80) ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		if (n < 3)
			return 0;
		unsigned char lo = 0x80, hi = 0xbf;
		if (c == 0xe0)
			lo = 0xa0; /* overlong */
		else if (c == 0xed)
			hi = 0x9f; /* surrogates */
		if (p[1] < lo || p[1] > hi || (p[2] & 0xc0) != 0x80)
			return 0;
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if (n < 4)
			return 0;
		unsigned char lo = 0x80, hi = 0xbf;
		if (c == 0xf0)
			lo = 0x90; /* overlong */
		else if (c == 0xf4)
			hi = 0x8f; /* above U+10FFFF */
		if (p[1] < lo || p[1] > hi || (p[2] & 0xc0) != 0x80 || (p[3] & 0xc0) != 0x80)
			return 0;
		return 4;
	}
	return 0;
}

void json_put_str(struct obuf *ob, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	if (room_of(ob) < 2) {
		ob->overflow = true;
		return;
	}
	obuf_putc(ob, '"');
	size_t i = 0;
	while (p && i < len) {
		char esc[8];
		const char *unit = NULL;
		size_t ulen = 0;
		unsigned char c = p[i];
		size_t consumed = 1;
		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			unit = esc;
			ulen = 2;
		} else if (c < 0x20 || c == 0x7f) {
			char short_form = 0;
			switch (c) {
			case '\n': short_form = 'n'; break;
			case '\t': short_form = 't'; break;
			case '\r': short_form = 'r'; break;
			case '\b': short_form = 'b'; break;
			case '\f': short_form = 'f'; break;
			default: break;
			}
			esc[0] = '\\';
			if (short_form) {
				esc[1] = short_form;
				ulen = 2;
			} else {
				esc[1] = 'u';
				esc[2] = '0';
				esc[3] = '0';
				esc[4] = hex[c >> 4];
				esc[5] = hex[c & 0xf];
				ulen = 6;
			}
			unit = esc;
		} else {
			size_t sl = utf8_seq_len(p + i, len - i);
			if (sl == 0) {
				esc[0] = '\\';
				esc[1] = 'u';
				esc[2] = '0';
				esc[3] = '0';
				esc[4] = hex[c >> 4];
				esc[5] = hex[c & 0xf];
				unit = esc;
				ulen = 6;
			} else {
				/* Copy plain runs in one go. */
				size_t j = i + sl;
				while (j < len) {
					unsigned char d = p[j];
					if (d == '"' || d == '\\' || d < 0x20 || d == 0x7f)
						break;
					size_t dl = utf8_seq_len(p + j, len - j);
					if (dl == 0)
						break;
					j += dl;
				}
				unit = s + i;
				ulen = j - i;
				consumed = ulen;
				size_t room = room_of(ob);
				if (ulen + 1 > room) {
					/* Cut the run at a sequence boundary that fits. */
					size_t fit = 0;
					while (fit < ulen) {
						size_t dl = utf8_seq_len(p + i + fit, ulen - fit);
						if (fit + dl + 1 > room)
							break;
						fit += dl;
					}
					obuf_putn(ob, unit, fit);
					ob->overflow = true;
					break;
				}
			}
		}
		if (ulen + 1 > room_of(ob)) {
			ob->overflow = true;
			break;
		}
		obuf_putn(ob, unit, ulen);
		i += consumed;
	}
	obuf_putc(ob, '"');
}
