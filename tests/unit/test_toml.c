/* Unit tests for the TOML 1.0 parser (src/analyze/toml.c). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "toml.h"

/* ------------------------------------------------------------------ */
/* helpers                                                             */

static struct toml_value *okn(const char *src, size_t len)
{
	struct toml_error err;
	struct toml_value *root = toml_parse(src, len, "t.toml", &err);
	if (!root) {
		char buf[4500];
		toml_error_format(&err, buf, sizeof buf);
		cr_assert_fail("unexpected parse error: %s", buf);
	}
	cr_assert_eq(root->type, TOML_TABLE);
	return root;
}

static struct toml_value *ok(const char *src)
{
	return okn(src, strlen(src));
}

static void badn(const char *src, size_t len, unsigned line, unsigned col, const char *frag)
{
	struct toml_error err;
	struct toml_value *root = toml_parse(src, len, "t.toml", &err);
	if (root) {
		toml_free(root);
		cr_assert_fail("parsed but should have failed (expected %u:%u %s)", line, col, frag);
	}
	cr_assert(strstr(err.msg, frag), "message '%s' lacks '%s'", err.msg, frag);
	cr_assert(err.line == line && err.col == col, "error at %u:%u (%s), expected %u:%u",
		  err.line, err.col, err.msg, line, col);
	cr_assert_str_eq(err.file, "t.toml");
}

static void bad(const char *src, unsigned line, unsigned col, const char *frag)
{
	badn(src, strlen(src), line, col, frag);
}

static const struct toml_value *get(const struct toml_value *t, const char *k)
{
	const struct toml_value *v = toml_table_get(t, k);
	cr_assert(v, "key '%s' missing", k);
	return v;
}

static int64_t geti(const struct toml_value *t, const char *k)
{
	int64_t i = 0;
	cr_assert(toml_get_int(get(t, k), &i), "key '%s' is not an integer", k);
	return i;
}

static double getf(const struct toml_value *t, const char *k)
{
	double d = 0;
	cr_assert(toml_get_float(get(t, k), &d), "key '%s' is not a float", k);
	return d;
}

static const char *gets(const struct toml_value *t, const char *k)
{
	const char *s = NULL;
	cr_assert(toml_get_string(get(t, k), &s, NULL), "key '%s' is not a string", k);
	return s;
}

static void assert_pos(struct toml_pos pos, unsigned line, unsigned col)
{
	cr_assert(pos.line == line && pos.col == col, "position %u:%u, expected %u:%u", pos.line,
		  pos.col, line, col);
}

#define BAD(name, src, l, c, frag) \
	Test(toml_invalid, name)   \
	{                          \
		bad(src, l, c, frag); \
	}

/* ------------------------------------------------------------------ */
/* valid documents                                                     */

Test(toml_valid, empty_document)
{
	struct toml_value *r = ok("");
	cr_assert_eq(toml_table_len(r), 0);
	assert_pos(r->pos, 1, 1);
	toml_free(r);
}

Test(toml_valid, comments_blank_lines_crlf)
{
	struct toml_value *r = ok("# hello\r\n\r\n   \t# indented comment\r\n\r\n# last, no newline");
	cr_assert_eq(toml_table_len(r), 0);
	toml_free(r);
}

Test(toml_valid, spec_section8_example)
{
	const char *src =
		"[[assertion]]\n"
		"name = \"example_startup_latency\"\n"
		"type = \"critical_path\"          # critical_path | span_count | memory_usage | anti_pattern\n"
		"max_duration_ms = 100           #   | syscall_count | syscall_percentage | total_time | golden\n"
		"trace_name_pattern = \"^backend\" # optional ERE over process exe basename\n"
		"fail_on_violation = true        # default true; false = warning only\n"
		"enabled = true                  # default true; false = skipped\n";
	struct toml_value *r = ok(src);
	cr_assert_eq(toml_table_len(r), 1);
	const struct toml_kv *akv = toml_table_at(r, 0);
	cr_assert_str_eq(akv->name, "assertion");
	assert_pos(akv->pos, 1, 3);
	const struct toml_value *arr = akv->value;
	cr_assert_eq(arr->type, TOML_ARRAY);
	cr_assert(toml_array_is_table_array(arr));
	assert_pos(arr->pos, 1, 1);
	cr_assert_eq(toml_array_len(arr), 1);
	const struct toml_value *a = toml_array_at(arr, 0);
	cr_assert_eq(a->type, TOML_TABLE);
	assert_pos(a->pos, 1, 1);
	cr_assert_eq(toml_table_len(a), 6);
	const char *order[] = { "name", "type", "max_duration_ms", "trace_name_pattern",
				"fail_on_violation", "enabled" };
	for (size_t i = 0; i < 6; i++) {
		cr_assert_str_eq(toml_table_at(a, i)->name, order[i]);
		assert_pos(toml_table_at(a, i)->pos, (unsigned)i + 2, 1);
	}
	cr_assert_str_eq(gets(a, "name"), "example_startup_latency");
	cr_assert_str_eq(gets(a, "type"), "critical_path");
	cr_assert_eq(geti(a, "max_duration_ms"), 100);
	cr_assert_str_eq(gets(a, "trace_name_pattern"), "^backend");
	bool b = false;
	cr_assert(toml_get_bool(get(a, "fail_on_violation"), &b) && b);
	cr_assert(toml_get_bool(get(a, "enabled"), &b) && b);
	assert_pos(get(a, "name")->pos, 2, 8);
	assert_pos(get(a, "type")->pos, 3, 8);
	assert_pos(get(a, "max_duration_ms")->pos, 4, 19);
	assert_pos(get(a, "trace_name_pattern")->pos, 5, 22);
	assert_pos(get(a, "fail_on_violation")->pos, 6, 21);
	assert_pos(get(a, "enabled")->pos, 7, 11);
	toml_free(r);
}

Test(toml_valid, misspelt_array_of_tables_is_valid_toml)
{
	/* [[assertions]] is the loader's business; the parser keeps it and
	 * its position so the loader can point at it */
	struct toml_value *r = ok("[[assertions]]\nname = \"x\"\n\n[[assertions]]\nname = \"y\"\n");
	const struct toml_kv *kv = toml_table_get_kv(r, "assertions");
	cr_assert(kv);
	assert_pos(kv->pos, 1, 3);
	cr_assert_eq(toml_array_len(kv->value), 2);
	assert_pos(toml_array_at(kv->value, 1)->pos, 4, 1);
	cr_assert_str_eq(gets(toml_array_at(kv->value, 1), "name"), "y");
	toml_free(r);
}

Test(toml_valid, project_contract_shape)
{
	const char *src = "# contract\n"
			  "[[assertion]]\n"
			  "name = \"startup\"\n"
			  "type = \"critical_path\"\n"
			  "max_duration_ms = 250.5\n"
			  "\n"
			  "[[assertion]]\n"
			  "name = 'pcie'\n"
			  "type = \"anti_pattern\"\n"
			  "pattern = \"PCIeBottleneck\"\n"
			  "threshold = 0.7\n"
			  "fail_on_violation = false\n"
			  "\n"
			  "[[assertion]]\n"
			  "name = \"budget\"\n"
			  "type = \"span_count\"\n"
			  "max_spans = 1_000\n"
			  "span_name_pattern = \"^(read|write)$\"\n";
	struct toml_value *r = ok(src);
	const struct toml_value *arr = get(r, "assertion");
	cr_assert_eq(toml_array_len(arr), 3);
	double d = 0;
	cr_assert(toml_get_number(get(toml_array_at(arr, 0), "max_duration_ms"), &d));
	cr_assert_float_eq(d, 250.5, 1e-12);
	cr_assert(toml_get_number(get(toml_array_at(arr, 2), "max_spans"), &d));
	cr_assert_float_eq(d, 1000.0, 1e-12);
	cr_assert_str_eq(gets(toml_array_at(arr, 2), "span_name_pattern"), "^(read|write)$");
	cr_assert_float_eq(getf(toml_array_at(arr, 1), "threshold"), 0.7, 1e-12);
	assert_pos(toml_array_at(arr, 2)->pos, 14, 1);
	toml_free(r);
}

Test(toml_valid, bare_keys)
{
	struct toml_value *r = ok("key = 1\nbare_key = 2\nbare-key = 3\n1234 = 4\ntrue = 5\n-_- = 6\n");
	cr_assert_eq(geti(r, "key"), 1);
	cr_assert_eq(geti(r, "bare_key"), 2);
	cr_assert_eq(geti(r, "bare-key"), 3);
	cr_assert_eq(geti(r, "1234"), 4);
	cr_assert_eq(geti(r, "true"), 5);
	cr_assert_eq(geti(r, "-_-"), 6);
	toml_free(r);
}

Test(toml_valid, quoted_keys)
{
	struct toml_value *r = ok("\"127.0.0.1\" = 1\n\"ʎǝʞ\" = 2\n'quoted \"value\"' = 3\n\"\" = 4\n"
				  "\"a\\tb\" = 5\n");
	cr_assert_eq(geti(r, "127.0.0.1"), 1);
	cr_assert_eq(geti(r, "ʎǝʞ"), 2);
	cr_assert_eq(geti(r, "quoted \"value\""), 3);
	cr_assert_eq(geti(r, ""), 4);
	cr_assert_eq(geti(r, "a\tb"), 5);
	cr_assert_eq(toml_table_len(r), 5);
	toml_free(r);
}

Test(toml_valid, key_with_nul)
{
	struct toml_value *r = ok("\"a\\u0000b\" = 1\n");
	const struct toml_kv *kv = toml_table_at(r, 0);
	cr_assert_eq(kv->len, 3);
	cr_assert_eq(memcmp(kv->name, "a\0b", 4), 0);
	cr_assert_null(toml_table_get(r, "a"));
	cr_assert_not_null(toml_table_getn(r, "a\0b", 3));
	toml_free(r);
}

Test(toml_valid, dotted_keys_create_tables_in_order)
{
	struct toml_value *r = ok("name = \"Orange\"\nphysical.color = \"orange\"\n"
				  "physical.shape = \"round\"\nsite.\"google.com\" = true\n"
				  "a . b . c = 1\n");
	cr_assert_eq(toml_table_len(r), 4);
	cr_assert_str_eq(toml_table_at(r, 1)->name, "physical");
	const struct toml_value *ph = get(r, "physical");
	cr_assert(ph->flags & TOML_F_DOTTED);
	assert_pos(ph->pos, 2, 1);
	cr_assert_str_eq(toml_table_at(ph, 0)->name, "color");
	cr_assert_str_eq(toml_table_at(ph, 1)->name, "shape");
	assert_pos(toml_table_at(ph, 1)->pos, 3, 10);
	cr_assert_not_null(toml_table_get(get(r, "site"), "google.com"));
	cr_assert_eq(geti(get(get(r, "a"), "b"), "c"), 1);
	assert_pos(toml_table_get_kv(get(get(r, "a"), "b"), "c")->pos, 5, 9);
	toml_free(r);
}

Test(toml_valid, table_headers_and_super_table_after)
{
	struct toml_value *r = ok("[x.y.z.w]\na = 1\n\n[x]\nb = 2\n[ x . y ]\n");
	const struct toml_value *x = get(r, "x");
	/* x was implicit, then defined: its position moves to the header */
	assert_pos(x->pos, 4, 1);
	cr_assert(x->flags & TOML_F_HEADER);
	cr_assert_eq(geti(x, "b"), 2);
	const struct toml_value *y = get(x, "y");
	assert_pos(y->pos, 6, 1);
	assert_pos(toml_table_get_kv(x, "y")->pos, 1, 4);
	cr_assert_eq(geti(get(get(y, "z"), "w"), "a"), 1);
	assert_pos(get(get(y, "z"), "w")->pos, 1, 1);
	toml_free(r);
}

Test(toml_valid, implicit_table_keeps_creation_position)
{
	struct toml_value *r = ok("\n  [a.b]\n");
	const struct toml_value *a = get(r, "a");
	cr_assert(a->flags & TOML_F_IMPLICIT);
	assert_pos(a->pos, 2, 4);
	assert_pos(get(a, "b")->pos, 2, 3);
	assert_pos(toml_table_get_kv(a, "b")->pos, 2, 6);
	toml_free(r);
}

Test(toml_valid, dotted_then_subtable_header)
{
	struct toml_value *r = ok("[fruit]\napple.color = \"red\"\napple.taste.sweet = true\n"
				  "[fruit.apple.texture]\nsmooth = true\n");
	const struct toml_value *apple = get(get(r, "fruit"), "apple");
	cr_assert_eq(toml_table_len(apple), 3);
	cr_assert_not_null(toml_table_get(get(apple, "texture"), "smooth"));
	toml_free(r);
}

Test(toml_valid, implicit_tables_extended_by_dotted_keys)
{
	struct toml_value *r = ok("[a.b.c]\nz = 9\n[a]\nb.d = 1\n");
	cr_assert_eq(geti(get(get(r, "a"), "b"), "d"), 1);
	toml_free(r);
}

Test(toml_valid, implicit_then_array_of_tables_then_table)
{
	struct toml_value *r = ok("[[a.b]]\nx = 1\n\n[a]\ny = 2\n");
	const struct toml_value *a = get(r, "a");
	cr_assert_eq(geti(a, "y"), 2);
	cr_assert(toml_array_is_table_array(get(a, "b")));
	toml_free(r);
}

Test(toml_valid, arrays_of_tables_with_subtables)
{
	const char *src = "[[fruits]]\nname = \"apple\"\n\n[fruits.physical]\ncolor = \"red\"\n\n"
			  "[[fruits.varieties]]\nname = \"red delicious\"\n\n"
			  "[[fruits.varieties]]\nname = \"granny smith\"\n\n"
			  "[[fruits]]\nname = \"banana\"\n\n[[fruits.varieties]]\nname = \"plantain\"\n";
	struct toml_value *r = ok(src);
	const struct toml_value *f = get(r, "fruits");
	cr_assert_eq(toml_array_len(f), 2);
	const struct toml_value *f0 = toml_array_at(f, 0), *f1 = toml_array_at(f, 1);
	cr_assert_str_eq(gets(get(f0, "physical"), "color"), "red");
	cr_assert_eq(toml_array_len(get(f0, "varieties")), 2);
	cr_assert_str_eq(gets(toml_array_at(get(f0, "varieties"), 1), "name"), "granny smith");
	cr_assert_eq(toml_array_len(get(f1, "varieties")), 1);
	cr_assert_str_eq(gets(toml_array_at(get(f1, "varieties"), 0), "name"), "plantain");
	cr_assert(toml_array_is_table_array(get(f1, "varieties")));
	toml_free(r);
}

Test(toml_valid, subtables_attach_to_latest_array_element)
{
	struct toml_value *r = ok("[[a]]\n[a.b]\nx = 1\n[[a]]\n[a.b]\nx = 2\n[[a.c]]\n");
	const struct toml_value *a = get(r, "a");
	cr_assert_eq(toml_array_len(a), 2);
	cr_assert_eq(geti(get(toml_array_at(a, 0), "b"), "x"), 1);
	cr_assert_eq(geti(get(toml_array_at(a, 1), "b"), "x"), 2);
	cr_assert_null(toml_table_get(toml_array_at(a, 0), "c"));
	cr_assert(toml_array_is_table_array(get(toml_array_at(a, 1), "c")));
	assert_pos(get(toml_array_at(a, 1), "b")->pos, 5, 1);
	toml_free(r);
}

Test(toml_valid, keys_that_look_like_values)
{
	struct toml_value *r = ok("1979-05-27 = 1\ninf = 2\nnan = 3\n0x10 = 4\n3.14 = 5\n");
	cr_assert_eq(geti(r, "1979-05-27"), 1);
	cr_assert_eq(geti(r, "inf"), 2);
	cr_assert_eq(geti(r, "0x10"), 4);
	cr_assert_eq(geti(get(r, "3"), "14"), 5);
	toml_free(r);
}

Test(toml_valid, empty_array_of_tables_elements)
{
	struct toml_value *r = ok("[[p]]\n[[p]] # empty\n[[ p ]]\nx = 1\n");
	const struct toml_value *p = get(r, "p");
	cr_assert_eq(toml_array_len(p), 3);
	cr_assert_eq(toml_table_len(toml_array_at(p, 1)), 0);
	cr_assert_eq(geti(toml_array_at(p, 2), "x"), 1);
	toml_free(r);
}

Test(toml_valid, inline_tables)
{
	struct toml_value *r = ok("name = { first = \"Tom\", last = \"Preston-Werner\" }\n"
				  "point = {x=1,y=2}\nanimal = { type.name = \"pug\", type.age = 3 }\n"
				  "empty = {}\nnested = { a = { b = { c = [1, {d = true}] } } }\n");
	const struct toml_value *name = get(r, "name");
	cr_assert(name->flags & TOML_F_INLINE);
	assert_pos(name->pos, 1, 8);
	cr_assert_str_eq(gets(name, "last"), "Preston-Werner");
	assert_pos(get(name, "last")->pos, 1, 32);
	cr_assert_eq(geti(get(r, "point"), "y"), 2);
	cr_assert_eq(geti(get(get(r, "animal"), "type"), "age"), 3);
	cr_assert_eq(toml_table_len(get(r, "empty")), 0);
	const struct toml_value *c = get(get(get(get(r, "nested"), "a"), "b"), "c");
	cr_assert_eq(toml_array_len(c), 2);
	cr_assert(!toml_array_is_table_array(c));
	bool b = false;
	cr_assert(toml_get_bool(get(toml_array_at(c, 1), "d"), &b) && b);
	toml_free(r);
}

Test(toml_valid, arrays_mixed_nested_multiline)
{
	struct toml_value *r = ok("integers = [ 1, 2, 3 ]\n"
				  "mixed = [ 0.1, \"s\", 1, true, [1, 2], {a = 1} ]\n"
				  "nested = [ [ 1, 2 ], [\"a\", 'b'] ]\n"
				  "multi = [\n  1, # one\n  2,\n\n  # comment line\n  3,\n]\n"
				  "empty = []\nempty2 = [ \n ]\ntrailing = [1,]\n");
	cr_assert_eq(toml_array_len(get(r, "integers")), 3);
	const struct toml_value *m = get(r, "mixed");
	cr_assert_eq(toml_array_len(m), 6);
	cr_assert_eq(toml_array_at(m, 0)->type, TOML_FLOAT);
	cr_assert_eq(toml_array_at(m, 1)->type, TOML_STRING);
	cr_assert_eq(toml_array_at(m, 2)->type, TOML_INTEGER);
	cr_assert_eq(toml_array_at(m, 3)->type, TOML_BOOL);
	cr_assert_eq(toml_array_at(m, 4)->type, TOML_ARRAY);
	cr_assert_eq(toml_array_at(m, 5)->type, TOML_TABLE);
	assert_pos(toml_array_at(m, 1)->pos, 2, 16);
	const struct toml_value *multi = get(r, "multi");
	cr_assert_eq(toml_array_len(multi), 3);
	assert_pos(toml_array_at(multi, 2)->pos, 9, 3);
	assert_pos(multi->pos, 4, 9);
	cr_assert_eq(toml_array_len(get(r, "empty")), 0);
	cr_assert_eq(toml_array_len(get(r, "empty2")), 0);
	cr_assert_eq(toml_array_len(get(r, "trailing")), 1);
	cr_assert_null(toml_array_at(multi, 3));
	toml_free(r);
}

Test(toml_valid, basic_string_escapes)
{
	struct toml_value *r = ok("s = \"b\\b t\\t n\\n f\\f r\\r q\\\" bs\\\\ tab\there #not\"\n");
	cr_assert_str_eq(gets(r, "s"), "b\b t\t n\n f\f r\r q\" bs\\ tab\there #not");
	toml_free(r);
}

Test(toml_valid, unicode_escapes)
{
	struct toml_value *r = ok("a = \"\\u00E9\\u20AC\"\nb = \"\\U0001F600\"\nc = \"\\u007f\"\n"
				  "d = \"\\U0010FFFF\"\n");
	cr_assert_str_eq(gets(r, "a"), "\xC3\xA9\xE2\x82\xAC");
	cr_assert_str_eq(gets(r, "b"), "\xF0\x9F\x98\x80");
	cr_assert_str_eq(gets(r, "c"), "\x7f");
	cr_assert_str_eq(gets(r, "d"), "\xF4\x8F\xBF\xBF");
	toml_free(r);
}

Test(toml_valid, string_with_nul)
{
	struct toml_value *r = ok("s = \"x\\u0000y\"\n");
	const char *s;
	size_t len;
	cr_assert(toml_get_string(get(r, "s"), &s, &len));
	cr_assert_eq(len, 3);
	cr_assert_eq(memcmp(s, "x\0y", 4), 0);
	toml_free(r);
}

Test(toml_valid, literal_strings)
{
	struct toml_value *r = ok("winpath = 'C:\\Users\\nodejs\\templates'\n"
				  "quoted = 'Tom \"Dubs\" Preston-Werner'\nregex = '<\\i\\c*\\s*>'\n"
				  "empty = ''\n");
	cr_assert_str_eq(gets(r, "winpath"), "C:\\Users\\nodejs\\templates");
	cr_assert_str_eq(gets(r, "quoted"), "Tom \"Dubs\" Preston-Werner");
	cr_assert_str_eq(gets(r, "regex"), "<\\i\\c*\\s*>");
	cr_assert_str_eq(gets(r, "empty"), "");
	toml_free(r);
}

Test(toml_valid, multiline_basic)
{
	struct toml_value *r = ok("s = \"\"\"\nRoses are red\nViolets are blue\"\"\"\n"
				  "c = \"\"\"\r\nx\r\ny\"\"\"\n"
				  "e = \"\"\"\"\"\"\n");
	cr_assert_str_eq(gets(r, "s"), "Roses are red\nViolets are blue");
	cr_assert_str_eq(gets(r, "c"), "x\ny");
	cr_assert_str_eq(gets(r, "e"), "");
	toml_free(r);
}

Test(toml_valid, multiline_line_ending_backslash)
{
	struct toml_value *r = ok("a = \"\"\"\nThe quick brown \\\n\n\n  fox jumps over \\\n"
				  "    the lazy dog.\"\"\"\n"
				  "b = \"\"\"\\\n       The quick brown \\\n       fox.\\\n       \"\"\"\n"
				  "c = \"\"\"x\\   \t\r\n   y\"\"\"\n");
	cr_assert_str_eq(gets(r, "a"), "The quick brown fox jumps over the lazy dog.");
	cr_assert_str_eq(gets(r, "b"), "The quick brown fox.");
	cr_assert_str_eq(gets(r, "c"), "xy");
	toml_free(r);
}

Test(toml_valid, multiline_quotes_inside_and_at_end)
{
	struct toml_value *r = ok("a = \"\"\"Here are two quotation marks: \"\". Simple.\"\"\"\n"
				  "b = \"\"\"Here are three: \"\"\\\".\"\"\"\n"
				  "c = \"\"\"\"This,\" she said, \"is just a pointless statement.\"\"\"\"\n"
				  "d = '''''two'''''\n");
	cr_assert_str_eq(gets(r, "a"), "Here are two quotation marks: \"\". Simple.");
	cr_assert_str_eq(gets(r, "b"), "Here are three: \"\"\".");
	cr_assert_str_eq(gets(r, "c"), "\"This,\" she said, \"is just a pointless statement.\"");
	cr_assert_str_eq(gets(r, "d"), "''two''");
	toml_free(r);
}

Test(toml_valid, multiline_literal)
{
	struct toml_value *r = ok("regex2 = '''I [dw]on't need \\d{2} apples'''\n"
				  "lines = '''\nThe first newline is\ntrimmed in raw strings.\n"
				  "   All other whitespace\n   is preserved.\n'''\n");
	cr_assert_str_eq(gets(r, "regex2"), "I [dw]on't need \\d{2} apples");
	cr_assert_str_eq(gets(r, "lines"), "The first newline is\ntrimmed in raw strings.\n"
					   "   All other whitespace\n   is preserved.\n");
	toml_free(r);
}

Test(toml_valid, integers_decimal)
{
	struct toml_value *r = ok("a = +99\nb = 42\nc = 0\nd = -17\ne = 1_000\nf = 5_349_221\n"
				  "g = 53_49_221\nh = 1_2_3_4_5\ni = -0\nj = +0\n");
	cr_assert_eq(geti(r, "a"), 99);
	cr_assert_eq(geti(r, "b"), 42);
	cr_assert_eq(geti(r, "c"), 0);
	cr_assert_eq(geti(r, "d"), -17);
	cr_assert_eq(geti(r, "e"), 1000);
	cr_assert_eq(geti(r, "f"), 5349221);
	cr_assert_eq(geti(r, "g"), 5349221);
	cr_assert_eq(geti(r, "h"), 12345);
	cr_assert_eq(geti(r, "i"), 0);
	cr_assert_eq(geti(r, "j"), 0);
	toml_free(r);
}

Test(toml_valid, integer_limits)
{
	struct toml_value *r = ok("max = 9223372036854775807\nmin = -9223372036854775808\n"
				  "hmax = 0x7FFF_FFFF_FFFF_FFFF\n");
	cr_assert_eq(geti(r, "max"), INT64_MAX);
	cr_assert_eq(geti(r, "min"), INT64_MIN);
	cr_assert_eq(geti(r, "hmax"), INT64_MAX);
	toml_free(r);
}

Test(toml_valid, integers_prefixed)
{
	struct toml_value *r = ok("h1 = 0xDEADBEEF\nh2 = 0xdeadbeef\nh3 = 0xdead_beef\n"
				  "o1 = 0o01234567\no2 = 0o755\nb1 = 0b11010110\nb2 = 0b1_0\nz = 0x0\n");
	cr_assert_eq(geti(r, "h1"), 0xDEADBEEF);
	cr_assert_eq(geti(r, "h2"), 0xDEADBEEF);
	cr_assert_eq(geti(r, "h3"), 0xDEADBEEF);
	cr_assert_eq(geti(r, "o1"), 01234567);
	cr_assert_eq(geti(r, "o2"), 0755);
	cr_assert_eq(geti(r, "b1"), 0xD6);
	cr_assert_eq(geti(r, "b2"), 2);
	cr_assert_eq(geti(r, "z"), 0);
	toml_free(r);
}

Test(toml_valid, floats)
{
	struct toml_value *r = ok("f1 = +1.0\nf2 = 3.1415\nf3 = -0.01\nf4 = 5e+22\nf5 = 1e06\n"
				  "f6 = -2E-2\nf7 = 6.626e-34\nf8 = 224_617.445_991_228\n"
				  "f9 = 0e0\nf10 = -0.0\nf11 = 1e-400\nf12 = 9_9.9_9e1_0\n");
	cr_assert_float_eq(getf(r, "f1"), 1.0, 1e-15);
	cr_assert_float_eq(getf(r, "f2"), 3.1415, 1e-15);
	cr_assert_float_eq(getf(r, "f3"), -0.01, 1e-15);
	cr_assert_float_eq(getf(r, "f4"), 5e22, 1e7);
	cr_assert_float_eq(getf(r, "f5"), 1e6, 1e-9);
	cr_assert_float_eq(getf(r, "f6"), -0.02, 1e-15);
	cr_assert_float_eq(getf(r, "f7"), 6.626e-34, 1e-45);
	cr_assert_float_eq(getf(r, "f8"), 224617.445991228, 1e-9);
	cr_assert_float_eq(getf(r, "f9"), 0.0, 1e-15);
	cr_assert(signbit(getf(r, "f10")));
	cr_assert_float_eq(getf(r, "f11"), 0.0, 1e-300);
	cr_assert_float_eq(getf(r, "f12"), 99.99e10, 1e-3);
	toml_free(r);
}

Test(toml_valid, inf_and_nan)
{
	struct toml_value *r = ok("a = inf\nb = +inf\nc = -inf\nd = nan\ne = +nan\nf = -nan\n"
				  "g = [inf,nan]\n");
	cr_assert(isinf(getf(r, "a")) && getf(r, "a") > 0);
	cr_assert(isinf(getf(r, "b")) && getf(r, "b") > 0);
	cr_assert(isinf(getf(r, "c")) && getf(r, "c") < 0);
	cr_assert(isnan(getf(r, "d")));
	cr_assert(isnan(getf(r, "e")));
	cr_assert(isnan(getf(r, "f")));
	cr_assert_eq(toml_array_len(get(r, "g")), 2);
	toml_free(r);
}

Test(toml_valid, booleans)
{
	struct toml_value *r = ok("t = true\nf = false\narr = [true,false]\nc = true#comment\n");
	bool b = false;
	cr_assert(toml_get_bool(get(r, "t"), &b) && b);
	cr_assert(toml_get_bool(get(r, "f"), &b) && !b);
	cr_assert(toml_get_bool(get(r, "c"), &b) && b);
	cr_assert_eq(toml_array_len(get(r, "arr")), 2);
	toml_free(r);
}

Test(toml_valid, hash_inside_strings_is_not_a_comment)
{
	struct toml_value *r = ok("a = \"# not a comment\" # a comment\nb = '#' #\n");
	cr_assert_str_eq(gets(r, "a"), "# not a comment");
	cr_assert_str_eq(gets(r, "b"), "#");
	toml_free(r);
}

Test(toml_valid, positions_track_multiline_and_crlf)
{
	struct toml_value *r = ok("a = \"\"\"\r\none\r\ntwo\"\"\"\r\nb = '''\nx\n'''\r\n"
				  "   c = 3\r\n[t]\r\n\td = [\r\n1,\r\n  2]\r\n");
	assert_pos(get(r, "a")->pos, 1, 5);
	assert_pos(get(r, "b")->pos, 4, 5);
	assert_pos(toml_table_get_kv(r, "c")->pos, 7, 4);
	assert_pos(get(r, "c")->pos, 7, 8);
	const struct toml_value *t = get(r, "t");
	assert_pos(t->pos, 8, 1);
	assert_pos(toml_table_get_kv(t, "d")->pos, 9, 2);
	assert_pos(get(t, "d")->pos, 9, 6);
	assert_pos(toml_array_at(get(t, "d"), 1)->pos, 11, 3);
	toml_free(r);
}

Test(toml_valid, columns_count_characters)
{
	struct toml_value *r = ok("\"ééé\" = \"üü\"\nk = { \"€\" = 1, z = 2 }\n");
	assert_pos(get(r, "ééé")->pos, 1, 9);
	const struct toml_value *k = get(r, "k");
	assert_pos(toml_table_get_kv(k, "z")->pos, 2, 16);
	assert_pos(get(k, "z")->pos, 2, 20);
	toml_free(r);
}

Test(toml_valid, byte_order_mark)
{
	struct toml_value *r = ok("\xEF\xBB\xBF" "a = 1\n");
	cr_assert_eq(geti(r, "a"), 1);
	assert_pos(toml_table_get_kv(r, "a")->pos, 1, 1);
	assert_pos(get(r, "a")->pos, 1, 5);
	toml_free(r);
}

Test(toml_valid, whitespace_everywhere)
{
	struct toml_value *r = ok("\t  a\t=\t1\t\n[ t . u ]\t# c\n[[ arr ]]  \n  x  =  \"y\"  \n");
	cr_assert_eq(geti(r, "a"), 1);
	cr_assert_not_null(toml_table_get(get(r, "t"), "u"));
	cr_assert_str_eq(gets(toml_array_at(get(r, "arr"), 0), "x"), "y");
	toml_free(r);
}

Test(toml_valid, many_keys_keep_order_and_lookup)
{
	char src[8192];
	size_t len = 0;
	for (int i = 0; i < 300; i++)
		len += (size_t)snprintf(src + len, sizeof src - len, "k%d = %d\n", (i * 7) % 300, i);
	struct toml_value *r = ok(src);
	cr_assert_eq(toml_table_len(r), 300);
	for (int i = 0; i < 300; i++) {
		char k[16];
		snprintf(k, sizeof k, "k%d", (i * 7) % 300);
		cr_assert_str_eq(toml_table_at(r, (size_t)i)->name, k);
		cr_assert_eq(geti(r, k), i);
		assert_pos(toml_table_get_kv(r, k)->pos, (unsigned)i + 1, 1);
	}
	cr_assert_null(toml_table_get(r, "k300"));
	toml_free(r);
}

Test(toml_valid, deep_nesting_within_limit)
{
	char src[512];
	size_t n = 0;
	n += (size_t)snprintf(src, sizeof src, "a = ");
	for (int i = 0; i < TOML_MAX_DEPTH; i++)
		src[n++] = '[';
	for (int i = 0; i < TOML_MAX_DEPTH; i++)
		src[n++] = ']';
	src[n] = '\0';
	struct toml_value *r = ok(src);
	const struct toml_value *v = get(r, "a");
	int depth = 0;
	while (toml_array_len(v) == 1) {
		v = toml_array_at(v, 0);
		depth++;
	}
	cr_assert_eq(depth, TOML_MAX_DEPTH - 1);
	toml_free(r);
}

Test(toml_valid, lookup_helpers_tolerate_wrong_types)
{
	struct toml_value *r = ok("i = 1\ns = \"x\"\na = [1]\n");
	const struct toml_value *i = get(r, "i");
	const char *s;
	double d;
	bool b;
	int64_t n;
	cr_assert_null(toml_table_get(NULL, "x"));
	cr_assert_null(toml_table_get(i, "x"));
	cr_assert_null(toml_table_get(r, NULL));
	cr_assert_null(toml_table_at(r, 3));
	cr_assert_eq(toml_table_len(i), 0);
	cr_assert_eq(toml_array_len(r), 0);
	cr_assert_null(toml_array_at(i, 0));
	cr_assert(!toml_array_is_table_array(get(r, "a")));
	cr_assert(!toml_get_string(i, &s, NULL));
	cr_assert(!toml_get_float(i, &d));
	cr_assert(toml_get_number(i, &d) && d == 1.0);
	cr_assert(!toml_get_bool(i, &b));
	cr_assert(!toml_get_int(get(r, "s"), &n));
	cr_assert(!toml_get_int(NULL, &n));
	cr_assert_str_eq(toml_type_name(TOML_INTEGER), "integer");
	cr_assert_str_eq(toml_type_name(TOML_BOOL), "boolean");
	cr_assert_str_eq(toml_type_name(TOML_TABLE), "table");
	toml_free(r);
	toml_free(NULL);
}

Test(toml_valid, parse_file_roundtrip)
{
	char path[] = "/tmp/toml_test_XXXXXX";
	int fd = mkstemp(path);
	cr_assert(fd >= 0);
	const char *src = "[[assertion]]\nname = \"f\"\n";
	cr_assert_eq(write(fd, src, strlen(src)), (ssize_t)strlen(src));
	close(fd);
	struct toml_error err;
	struct toml_value *r = toml_parse_file(path, &err);
	cr_assert_not_null(r, "%s", err.msg);
	cr_assert_str_eq(gets(toml_array_at(get(r, "assertion"), 0), "name"), "f");
	toml_free(r);
	unlink(path);
}

Test(toml_valid, parse_without_error_struct)
{
	cr_assert_null(toml_parse("a = ", 4, NULL, NULL));
	struct toml_value *r = toml_parse("a = 1", 5, NULL, NULL);
	cr_assert_not_null(r);
	toml_free(r);
}

/* ------------------------------------------------------------------ */
/* error reporting                                                     */

Test(toml_errors, format_is_file_line_col_message)
{
	struct toml_error err;
	cr_assert_null(toml_parse("a = 1\nb = \n", 11, "cfg/renacer.toml", &err));
	char buf[512];
	int n = toml_error_format(&err, buf, sizeof buf);
	cr_assert_str_eq(buf, "cfg/renacer.toml:2:5: expected a value, found newline");
	cr_assert_eq(n, (int)strlen(buf));
}

Test(toml_errors, format_truncates_like_snprintf)
{
	struct toml_error err;
	cr_assert_null(toml_parse("[a]\n[a]\n", 8, "f.toml", &err));
	char small[12];
	int n = toml_error_format(&err, small, sizeof small);
	cr_assert_str_eq(small, "f.toml:2:2:");
	cr_assert_str_eq(err.msg, "table [a] is defined twice (first at line 1)");
	cr_assert_eq(n, (int)strlen("f.toml:2:2: table [a] is defined twice (first at line 1)"));
}

Test(toml_errors, default_file_name)
{
	struct toml_error err;
	cr_assert_null(toml_parse("x", 1, NULL, &err));
	char buf[512];
	toml_error_format(&err, buf, sizeof buf);
	cr_assert_str_eq(buf, "<input>:1:2: expected '=' after a key, found end of file");
}

Test(toml_errors, missing_file)
{
	struct toml_error err;
	cr_assert_null(toml_parse_file("/nonexistent/dir/renacer.toml", &err));
	cr_assert_eq(err.line, 0);
	char buf[512];
	toml_error_format(&err, buf, sizeof buf);
	cr_assert_str_eq(buf, "/nonexistent/dir/renacer.toml: cannot open: No such file or directory");
}

Test(toml_errors, directory_is_a_read_error)
{
	struct toml_error err;
	cr_assert_null(toml_parse_file("/tmp", &err));
	cr_assert_eq(err.line, 0);
	cr_assert(strstr(err.msg, "read error") || strstr(err.msg, "cannot open"), "%s", err.msg);
}

Test(toml_errors, file_errors_carry_path)
{
	char path[] = "/tmp/toml_test_XXXXXX";
	int fd = mkstemp(path);
	cr_assert(fd >= 0);
	const char *src = "[a]\nx = 1\n[a]\n";
	cr_assert_eq(write(fd, src, strlen(src)), (ssize_t)strlen(src));
	close(fd);
	struct toml_error err;
	cr_assert_null(toml_parse_file(path, &err));
	char buf[512], want[512];
	toml_error_format(&err, buf, sizeof buf);
	snprintf(want, sizeof want, "%s:3:2: table [a] is defined twice (first at line 1)", path);
	cr_assert_str_eq(buf, want);
	unlink(path);
}

Test(toml_errors, long_key_names_are_truncated_in_messages)
{
	char src[2100];
	memset(src, 'k', 1000);
	memcpy(src + 1000, " = 1\n", 5);
	memcpy(src + 1005, src, 1005);
	struct toml_error err;
	cr_assert_null(toml_parse(src, 2010, "t.toml", &err));
	cr_assert(strstr(err.msg, "duplicate key"));
	cr_assert(strstr(err.msg, "..."));
	cr_assert_eq(err.line, 2);
}

/* ------------------------------------------------------------------ */
/* invalid: key/value structure                                        */

BAD(key_without_value, "key = \n", 1, 7, "expected a value")
BAD(key_without_value_eof, "key =", 1, 6, "found end of file")
BAD(key_with_comment_instead_of_value, "key = # nothing\n", 1, 7, "expected a value")
BAD(two_pairs_on_one_line, "a = 1 b = 2\n", 1, 7, "expected end of line after a value")
BAD(two_strings_on_one_line, "a = \"x\" \"y\"\n", 1, 9, "expected end of line")
BAD(missing_equals, "key \"value\"\n", 1, 5, "expected '=' after a key")
BAD(key_alone_at_eof, "\nkey", 2, 4, "found end of file")
BAD(missing_key, "= 1\n", 1, 1, "expected a key")
BAD(invalid_key_character, "a$ = 1\n", 1, 2, "expected '=' after a key, found '$'")
BAD(space_in_bare_key, "a b = 1\n", 1, 3, "expected '='")
BAD(empty_dotted_part, "a..b = 1\n", 1, 3, "expected a key")
BAD(trailing_dot_in_key, "a. = 1\n", 1, 4, "expected a key")
BAD(multiline_string_key, "\"\"\"a\"\"\" = 1\n", 1, 1, "not allowed as keys")
BAD(newline_in_quoted_key, "\"a\nb\" = 1\n", 1, 1, "unterminated string")
BAD(bare_word_value, "a = hello\n", 1, 5, "strings must be quoted")
BAD(capitalised_true, "a = True\n", 1, 5, "strings must be quoted")
BAD(truthy_suffix, "a = trueish\n", 1, 5, "strings must be quoted")
BAD(infinity_word, "a = infinity\n", 1, 5, "strings must be quoted")
BAD(underscore_value, "a = _1\n", 1, 5, "strings must be quoted")
BAD(bare_carriage_return_line_end, "a = 1\rb = 2\n", 1, 6, "carriage return")

/* ------------------------------------------------------------------ */
/* invalid: strings                                                    */

BAD(unterminated_string_at_eof, "a = 1\nb = \"abc", 2, 5, "unterminated string")
BAD(unterminated_string_at_newline, "a = \"abc\nb = 1\n", 1, 5, "unterminated string")
BAD(unterminated_literal, "a = 'abc", 1, 5, "unterminated string")
BAD(unterminated_multiline_basic, "x = 1\na = \"\"\"abc\n\nxyz\"\"", 2, 5, "unterminated string")
BAD(unterminated_multiline_literal, "a = '''abc\n", 1, 5, "unterminated string")
BAD(unterminated_after_escape, "a = \"abc\\", 1, 5, "unterminated string")
BAD(bad_escape_q, "a = \"\\q\"\n", 1, 6, "invalid escape sequence '\\q'")
BAD(bad_escape_x, "a = \"ab\\x41\"\n", 1, 8, "invalid escape sequence '\\x'")
BAD(bad_escape_e_is_toml_1_1, "a = \"\\e\"\n", 1, 6, "invalid escape sequence '\\e'")
BAD(bad_escape_space_single_line, "a = \"a\\ b\"\n", 1, 7, "invalid escape sequence")
BAD(bad_escape_backslash_newline_single_line, "a = \"a\\\nb\"\n", 1, 7, "invalid escape")
BAD(bad_escape_whitespace_not_at_eol, "a = \"\"\"a\\  b\"\"\"\n", 1, 9, "must end the line")
BAD(short_unicode_escape, "a = \"\\u12\"\n", 1, 6, "4 hex digits")
BAD(short_big_unicode_escape, "a = \"\\U0001F60\"\n", 1, 6, "8 hex digits")
BAD(surrogate_escape, "a = \"\\uD800\"\n", 1, 6, "surrogate")
BAD(low_surrogate_escape, "a = \"x\\uDFFF\"\n", 1, 7, "surrogate")
BAD(surrogate_big_escape, "a = \"\\U0000DC00\"\n", 1, 6, "surrogate")
BAD(out_of_range_escape, "a = \"\\U00110000\"\n", 1, 6, "not a Unicode scalar value")
BAD(control_char_in_string, "a = \"a\x01" "b\"\n", 1, 7, "control character U+0001")
BAD(del_in_string, "a = \"a\x7f\"\n", 1, 7, "control character U+007F")
BAD(control_char_in_literal, "a = 'a\x1b'\n", 1, 7, "control character U+001B")
BAD(bare_cr_in_multiline, "a = \"\"\"a\rb\"\"\"\n", 1, 9, "control character U+000D")
BAD(control_char_in_comment, "a = 1 # bell\x07\n", 1, 13, "not allowed in a comment")
BAD(six_quotes_close_multiline, "a = \"\"\"x\"\"\"\"\"\"\n", 1, 14, "expected end of line")
BAD(literal_no_escapes_then_junk, "a = 'x\\'y'\n", 1, 9, "expected end of line after a value, found 'y'")

/* ------------------------------------------------------------------ */
/* invalid: numbers, booleans, dates                                   */

BAD(int_overflow, "a = 9223372036854775808\n", 1, 5, "integer overflow")
BAD(int_overflow_negative, "a = -9223372036854775809\n", 1, 5, "integer overflow")
BAD(int_overflow_huge, "a = 99999999999999999999999999999\n", 1, 5, "integer overflow")
BAD(hex_overflow, "a = 0x8000000000000000\n", 1, 5, "integer overflow")
BAD(bin_overflow, "a = 0b1_0000000000000000000000000000000000000000000000000000000000000000\n", 1,
    5, "integer overflow")
BAD(leading_zeros, "a = 012\n", 1, 5, "leading zeros")
BAD(leading_zeros_negative, "a = -012\n", 1, 6, "leading zeros")
BAD(leading_zeros_double_zero, "a = 00\n", 1, 5, "leading zeros")
BAD(leading_zero_underscore, "a = 0_1\n", 1, 5, "leading zeros")
BAD(leading_zeros_float, "a = 01.5\n", 1, 5, "leading zeros")
BAD(double_underscore, "a = 1__0\n", 1, 6, "'_' must be between two digits")
BAD(trailing_underscore, "a = 1_\n", 1, 6, "'_' must be between two digits")
BAD(underscore_before_dot, "a = 1_.5\n", 1, 6, "'_' must be between two digits")
BAD(underscore_after_dot, "a = 1._5\n", 1, 7, "expected a digit")
BAD(hex_double_underscore, "a = 0xA__B\n", 1, 8, "'_' must be between two digits")
BAD(float_missing_fraction, "a = 1.\n", 1, 7, "expected a digit")
BAD(float_missing_integer, "a = .5\n", 1, 5, "expected a digit")
BAD(float_missing_exponent, "a = 1e\n", 1, 7, "expected a digit")
BAD(float_exponent_sign_only, "a = 1e+\n", 1, 8, "expected a digit")
BAD(float_exponent_underscore, "a = 1e_1\n", 1, 7, "expected a digit")
BAD(float_exponent_trailing_underscore, "a = 1e1_\n", 1, 8, "'_' must be between")
BAD(float_two_dots, "a = 1.2.3\n", 1, 8, "unexpected '.'")
BAD(float_exp_then_dot, "a = 1e2.5\n", 1, 8, "unexpected '.'")
BAD(float_out_of_range, "a = 1e400\n", 1, 5, "float out of range")
BAD(sign_only, "a = +\n", 1, 6, "expected a digit")
BAD(signed_word, "a = -inf_\n", 1, 6, "expected a digit")
BAD(signed_hex, "a = +0x10\n", 1, 5, "sign is not allowed")
BAD(upper_hex_prefix, "a = 0X10\n", 1, 6, "unexpected 'X'")
BAD(bad_binary_digit, "a = 0b102\n", 1, 9, "not a binary digit")
BAD(bad_octal_digit, "a = 0o78\n", 1, 8, "not a octal digit")
BAD(empty_hex, "a = 0x\n", 1, 7, "expected a hexadecimal digit")
BAD(number_with_letter, "a = 12a\n", 1, 7, "unexpected 'a'")
BAD(date_rejected, "a = 1979-05-27\n", 1, 5, "dates are not supported")
BAD(datetime_rejected, "a = 1979-05-27T07:32:00Z\n", 1, 5, "dates are not supported")
BAD(datetime_space_rejected, "a = 1979-05-27 07:32:00\n", 1, 5, "dates are not supported")
BAD(local_time_rejected, "a = 07:32:00\n", 1, 5, "dates are not supported")
BAD(date_in_array_rejected, "a = [1, 1979-05-27]\n", 1, 9, "dates are not supported")
BAD(not_quite_a_date, "a = 1979-5\n", 1, 9, "unexpected '-'")

/* ------------------------------------------------------------------ */
/* invalid: arrays and inline tables                                   */

BAD(array_missing_comma, "a = [1 2]\n", 1, 8, "expected ',' or ']'")
BAD(array_double_comma, "a = [1,,2]\n", 1, 8, "expected a value, found ','")
BAD(array_only_comma, "a = [,]\n", 1, 6, "expected a value")
BAD(array_unterminated_eof, "a = [", 1, 6, "expected a value, found end of file")
BAD(array_unterminated_after_value, "a = [1,\n 2\n", 3, 1, "expected ',' or ']'")
BAD(inline_table_newline, "a = {b = 1,\nc = 2}\n", 1, 12, "newlines are not allowed")
BAD(inline_table_newline_after_brace, "a = {\n}\n", 1, 6, "newlines are not allowed")
BAD(inline_table_comment, "a = { # c\n}\n", 1, 7, "comments are not allowed")
BAD(inline_table_trailing_comma, "a = {b = 1,}\n", 1, 12, "trailing comma")
BAD(inline_table_unterminated, "a = {b = 1", 1, 11, "expected ',' or '}'")
BAD(inline_table_missing_comma, "a = {b = 1 c = 2}\n", 1, 12, "expected ',' or '}'")
BAD(inline_table_duplicate_key, "a = {b = 1, b = 2}\n", 1, 13, "duplicate key 'b'")
BAD(inline_table_dotted_conflict, "a = {b.c = 1, b = 2}\n", 1, 15, "duplicate key 'b'")
BAD(inline_table_dotted_into_scalar, "a = {b = 1, b.c = 2}\n", 1, 13, "already defined as an integer")
BAD(inline_table_nested_frozen, "a = {b = {c = 1}, b.d = 2}\n", 1, 19, "inline table 'b'")

/* ------------------------------------------------------------------ */
/* invalid: redefinition                                               */

BAD(duplicate_key, "a = 1\na = 2\n", 2, 1, "duplicate key 'a' (first defined at line 1)")
BAD(duplicate_key_quoted, "a = 1\n\"a\" = 2\n", 2, 1, "duplicate key 'a'")
BAD(duplicate_key_literal_in_table, "[t]\n'x y' = 1\n\"x y\" = 2\n", 3, 1, "duplicate key '\"x y\"' (first defined at line 2)")
BAD(duplicate_dotted_key, "a.b = 1\na.b = 2\n", 2, 3, "duplicate key 'a.b'")
BAD(table_defined_twice, "[a]\nx = 1\n[b]\n[a]\n", 4, 2, "table [a] is defined twice (first at line 1)")
BAD(subtable_defined_twice, "[a.b]\n[a]\n[a.b]\n", 3, 4, "defined twice")
BAD(table_over_scalar, "[a]\nb = 1\n[a.b]\n", 3, 4, "'a.b' is already defined as an integer")
BAD(table_through_scalar, "a = 1\n[a.b]\n", 2, 2, "cannot use 'a' as a table")
BAD(table_over_dotted, "[fruit]\napple.color = \"red\"\n[fruit.apple]\n", 3, 8, "already defined by dotted keys")
BAD(table_over_nested_dotted, "[fruit]\napple.taste.sweet = true\n[fruit.apple.taste]\n", 3, 14, "dotted keys")
BAD(table_over_root_dotted, "a.b = 1\n[a]\n", 2, 2, "already defined by dotted keys")
BAD(dotted_into_header_table, "[a.b.c]\nz = 9\n[a]\nb.c.t = 1\n", 4, 3, "cannot add keys to table 'b.c'")
BAD(dotted_into_header_deeper, "[a.b.c.d]\nz = 9\n[a]\nb.c.d.k.t = 1\n", 4, 5, "defined by a [header]")
BAD(dotted_into_array_of_tables, "[[a.b]]\n[a]\nb.y = 2\n", 3, 1, "already defined as an array")
BAD(dotted_into_scalar, "a = false\na.b = true\n", 2, 1, "already defined as a boolean")
BAD(array_of_tables_over_static_array, "a = [1]\n[[a]]\n", 2, 3, "cannot append to static array 'a'")
BAD(array_of_tables_over_inline_array, "a = [{b = 1}]\n[[a]]\n", 2, 3, "static array")
BAD(table_through_static_array, "a = [{b = 1}]\n[a.c]\n", 2, 2, "static array")
BAD(table_over_array_of_tables, "[[a]]\n[a]\n", 2, 2, "conflicts with array of tables [[a]]")
BAD(array_of_tables_over_table, "[a]\n[[a]]\n", 2, 3, "'a' is already a table")
BAD(array_of_tables_over_implicit, "[[albums.songs]]\nname = \"x\"\n[[albums]]\n", 3, 3, "already a table")
BAD(array_of_tables_over_scalar, "a = 1\n[[a]]\n", 2, 3, "already defined as an integer")
BAD(inline_table_extended_by_dotted_key, "a = {b = 1}\na.c = 2\n", 2, 1, "cannot add keys to inline table 'a'")
BAD(inline_table_redefined_by_header, "a = {b = 1}\n[a]\n", 2, 2, "already defined as an inline table")
BAD(inline_table_extended_by_header, "a = {b = 1}\n[a.c]\n", 2, 2, "cannot extend inline table 'a'")
BAD(inline_table_nested_extended_by_header, "a = {b = {c = 1}}\n[a.b.d]\n", 2, 2, "inline table")
BAD(inline_table_in_array_of_tables, "[[t]]\na = {}\n[t.a]\n", 3, 4, "inline table")
BAD(implicit_table_then_value, "[a.b]\n[a]\nb = 1\n", 3, 1, "duplicate key 'b'")

/* ------------------------------------------------------------------ */
/* invalid: headers                                                    */

BAD(header_unterminated, "[a\n", 1, 3, "expected ']'")
BAD(header_empty, "[]\n", 1, 2, "expected a key")
BAD(header_trailing_dot, "[a.]\n", 1, 4, "expected a key")
BAD(aot_header_half_closed, "[[a]\n", 1, 5, "expected ']]'")
BAD(aot_header_split_close, "[[a] ]\n", 1, 5, "expected ']]'")
BAD(header_then_junk, "[a] b = 1\n", 1, 5, "expected end of line after the table header")
BAD(header_extra_bracket, "[a]]\n", 1, 4, "expected end of line")

/* ------------------------------------------------------------------ */
/* invalid: encoding, positions, limits                                */

BAD(invalid_utf8_byte, "a = \"\xff\"\n", 1, 6, "invalid UTF-8")
BAD(invalid_utf8_overlong, "# ok\na = \"\xC0\x80\"\n", 2, 6, "invalid UTF-8")
BAD(invalid_utf8_encoded_surrogate, "a = '\xED\xA0\x80'\n", 1, 6, "invalid UTF-8")
BAD(invalid_utf8_truncated, "a = 'é\xE2\x82'", 1, 7, "invalid UTF-8")
BAD(invalid_utf8_above_max, "a = '\xF4\x90\x80\x80'\n", 1, 6, "invalid UTF-8")
BAD(position_after_crlf_lines, "a = 1\r\nb = 2\r\nc = \r\n", 3, 5, "expected a value, found carriage return")
BAD(position_after_multiline_string, "a = \"\"\"\nx\ny\"\"\"\nb = @\n", 4, 5, "expected a value")
BAD(position_on_multiline_closing_line, "a = \"\"\"x\ny\"\"\" z\n", 2, 6, "expected end of line")
BAD(position_after_multiline_crlf, "a = '''\r\nx\r\n'''\r\nb = 0x\r\n", 4, 7, "hexadecimal")
BAD(position_in_multiline_string, "a = \"\"\"\nok\nbad \\q\n\"\"\"\n", 3, 5, "invalid escape")
BAD(position_counts_tab_as_one, "\ta = 1 x\n", 1, 8, "expected end of line")
BAD(position_counts_characters, "s = \"ééé\" x\n", 1, 11, "expected end of line")
BAD(position_after_bom, "\xEF\xBB\xBF" "a = \n", 1, 5, "expected a value")
BAD(position_in_array_multiline, "a = [\n  1,\n  2 3\n]\n", 3, 5, "expected ',' or ']'")

Test(toml_invalid, nul_byte_in_input)
{
	badn("a = 1\0\n", 7, 1, 6, "control character U+0000");
}

Test(toml_invalid, nul_byte_in_string)
{
	badn("a = \"x\0\"\n", 9, 1, 7, "control character U+0000");
}

Test(toml_invalid, array_nesting_too_deep)
{
	char src[512];
	size_t n = (size_t)snprintf(src, sizeof src, "a = ");
	for (int i = 0; i < TOML_MAX_DEPTH + 1; i++)
		src[n++] = '[';
	for (int i = 0; i < TOML_MAX_DEPTH + 1; i++)
		src[n++] = ']';
	src[n] = '\0';
	bad(src, 1, 5 + TOML_MAX_DEPTH, "nesting too deep");
}

Test(toml_invalid, inline_table_nesting_too_deep)
{
	char src[2048];
	size_t n = 0;
	for (int i = 0; i < TOML_MAX_DEPTH + 5; i++)
		n += (size_t)snprintf(src + n, sizeof src - n, "a={");
	src[n] = '\0';
	/* the root is depth 0; the k-th '{' (at column 3k) opens depth k */
	bad(src, 1, 3 * (TOML_MAX_DEPTH + 1), "nesting too deep");
}

Test(toml_invalid, dotted_key_too_long)
{
	char src[2048];
	size_t n = 0;
	for (int i = 0; i < TOML_MAX_DEPTH + 5; i++)
		n += (size_t)snprintf(src + n, sizeof src - n, "k.");
	n += (size_t)snprintf(src + n, sizeof src - n, "k = 1\n");
	bad(src, 1, 2 * TOML_MAX_DEPTH + 1, "nesting too deep");
}

Test(toml_invalid, huge_unclosed_arrays_do_not_crash)
{
	/* far beyond the limit: must fail cleanly, not recurse without bound */
	size_t n = 200000;
	char *src = malloc(n + 5);
	cr_assert_not_null(src);
	memcpy(src, "a = ", 4);
	memset(src + 4, '[', n);
	src[n + 4] = '\0';
	bad(src, 1, 5 + TOML_MAX_DEPTH, "nesting too deep");
	free(src);
}

Test(toml_invalid, every_prefix_of_a_document_is_handled)
{
	/* truncating a valid document anywhere must parse or fail cleanly */
	const char *src = "[[assertion]]\nname = \"a\\u00e9\"\nx = { y = [1, 2.5e3, 'z'], "
			  "w.v = true }\ns = \"\"\"\nm\\\n  l\"\"\"\n[t.u]\nh = 0xff_ff\n";
	size_t len = strlen(src);
	for (size_t i = 0; i <= len; i++) {
		struct toml_error err;
		struct toml_value *r = toml_parse(src, i, "p.toml", &err);
		if (r)
			toml_free(r);
		else
			cr_assert(err.line >= 1 && err.col >= 1 && err.msg[0]);
	}
	struct toml_value *r = toml_parse(src, len, "p.toml", NULL);
	cr_assert_not_null(r);
	toml_free(r);
}
