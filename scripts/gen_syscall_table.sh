#!/bin/sh
# gen_syscall_table.sh CC TSV > syscall_table_gen.c
#
# Builds the x86_64 syscall table (see src/decode/syscall_table.h):
#   * names and numbers come from the kernel headers, as the compiler CC sees
#     them: every `#define __NR_name N` that `#include <asm/unistd_64.h>`
#     produces under `CC -E -dM -`;
#   * return kind, strace classes and argument kinds come from TSV
#     (src/decode/syscalls.tsv), joined by name.
# A header name without a TSV line is emitted with .described = false, six
# AK_HEX arguments and a warning on stderr (a unit test rejects such a table).
# TSV names the header does not define are ignored (other kernel versions).
#
# The spellings accepted in the TSV are not listed here: they are read from
# the enums in src/decode/syscall_table.h (AK_FD -> "fd", RK_NORETURN ->
# "noreturn", TC_STAT_LIKE -> "stat_like"), and the emitted C uses the enum
# names, so the header stays the one list of kinds. The generated file also
# defines syscall_arg_kind_names[], which arg_kind_name() returns from.
#
# Any malformed TSV line or unknown spelling is an error: every problem is
# reported on stderr as FILE:LINE: message, nothing is written to stdout and
# the exit status is 1. Set SYSCALL_TABLE_H to use another header path.
set -eu
set -f

prog=gen_syscall_table.sh
die() {
	printf '%s: %s\n' "$prog" "$*" >&2
	exit 1
}

[ $# -eq 2 ] || die "usage: $prog CC TSV > out.c"
cc=$1
tsv=$2
[ -n "$cc" ] || die "empty compiler command"
[ -r "$tsv" ] || die "cannot read $tsv"
hdr=${SYSCALL_TABLE_H:-$(dirname "$0")/../src/decode/syscall_table.h}
[ -r "$hdr" ] || die "cannot read $hdr"

tmp=$(mktemp "${TMPDIR:-/tmp}/gen_syscall_table.XXXXXX") || die "mktemp failed"
trap 'rm -f "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

# $cc is left unquoted on purpose: it may be a command with arguments
# ("ccache gcc", "gcc -m64"); globbing is off (set -f).
if ! echo '#include <asm/unistd_64.h>' | $cc -E -dM - >"$tmp"; then
	die "'$cc -E -dM -' failed on <asm/unistd_64.h>"
fi

awk -v hdr="$hdr" -v tsv="$tsv" -v prog="$prog" '
function err(file, line, msg) {
	printf "%s:%d: %s\n", file, line, msg > "/dev/stderr"
	nerr++
}
function fatal(msg) {
	printf "%s: %s\n", prog, msg > "/dev/stderr"
	nerr++
	exit 1
}
# Identifier that opens a line inside an enum body, e.g. "AK_FD = 0," -> AK_FD.
function enum_ident(s) {
	sub(/^[ \t]+/, "", s)
	if (match(s, /^[A-Z][A-Z0-9_]*/))
		return substr(s, 1, RLENGTH)
	return ""
}

BEGIN { nerr = 0 }
# Files are told apart by name, not by FNR == 1, so an empty TSV is no problem.
{ file_no = (FILENAME == ARGV[1]) ? 1 : (FILENAME == ARGV[2]) ? 2 : 3 }

# ---- 1: the header: collect enum arg_kind / ret_kind / trace_class ----
file_no == 1 {
	if ($0 ~ /^enum[ \t]+arg_kind[ \t]*\{/) { in_enum = "AK_"; next }
	if ($0 ~ /^enum[ \t]+ret_kind[ \t]*\{/) { in_enum = "RK_"; next }
	if ($0 ~ /^enum[ \t]+trace_class[ \t]*\{/) { in_enum = "TC_"; next }
	if (in_enum == "") next
	if ($0 ~ /^[ \t]*\}/) { in_enum = ""; next }
	id = enum_ident($0)
	if (id == "" || substr(id, 1, 3) != in_enum || id ~ /_COUNT$/) next
	spell = tolower(substr(id, 4))
	if (in_enum == "AK_") { kind[spell] = id; kind_order[nkind++] = id; kind_spell[id] = spell }
	else if (in_enum == "RK_") retk[spell] = id
	else tclass[spell] = id
	next
}

# ---- 2: the .tsv ----
file_no == 2 {
	if ($0 ~ /^#/ || $0 ~ /^[ \t]*$/) next
	n = split($0, f, "\t")
	if (n != 4) {
		err(tsv, FNR, "expected 4 TAB-separated fields (name ret classes args), got " n)
		next
	}
	for (i = 1; i <= 4; i++)
		if (f[i] == "" || f[i] ~ /[ \r]/) {
			err(tsv, FNR, "field " i " is empty or contains a space or CR")
			next
		}
	name = f[1]
	if (name !~ /^[a-z_][a-z0-9_]*$/) { err(tsv, FNR, "bad syscall name \"" name "\""); next }
	if (name in t_line) { err(tsv, FNR, "duplicate entry for " name " (first on line " t_line[name] ")"); next }
	t_line[name] = FNR

	if (!(f[2] in retk)) { err(tsv, FNR, name ": unknown return kind \"" f[2] "\""); next }
	t_ret[name] = retk[f[2]]

	c = ""
	if (f[3] != "-") {
		m = split(f[3], cl, ",")
		for (i = 1; i <= m; i++) {
			if (!(cl[i] in tclass)) { err(tsv, FNR, name ": unknown class \"" cl[i] "\""); c = "?"; break }
			c = c (c == "" ? "" : " | ") tclass[cl[i]]
		}
		if (c == "?") next
	}
	t_cls[name] = (c == "" ? "0" : c)

	a = ""
	m = 0
	if (f[4] != "-") {
		m = split(f[4], ak, ",")
		if (m > 6) { err(tsv, FNR, name ": " m " arguments (at most 6)"); next }
		for (i = 1; i <= m; i++) {
			if (!(ak[i] in kind)) { err(tsv, FNR, name ": unknown argument kind \"" ak[i] "\""); a = "?"; break }
			a = a (a == "" ? "" : ", ") kind[ak[i]]
		}
		if (a == "?") next
	}
	t_nargs[name] = m
	t_args[name] = a
	next
}

# ---- 3: the compiler macro dump ----
file_no == 3 {
	if ($1 != "#define" || substr($2, 1, 5) != "__NR_") next
	name = substr($2, 6)
	if (name !~ /^[a-z_][a-z0-9_]*$/ || NF != 3 || $3 !~ /^[0-9]+$/) {
		printf "%s: unexpected macro in <asm/unistd_64.h>: %s\n", prog, $0 > "/dev/stderr"
		nerr++
		next
	}
	nr = $3 + 0
	if (nr in by_nr) {
		printf "%s: __NR_%s and __NR_%s are both %d\n", prog, by_nr[nr], name, nr > "/dev/stderr"
		nerr++
		next
	}
	by_nr[nr] = name
	nsys++
	if (nr > maxnr) maxnr = nr
	next
}

END {
	if (nerr) exit 1
	if (nkind == 0 || !("int" in retk) || !("file" in tclass))
		fatal("could not read the enums of " hdr)
	if (nsys == 0)
		fatal("no __NR_ macros found in <asm/unistd_64.h>")

	printf "/* Generated by scripts/gen_syscall_table.sh from <asm/unistd_64.h>\n"
	printf " * and %s. Do not edit. */\n", tsv
	printf "#include \"syscall_table.h\"\n\n"
	printf "const unsigned syscall_table_size = %d;\n\n", maxnr + 1
	printf "const struct syscall_info syscall_table[%d] = {\n", maxnr + 1
	missing = ""
	nmissing = 0
	for (nr = 0; nr <= maxnr; nr++) {
		if (!(nr in by_nr)) continue
		name = by_nr[nr]
		if (name in t_line) {
			printf "\t[%d] = { .name = \"%s\", .nargs = %d, .ret = %s,", nr, name, t_nargs[name], t_ret[name]
			if (t_nargs[name] > 0)
				printf " .args = { %s },", t_args[name]
			printf " .classes = %s, .described = true },\n", t_cls[name]
		} else {
			printf "\t[%d] = { .name = \"%s\", .nargs = 6, .ret = RK_INT, .args = { AK_HEX, AK_HEX, AK_HEX, AK_HEX, AK_HEX, AK_HEX }, .classes = 0, .described = false },\n", nr, name
			missing = missing " " name
			nmissing++
		}
	}
	printf "};\n\n"
	printf "/* Spelling of each enum arg_kind in the .tsv; read by arg_kind_name(). */\n"
	printf "extern const char *const syscall_arg_kind_names[AK_COUNT];\n"
	printf "const char *const syscall_arg_kind_names[AK_COUNT] = {\n"
	for (i = 0; i < nkind; i++)
		printf "\t[%s] = \"%s\",\n", kind_order[i], kind_spell[kind_order[i]]
	printf "};\n"
	if (nmissing)
		printf "%s: warning: %d syscall(s) have no entry in %s:%s\n", prog, nmissing, tsv, missing > "/dev/stderr"
}
' "$hdr" "$tsv" "$tmp"
