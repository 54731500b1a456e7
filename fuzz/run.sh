#!/bin/sh
# fuzz/run.sh — run the libFuzzer targets built by mk/fuzz.mk.
#
#   sh fuzz/run.sh run     BUILD_FUZZ_DIR TARGET...   replay, then fuzz each for $FUZZ_SECONDS
#   sh fuzz/run.sh regress BUILD_FUZZ_DIR TARGET...   replay fuzz/regressions/<target>/*
#
# Replaying runs the target once on every file of fuzz/regressions/<target>/
# (inputs that once failed); a target whose regressions fail is not fuzzed.
# "run" then copies fuzz/corpus/<target>/ into a scratch directory (the checked-in
# corpus is never written), fuzzes with -max_total_time, -timeout and
# -rss_limit_mb, and fails when libFuzzer reports anything (crash, leak, UB,
# timeout, out-of-memory); the offending input is kept under
# BUILD_FUZZ_DIR/artifacts/<target>/ and the log under BUILD_FUZZ_DIR/logs/.
# Every target runs even when an earlier one failed; the exit status is 1 if
# any failed.
set -u

mode=${1:?usage: run.sh run|regress DIR TARGET...}
dir=${2:?usage: run.sh run|regress DIR TARGET...}
shift 2
secs=${FUZZ_SECONDS:-60}
tmo=${FUZZ_TIMEOUT:-10}
rss=${FUZZ_RSS_MB:-2048}
here=$(cd "$(dirname "$0")" && pwd)
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

# Replay fuzz/regressions/$1/* through binary $2; 0 when all pass (or none).
regress()
{
	reg=$here/regressions/$1
	files=$(find "$reg" -type f ! -name 'README*' 2>/dev/null | sort)
	[ -n "$files" ] || return 0
	echo "fuzz: $1: replaying $(echo "$files" | wc -l) regression input(s)"
	# shellcheck disable=SC2086
	if ! "$2" -timeout="$tmo" -rss_limit_mb="$rss" $files >"$dir/$1.regress.log" 2>&1; then
		grep -a -E 'fuzz contract|ERROR|runtime error|Running:' "$dir/$1.regress.log" | tail -n 20 >&2
		echo "fuzz: $1: a regression input fails (log: $dir/$1.regress.log)" >&2
		return 1
	fi
	return 0
}

failed=""
for t in "$@"; do
	bin=$dir/$t
	if [ ! -x "$bin" ]; then
		echo "fuzz: $bin is not built" >&2
		failed="$failed $t"
		continue
	fi
	case $mode in
	regress)
		regress "$t" "$bin" || failed="$failed $t"
		;;
	run)
		if ! regress "$t" "$bin"; then
			failed="$failed $t"
			continue
		fi
		work=$(mktemp -d "${TMPDIR:-/tmp}/renacer-fuzz-$t.XXXXXX") || exit 1
		if [ -d "$here/corpus/$t" ]; then
			cp -R "$here/corpus/$t/." "$work/"
		fi
		mkdir -p "$dir/artifacts/$t" "$dir/logs"
		log=$dir/logs/$t.log
		dict=""
		[ -f "$here/$t.dict" ] && dict="-dict=$here/$t.dict"
		echo "fuzz: $t: ${secs}s (corpus $(ls "$work" | wc -l) files, log $log)"
		# shellcheck disable=SC2086
		"$bin" -max_total_time="$secs" -timeout="$tmo" -rss_limit_mb="$rss" \
			-print_final_stats=1 -artifact_prefix="$dir/artifacts/$t/" $dict \
			"$work" >"$log" 2>&1
		rc=$?
		execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
		cov=$(grep -E '^#[0-9]+' "$log" | tail -n 1 | sed -n 's/.*\(cov: [0-9]*\).*\(corp: [^ ]*\).*/\1 \2/p')
		if [ $rc -ne 0 ] || grep -q -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:' "$log"; then
			tail -n 60 "$log" >&2
			echo "fuzz: $t: FAILED (exit $rc); inputs in $dir/artifacts/$t/" >&2
			failed="$failed $t"
		else
			echo "fuzz: $t: ok, ${execs:-?} executions, $cov"
		fi
		rm -rf "$work"
		;;
	*)
		echo "fuzz: unknown mode $mode" >&2
		exit 2
		;;
	esac
done
if [ -n "$failed" ]; then
	echo "fuzz: failed:$failed" >&2
	exit 1
fi
exit 0
