#!/usr/bin/env bash
# bench/run.sh — tracing overhead on a getppid loop: native, the bare
# PTRACE_SYSCALL floor, strace, and renacer-c (text and -c), run in
# alternation ROUNDS times; prints medians and ratios, pinned to CPU 0
# (taskset -c 0, tracer and tracee share the CPU) and unpinned.
set -euo pipefail
BUILD=${BUILD:-build}
N=${N:-100000}
ROUNDS=${ROUNDS:-5}
RC="$BUILD/renacer-c"
LOOP="$BUILD/bench/getppid_loop"
FLOOR="$BUILD/bench/ptrace_floor"

now_ns() { date +%s%N; }
# time_cmd CMD... → elapsed ns on stdout
time_cmd() {
	local t0 t1
	t0=$(now_ns)
	"$@" >/dev/null 2>&1
	t1=$(now_ns)
	echo $((t1 - t0))
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

run_set() {
	local pin="$1"
	local -a pre=()
	[ "$pin" = pinned ] && pre=(taskset -c 0)
	declare -A samples
	local names=(native floor strace renacer renacer_c)
	for ((r = 0; r < ROUNDS; r++)); do
		samples[native]+="$(time_cmd "${pre[@]}" "$LOOP" "$N") "
		samples[floor]+="$(time_cmd "${pre[@]}" "$FLOOR" "$LOOP" "$N") "
		samples[strace]+="$(time_cmd "${pre[@]}" strace -o /dev/null "$LOOP" "$N") "
		samples[renacer]+="$(time_cmd "${pre[@]}" "$RC" -o /dev/null -- "$LOOP" "$N") "
		samples[renacer_c]+="$(time_cmd "${pre[@]}" "$RC" -c -o /dev/null -- "$LOOP" "$N") "
	done
	declare -A med
	for n in "${names[@]}"; do
		med[$n]=$(tr ' ' '\n' <<<"${samples[$n]}" | grep . | median)
	done
	printf '\n%s (%s getppid calls, median of %s runs)\n' "$pin" "$N" "$ROUNDS"
	printf '%-22s %10s %10s %8s %8s %8s\n' mode "ms" "us/call" "/native" "/floor" "/strace"
	for n in "${names[@]}"; do
		awk -v n="$n" -v t="${med[$n]}" -v nat="${med[native]}" -v fl="${med[floor]}" \
		    -v st="${med[strace]}" -v N="$N" 'BEGIN {
			printf "%-22s %10.1f %10.2f %8.2f %8.2f %8.2f\n", n, t/1e6, t/1e3/N, t/nat, t/fl, t/st }'
	done
}

echo "machine: $(nproc) CPUs, $(uname -r), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
run_set pinned
run_set unpinned
