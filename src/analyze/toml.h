/* toml.h — a TOML 1.0 parser producing a position-annotated tree.
 *
 * Parses a whole document from memory (or a file) into a tree of
 * `struct toml_value`. Every value and every key remembers the 1-based
 * line and column where it was defined, so a schema loader can report
 * `FILE:LINE:COL: message` for wrong types and unknown keys. Tables keep
 * their keys in insertion (document) order.
 *
 * Columns count characters (UTF-8 code points), a tab counts as 1, and a
 * byte-order mark at the start of the input is not counted.
 *
 * Supported: everything in TOML 1.0 except offset/local date-times, local
 * dates and local times, which are rejected with "dates are not supported".
 * Integers are int64_t (overflow is an error), floats are double.
 *
 * Positions recorded:
 *   - scalar, array, inline table: its first character ('"', '[', '{', digit…);
 *   - table from `[a.b]` or element of `[[a.b]]`: the header's first '[';
 *   - table created implicitly (the `a` of `[a.b]`, or of `a.b = 1`): the key
 *     token that created it (updated to the header if `[a]` follows later);
 *   - array of tables: the first `[[...]]` header that created it;
 *   - key (`struct toml_kv.pos`): the key token where it was first created.
 *
 * Ownership: toml_parse*() return a tree owned by the caller, released with
 * toml_free(). All lookups return pointers into that tree (valid until it is
 * freed). Nothing here keeps global state; distinct trees may be used from
 * distinct threads.
 *
 * Robustness: inputs are fully validated (UTF-8, control characters); the
 * nesting depth (tables, arrays, inline tables, dotted key parts) is limited
 * to TOML_MAX_DEPTH and exceeding it is a normal parse error. Table lookups
 * are hashed, so large inputs stay linear. */
#ifndef RENACER_TOML_H
#define RENACER_TOML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TOML_MAX_DEPTH 100

enum toml_type {
	TOML_TABLE = 1,
	TOML_ARRAY,
	TOML_STRING,
	TOML_INTEGER,
	TOML_FLOAT,
	TOML_BOOL,
};

/* Value flags (struct toml_value.flags). */
enum {
	TOML_F_ARRAY_OF_TABLES = 1u << 0, /* array built by [[header]]s */
	TOML_F_INLINE = 1u << 1,          /* inline table { ... } (frozen) */
	TOML_F_IMPLICIT = 1u << 2,        /* table only created as a parent of [a.b]; never defined */
	TOML_F_DOTTED = 1u << 3,          /* table created by a dotted key (a.b = 1) */
	TOML_F_HEADER = 1u << 4,          /* table defined by a [header] (or [[header]] element) */
};

struct toml_pos {
	unsigned line; /* 1-based; 0 = no position (e.g. file could not be read) */
	unsigned col;  /* 1-based, in characters */
};

struct toml_value;

/* One key of a table. `name` is NUL-terminated for convenience but may
 * contain NUL bytes itself (a quoted key with \u0000): `len` is the truth. */
struct toml_kv {
	char *name;
	size_t len;
	struct toml_pos pos;
	struct toml_value *value;
};

/* Fields are read-only for users; use the helpers below or read them
 * directly according to `type`. */
struct toml_value {
	enum toml_type type;
	struct toml_pos pos;
	unsigned flags;
	unsigned depth; /* root table = 0 */
	union {
		struct {
			struct toml_kv *items; /* len entries in insertion order */
			size_t len, cap;
			uint32_t *index; /* internal hash index (may be NULL) */
			size_t index_cap;
		} table;
		struct {
			struct toml_value **items;
			size_t len, cap;
		} array;
		struct {
			char *ptr; /* NUL-terminated; may contain NUL bytes, see len */
			size_t len;
		} string;
		int64_t integer;
		double fp;
		bool boolean;
	} u;
};

/* The first error stops parsing. `file` is truncated to fit. */
struct toml_error {
	char file[4096];
	unsigned line; /* 0 when there is no position (I/O errors) */
	unsigned col;
	char msg[256];
};

/* Parses `len` bytes at `buf` (no NUL terminator needed; NUL bytes are
 * errors). `filename` is used only for error messages (NULL → "<input>").
 * Returns the root table, or NULL with `*err` filled (err may be NULL). */
struct toml_value *toml_parse(const char *buf, size_t len, const char *filename,
			      struct toml_error *err);

/* Reads and parses `path`; I/O errors are reported with line = col = 0. */
struct toml_value *toml_parse_file(const char *path, struct toml_error *err);

/* Releases a tree returned by toml_parse*(). NULL is allowed. */
void toml_free(struct toml_value *root);

/* Writes "FILE:LINE:COL: message" (or "FILE: message" when line == 0), with
 * no trailing newline, into buf. Returns what snprintf returns. */
int toml_error_format(const struct toml_error *err, char *buf, size_t size);

/* "table", "array", "string", "integer", "float", "boolean". */
const char *toml_type_name(enum toml_type type);

/* --- tables (all return NULL / 0 when `tbl` is NULL or not a table) --- */
const struct toml_value *toml_table_get(const struct toml_value *tbl, const char *key);
const struct toml_value *toml_table_getn(const struct toml_value *tbl, const char *key,
					 size_t keylen);
const struct toml_kv *toml_table_get_kv(const struct toml_value *tbl, const char *key);
size_t toml_table_len(const struct toml_value *tbl);
const struct toml_kv *toml_table_at(const struct toml_value *tbl, size_t i); /* in order */

/* --- arrays (NULL / 0 when `arr` is NULL or not an array, or i out of range) --- */
size_t toml_array_len(const struct toml_value *arr);
const struct toml_value *toml_array_at(const struct toml_value *arr, size_t i);
bool toml_array_is_table_array(const struct toml_value *arr); /* came from [[x]] */

/* --- scalars: return false (leaving *out alone) on NULL or a type mismatch --- */
bool toml_get_string(const struct toml_value *v, const char **s, size_t *len);
bool toml_get_int(const struct toml_value *v, int64_t *out);
bool toml_get_float(const struct toml_value *v, double *out);
bool toml_get_number(const struct toml_value *v, double *out); /* integer or float */
bool toml_get_bool(const struct toml_value *v, bool *out);

#endif
