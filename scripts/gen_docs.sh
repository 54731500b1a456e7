#!/bin/sh
# gen_docs.sh OPTGEN [--check]
#
# Regenerates, from the option table (src/cli/options.def, through the
# OPTGEN program built from scripts/optgen.c), the marked regions of
# man/renacer-c.1 (SYNOPSIS, OPTIONS, subcommand options, refused strace
# options) and of completion/renacer-c.bash, completion/_renacer-c (zsh)
# and completion/renacer-c.fish. A region runs from a line
# "BEGIN GENERATED: NAME" to a line "END GENERATED: NAME" (in a comment).
# With --check, nothing is written: the exit status is 1, with a diff,
# when a committed file differs from what the table gives.
set -eu

[ $# -ge 1 ] || { echo "usage: gen_docs.sh OPTGEN [--check]" >&2; exit 2; }
optgen=$1
check=${2:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# fill FILE: every region NAME gets the output of "OPTGEN MODE", where the
# region line reads "BEGIN GENERATED: NAME MODE"
fill() {
	file=$1
	awk -v optgen="$optgen" '
	/BEGIN GENERATED: / {
		print
		mode = $NF
		cmd = optgen " " mode
		while ((cmd | getline line) > 0)
			print line
		if (close(cmd) != 0) { print "optgen " mode " failed" > "/dev/stderr"; exit 1 }
		skip = 1
		next
	}
	/END GENERATED: / { skip = 0 }
	!skip { print }
	' "$file" > "$tmp/out"
	if [ "$check" = "--check" ]; then
		if ! cmp -s "$file" "$tmp/out"; then
			echo "gen_docs.sh: $file is out of date with src/cli/options.def (run make docs):" >&2
			diff -u "$file" "$tmp/out" >&2 || true
			status=1
		fi
	else
		cmp -s "$file" "$tmp/out" || cp "$tmp/out" "$file"
	fi
}

status=0
for f in man/renacer-c.1 completion/renacer-c.bash completion/_renacer-c completion/renacer-c.fish; do
	fill "$f"
done
exit $status
