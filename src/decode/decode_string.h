/* decode_string.h — strace-style quoting of tracee bytes.
 *
 * Appends into an obuf; never allocates. */
#ifndef RENACER_DECODE_STRING_H
#define RENACER_DECODE_STRING_H

#include <stdbool.h>
#include <stddef.h>
#include "obuf.h"

/* Append `data` quoted and escaped exactly as strace prints strings:
 *   "hello\n"  "\177ELF\2\1\1\0\0"  "a\"b\\c"  "\t\r\v\f"
 * Printable ASCII (0x20..0x7e) is literal except '"' and '\\'; \t \n \v \f
 * \r use their C escapes; any other byte is octal, using the shortest form
 * unless the next byte is an octal digit, in which case three digits.
 * At most `limit` bytes are printed; if `len` > `limit`, or `truncated` is
 * true, "..." follows the closing quote. */
void fmt_quoted(struct obuf *ob, const unsigned char *data, size_t len, size_t limit, bool truncated);

/* strace's -x family (--strings-in-hex): HEX_CHARS ("non-ascii-chars")
 * writes the bytes that need an escape as \xHH instead of octal;
 * HEX_NON_ASCII (-x) writes the whole string as \xHH when any byte other
 * than printable ASCII and \t \n \v \f \r is in it; HEX_ALL (-xx) always. */
enum hex_style { HEX_NONE, HEX_CHARS, HEX_NON_ASCII, HEX_ALL };
void fmt_quoted_hex(struct obuf *ob, const unsigned char *data, size_t len, size_t limit, bool truncated,
		    enum hex_style hex);

#endif
