#!/bin/sh
# gen_completion.sh TSV TEMPLATE > renacer-c
#
# Writes the bash completion to install: TEMPLATE (completion/renacer-c.bash)
# with its @SYSCALL_NAMES@ placeholder replaced by the syscall names of TSV
# (src/decode/syscalls.tsv: the first field of every non-comment line),
# sorted and space-separated. Fails, writing nothing, when a name is not a
# plain identifier or the placeholder is missing.
set -eu

[ $# -eq 2 ] || { echo "usage: gen_completion.sh TSV TEMPLATE > out" >&2; exit 1; }
tsv=$1
tpl=$2
[ -r "$tsv" ] || { echo "gen_completion.sh: cannot read $tsv" >&2; exit 1; }
[ -r "$tpl" ] || { echo "gen_completion.sh: cannot read $tpl" >&2; exit 1; }

names=$(awk -F '\t' '!/^#/ && NF > 0 { print $1 }' "$tsv" | LC_ALL=C sort -u | tr '\n' ' ')
names=${names% }
[ -n "$names" ] || { echo "gen_completion.sh: no syscall names in $tsv" >&2; exit 1; }
case $names in
*[!a-z0-9_\ ]*) echo "gen_completion.sh: $tsv: unexpected characters in a syscall name" >&2; exit 1 ;;
esac
grep -q '@SYSCALL_NAMES@' "$tpl" || { echo "gen_completion.sh: $tpl has no @SYSCALL_NAMES@" >&2; exit 1; }
sed "s/@SYSCALL_NAMES@/$names/" "$tpl"
