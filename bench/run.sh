#!/usr/bin/env bash
# bench/run.sh — `make bench`: renacer-c's tracing overhead against the
# program running natively, the bare PTRACE_SYSCALL floor
# (bench/ptrace_floor) and strace, plus the tracer's memory and the
# analyzer at scale (the quality bars in README.md, 'Benchmarks'). Timings only: nothing here is a
# test, nothing fails on a slow number.
#
# Method: for every workload, each round runs every mode once, pinned
# (`taskset -c 0` on the whole command: tracer and tracee share CPU 0)
# and then unpinned, so drift hits all modes alike; ROUNDS rounds; the
# tables show medians. µs/call divides by the workload's syscall count
# (counted once with `renacer-c -c`).
#
# Environment:
#   BUILD=build      where `make` put renacer-c and build/bench/*
#   ROUNDS=5         pinned rounds per workload (QUICK: 3)
#   ROUNDS_UNPINNED  unpinned rounds (default: ROUNDS, at most 3; QUICK: 1)
#   FIND_ROUNDS      rounds of the find workload, the longest (default: at most 3)
#   QUICK=1          a ~1 minute smoke run: smaller workloads, 3 rounds
#   PIN=both         pinned | unpinned | both
#   ONLY="a b"       only these workloads (getppid file find simd sites_1 sites_1000)
#   FIND_ROOT=/usr   the tree for `find ROOT -xdev`
#   RESULTS=FILE     the machine-generated report (default bench/results.md;
#                    QUICK: $BUILD/bench/results-quick.md)
#   N_GETPPID N_FILE N_SITES N_RSS_SMALL N_RSS_BIG N_TRACE   workload sizes
set -uo pipefail

BUILD=${BUILD:-build}
QUICK=${QUICK:-0}
[ "$QUICK" = 0 ] && QUICK=
if [ -n "$QUICK" ]; then
	ROUNDS=${ROUNDS:-3}
	ROUNDS_UNPINNED=${ROUNDS_UNPINNED:-1}
	N_GETPPID=${N_GETPPID:-10000}
	N_FILE=${N_FILE:-2000}
	N_SITES=${N_SITES:-10000}
	FIND_ROOT=${FIND_ROOT:-/usr/include}
	N_RSS_SMALL=${N_RSS_SMALL:-10000}
	N_RSS_BIG=${N_RSS_BIG:-100000}
	N_TRACE=${N_TRACE:-100000}
	RESULTS=${RESULTS:-$BUILD/bench/results-quick.md}
else
	ROUNDS=${ROUNDS:-5}
	N_GETPPID=${N_GETPPID:-100000}
	N_FILE=${N_FILE:-20000}
	N_SITES=${N_SITES:-100000}
	FIND_ROOT=${FIND_ROOT:-/usr}
	N_RSS_SMALL=${N_RSS_SMALL:-100000}
	N_RSS_BIG=${N_RSS_BIG:-1000000}
	N_TRACE=${N_TRACE:-1000000}
	RESULTS=${RESULTS:-bench/results.md}
fi
ROUNDS_UNPINNED=${ROUNDS_UNPINNED:-$((ROUNDS < 3 ? ROUNDS : 3))}
FIND_ROUNDS=${FIND_ROUNDS:-$((ROUNDS < 3 ? ROUNDS : 3))}
PIN=${PIN:-both}
ONLY=${ONLY:-getppid file find simd sites_1 sites_1000}

RC="$BUILD/renacer-c"
BB="$BUILD/bench"
FLOOR="$BB/ptrace_floor"
SIMD_DIR="$BUILD/examples/simd"
SIMD_NAMES="backend_detection matrix_operations activation_functions performance_demo ml_similarity backend_equivalence"
STRACE=$(command -v strace || true)
TIMEBIN=/usr/bin/time
[ -x "$TIMEBIN" ] || TIMEBIN=

for f in "$RC" "$FLOOR" "$BB/seccomp_floor" "$BB/getppid_loop" "$BB/file_loop" "$BB/gen_trace" "$BB/sites_1" "$BB/sites_1000"; do
	if [ ! -x "$f" ]; then
		echo "bench: $f is missing: run 'make bench' (it builds everything first)" >&2
		exit 1
	fi
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/renacer-bench.XXXXXX") || exit 1
STALL_PID=
trap 'rm -rf "$WORK"; [ -n "$STALL_PID" ] && kill "$STALL_PID" 2>/dev/null' EXIT

# A collector that accepts connections and never answers (the otlp
# integration suite's receiver with RECV_STALL=1, loopback only): the
# otlp_stall mode exports to it, to show that a stalled collector costs
# the traced program nothing (spans queue, then drop; the flush at exit is
# bounded by --otlp-timeout).
STALL_URL=
if command -v python3 >/dev/null 2>&1; then
	RECV_STALL=1 python3 tests/integration/otlp_receiver.py "$WORK/otlp.out" "$WORK/otlp.port" &
	STALL_PID=$!
	for _ in $(seq 50); do [ -s "$WORK/otlp.port" ] && break; sleep 0.1; done
	[ -s "$WORK/otlp.port" ] && STALL_URL="http://127.0.0.1:$(cat "$WORK/otlp.port")"
fi
head -c 1500 /dev/urandom | base64 >"$WORK/small.txt"   # the file_loop's file (~2 KB)

T_START=$EPOCHREALTIME
REPORT="$WORK/report.md"
: >"$REPORT"
# out TEXT...: to stdout and into the report.
out() { printf '%s\n' "$*" | tee -a "$REPORT"; }
elapsed_s() { awk -v a="$T_START" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }'; }
log() { printf '[%4ss] %s\n' "$(elapsed_s)" "$*" >&2; }

# ---------------------------------------------------------------- modes
MODE_LABEL_native="native"
MODE_LABEL_sfloor="seccomp floor (ALLOW filter, no tracer)"
MODE_LABEL_floor="floor (bare PTRACE_SYSCALL)"
MODE_LABEL_floor_info="floor + GET_SYSCALL_INFO per stop"
MODE_LABEL_strace="strace -o /dev/null"
MODE_LABEL_strace_c="strace -c -o /dev/null"
MODE_LABEL_text="renacer-c -o /dev/null"
MODE_LABEL_count="renacer-c -c"
MODE_LABEL_json="renacer-c --format json -o FILE"
MODE_LABEL_source="renacer-c -s --unwinder=libdw -o /dev/null"
MODE_LABEL_source_lu="renacer-c -s --unwinder=libunwind -o /dev/null"
MODE_LABEL_stack="renacer-c -k --unwinder=libdw -o /dev/null"
MODE_LABEL_stack_lu="renacer-c -k --unwinder=libunwind -o /dev/null"
MODE_LABEL_seccomp="renacer-c -f -e trace=openat"
MODE_LABEL_noseccomp="renacer-c -f -e trace=openat --no-seccomp-bpf"
MODE_LABEL_otlp_stall="renacer-c -o /dev/null --otlp-endpoint STALLED-COLLECTOR --otlp-timeout 10ms"
label() { local v="MODE_LABEL_$1"; echo "${!v}"; }

# mode_cmd MODE → the prefix array MC for that mode (the program follows).
mode_cmd() {
	case "$1" in
	native) MC=() ;;
	sfloor) MC=("$BB/seccomp_floor") ;;
	floor) MC=("$FLOOR") ;;
	floor_info) MC=(env FLOOR_INFO=1 "$FLOOR") ;;
	strace) MC=("$STRACE" -o /dev/null) ;;
	strace_c) MC=("$STRACE" -c -o /dev/null) ;;
	text) MC=("$RC" -o /dev/null --) ;;
	count) MC=("$RC" -c -o /dev/null --) ;;
	json) MC=("$RC" --format json -o "$WORK/trace.json" --) ;;
	source) MC=("$RC" -s --unwinder=libdw -o /dev/null --) ;;
	source_lu) MC=("$RC" -s --unwinder=libunwind -o /dev/null --) ;;
	stack) MC=("$RC" -k --unwinder=libdw -o /dev/null --) ;;
	stack_lu) MC=("$RC" -k --unwinder=libunwind -o /dev/null --) ;;
	seccomp) MC=("$RC" -f -e trace=openat -o /dev/null --) ;;
	noseccomp) MC=("$RC" -f -e trace=openat --no-seccomp-bpf -o /dev/null --) ;;
	otlp_stall) MC=("$RC" -o /dev/null --otlp-endpoint "$STALL_URL" --otlp-timeout 10ms --) ;;
	esac
}

FULL_MODES="native sfloor floor floor_info strace strace_c text count json seccomp noseccomp"
FIND_MODES="native sfloor floor strace text count seccomp"
SITE_MODES="native floor text source source_lu stack stack_lu"
[ -n "$STALL_URL" ] && FULL_MODES="$FULL_MODES otlp_stall"
[ -z "$STRACE" ] && FULL_MODES=${FULL_MODES//strace_c /} && FULL_MODES=${FULL_MODES//strace /} &&
	FIND_MODES=${FIND_MODES//strace /}

# ------------------------------------------------------------ workloads
# wl_cmds WORKLOAD → CMDS: one or more commands (each a string of words,
# no quoting needed), run one after the other; a sample is their sum.
wl_cmds() {
	case "$1" in
	getppid) CMDS=("$BB/getppid_loop $N_GETPPID") ;;
	file) CMDS=("$BB/file_loop $WORK/small.txt $N_FILE") ;;
	find) CMDS=("find $FIND_ROOT -xdev") ;;
	simd) CMDS=(); for s in $SIMD_NAMES; do CMDS+=("$SIMD_DIR/$s"); done ;;
	sites_1) CMDS=("$BB/sites_1 $N_SITES") ;;
	sites_1000) CMDS=("$BB/sites_1000 $N_SITES") ;;
	esac
}
wl_title() {
	case "$1" in
	getppid) echo "getppid loop ($N_GETPPID raw getppid calls)" ;;
	file) echo "file loop ($N_FILE x open+read+close of a 2 KB file)" ;;
	find) echo "find $FIND_ROOT -xdev (output to /dev/null)" ;;
	simd) echo "SIMD examples (the six of examples/simd, run one after the other; summed)" ;;
	sites_1) echo "-s, one call site ($N_SITES getppid from one source line, -g)" ;;
	sites_1000) echo "-s, 1000 distinct call sites ($N_SITES getppid spread over 1000 functions, -g)" ;;
	esac
}
wl_modes() {
	case "$1" in
	sites_1) echo "$SITE_MODES" ;;
	sites_1000) echo "${SITE_MODES//floor /}" ;;
	find) echo "$FIND_MODES" ;;
	*) echo "$FULL_MODES" ;;
	esac
}

# run_once PIN MODE WORKLOAD → elapsed µs on stdout, or "fail".
run_once() {
	local pin=$1 mode=$2 wl=$3 c t0 t1 total=0 rc
	local -a pre=()
	[ "$pin" = pinned ] && pre=(taskset -c 0)
	mode_cmd "$mode"
	wl_cmds "$wl"
	for c in "${CMDS[@]}"; do
		# shellcheck disable=SC2206
		local -a words=($c)
		t0=$EPOCHREALTIME
		"${pre[@]}" "${MC[@]}" "${words[@]}" >/dev/null 2>"$WORK/stderr" </dev/null
		rc=$?
		t1=$EPOCHREALTIME
		if [ "$rc" -ne 0 ]; then
			log "$pin $mode $wl: '$c' exited $rc: $(head -c 200 "$WORK/stderr")"
			echo fail
			return
		fi
		total=$((total + ${t1/./} - ${t0/./}))
	done
	echo "$total"
}

# count_calls WORKLOAD → total syscalls per `renacer-c -c` (summed), or "".
count_calls() {
	local c n total=0
	wl_cmds "$1"
	for c in "${CMDS[@]}"; do
		# shellcheck disable=SC2206
		local -a words=($c)
		"$RC" -c -o "$WORK/count.txt" -- "${words[@]}" >/dev/null 2>&1 </dev/null || { echo ""; return; }
		n=$(awk '$NF == "total" { print $4 }' "$WORK/count.txt")
		[ -n "$n" ] || { echo ""; return; }
		total=$((total + n))
	done
	echo "$total"
}

median() { tr ' ' '\n' | grep -E '^[0-9]+$' | sort -n | awk '{ a[NR] = $1 } END { if (NR) print a[int((NR + 1) / 2)] }'; }

declare -A SAMPLES MED COUNT
PINS=()
case "$PIN" in
pinned) PINS=(pinned) ;;
unpinned) PINS=(unpinned) ;;
*) PINS=(pinned unpinned) ;;
esac

# ------------------------------------------------------------- machine
CPU_MODEL=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
MACHINE="$(nproc) CPUs ($CPU_MODEL), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM, Linux $(uname -r)"
STRACE_V=$([ -n "$STRACE" ] && "$STRACE" -V 2>/dev/null | head -1)
out "# renacer-c benchmarks"
out ""
out "Machine-generated by \`make bench\` (bench/run.sh)$([ -n "$QUICK" ] && echo ', QUICK=1 smoke run: small workloads, not for quoting')."
out ""
out "* date: $(date -u '+%Y-%m-%d %H:%M UTC'); load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
out "* machine: $MACHINE"
out "* renacer-c: $("$RC" --version 2>/dev/null | head -1); strace: ${STRACE_V:-not installed}"
out "* method: each round runs every mode of a workload once, pinned then unpinned (round-robin,"
out "  so drift hits all modes alike); medians of ROUNDS=$ROUNDS pinned rounds, ROUNDS_UNPINNED=$ROUNDS_UNPINNED"
out "  unpinned ones (find: FIND_ROUNDS=$FIND_ROUNDS of each, at most). pinned = \`taskset -c 0\` on the"
out "  whole command (tracer and tracee share CPU 0); unpinned = the scheduler's choice."
out "* µs/call = median time / syscalls of one run (counted with \`renacer-c -c\`); ratios are of medians;"
out "  min ms is the fastest run, a check on interference from other work on the machine."
out "* reproduce: \`make bench\` (ROUNDS=N, PIN=pinned|unpinned|both, QUICK=1 for a smoke run)"
out ""

# ----------------------------------------------------------- tracing
for wl in $ONLY; do
	modes=$(wl_modes "$wl")
	log "workload $wl: counting syscalls (and warming caches)"
	COUNT[$wl]=$(count_calls "$wl")
	run_once unpinned native "$wl" >/dev/null
	rounds=$ROUNDS
	[ "$wl" = find ] && rounds=$FIND_ROUNDS
	rounds_unpinned=$((ROUNDS_UNPINNED < rounds ? ROUNDS_UNPINNED : rounds))
	[ "${#PINS[@]}" = 1 ] && [ "${PINS[0]}" = unpinned ] && rounds_unpinned=$rounds
	for ((r = 1; r <= rounds; r++)); do
		log "workload $wl: round $r/$rounds"
		for pin in "${PINS[@]}"; do
			[ "$pin" = unpinned ] && [ "$r" -gt "$rounds_unpinned" ] && continue
			for m in $modes; do
				SAMPLES[$wl|$pin|$m]+="$(run_once "$pin" "$m" "$wl") "
			done
		done
	done
	out "## $(wl_title "$wl")"
	out ""
	out "syscalls per run: ${COUNT[$wl]:-unknown}"
	for pin in "${PINS[@]}"; do
		for m in $modes; do
			MED[$wl|$pin|$m]=$(median <<<"${SAMPLES[$wl|$pin|$m]}")
		done
		out ""
		if [ "$pin" = pinned ]; then
			out "pinned (\`taskset -c 0\`), median of $rounds:"
		else
			out "unpinned, median of $rounds_unpinned:"
		fi
		out ""
		out "| mode | median ms | min ms | µs/call | ×native | ×floor | ×strace | ×renacer-c text |"
		out "|---|---:|---:|---:|---:|---:|---:|---:|"
		for m in $modes; do
			t=${MED[$wl|$pin|$m]}
			fails=$(grep -o fail <<<"${SAMPLES[$wl|$pin|$m]}" | wc -l)
			if [ -z "$t" ]; then
				out "| $(label "$m") | failed | | | | | | |"
				continue
			fi
			tmin=$(tr ' ' '\n' <<<"${SAMPLES[$wl|$pin|$m]}" | grep -E '^[0-9]+$' | sort -n | head -1)
			row=$(awk -v t="$t" -v tmin="$tmin" -v n="${COUNT[$wl]:-0}" -v nat="${MED[$wl|$pin|native]:-}" \
				-v fl="${MED[$wl|$pin|floor]:-}" -v st="${MED[$wl|$pin|strace]:-}" \
				-v tx="${MED[$wl|$pin|text]:-}" 'function r(d) { return d > 0 ? sprintf("%.2f", t / d) : "" }
				BEGIN { per = n > 0 ? sprintf("%.2f", t / n) : ""
					printf "%.1f | %.1f | %s | %s | %s | %s | %s", t / 1000, tmin / 1000, per, r(nat), r(fl), r(st), r(tx) }')
			note=""
			[ "$fails" -gt 0 ] && note=" ($fails failed runs)"
			out "| $(label "$m")$note | $row |"
		done
	done
	out ""
done

# ------------------------------------------------------------ unwinders
# Per unwind: (mode - plain text) / syscalls, pinned; from the medians and
# from the fastest runs (the latter is steadier on a busy machine).
min_of() { tr ' ' '\n' <<<"${SAMPLES[$1]:-}" | grep -E '^[0-9]+$' | sort -n | head -1; }
per_unwind() { # per_unwind T TEXT N → µs
	[ -n "$1" ] && [ -n "$2" ] && [ -n "$3" ] && [ "$3" -gt 0 ] &&
		awk -v t="$1" -v b="$2" -v n="$3" 'BEGIN { printf "%.2f", (t - b) / n }'
}
UNW_ROWS=""
for wl in sites_1 sites_1000; do
	case " $ONLY " in *" $wl "*) ;; *) continue ;; esac
	case " ${PINS[*]} " in *" pinned "*) ;; *) continue ;; esac
	for pair in "source source_lu -s" "stack stack_lu -k"; do
		read -r a b flag <<<"$pair"
		n=${COUNT[$wl]:-0}
		da=$(per_unwind "${MED[$wl|pinned|$a]:-}" "${MED[$wl|pinned|text]:-}" "$n")
		db=$(per_unwind "${MED[$wl|pinned|$b]:-}" "${MED[$wl|pinned|text]:-}" "$n")
		ma=$(per_unwind "$(min_of "$wl|pinned|$a")" "$(min_of "$wl|pinned|text")" "$n")
		mb=$(per_unwind "$(min_of "$wl|pinned|$b")" "$(min_of "$wl|pinned|text")" "$n")
		UNW_ROWS+="| $wl | $flag | ${da:-} | ${db:-} | ${ma:-} | ${mb:-} |"$'\n'
	done
done
if [ -n "$UNW_ROWS" ]; then
	out "## Unwinders: µs per unwind (-s and -k over plain text, pinned)"
	out ""
	out "| workload | flag | libdw (medians) | libunwind (medians) | libdw (fastest runs) | libunwind (fastest runs) |"
	out "|---|---|---:|---:|---:|---:|"
	printf '%s' "$UNW_ROWS" | while IFS= read -r row; do out "$row"; done
	out ""
	out "(per unwind = (time of the mode - time of renacer-c -o /dev/null) / syscalls; -s stops at the"
	out "first user frame, -k walks the whole stack.)"
	out ""
	if [ -x "$BB/unwind_micro" ]; then
		# The same at the very same stops, without the rest of the tracer:
		# four resolvers take turns at each getppid stop.
		out "Per unwind at the same stops (bench/unwind_micro: libdw and libunwind, -s and -k, take turns"
		out "at every getppid stop; pinned; median and mean over the stops):"
		out ""
		out '```'
		for wl in sites_1 sites_1000; do
			case " $ONLY " in *" $wl "*) ;; *) continue ;; esac
			log "unwinders: unwind_micro $wl"
			out "$wl:"
			taskset -c 0 "$BB/unwind_micro" "$BB/$wl" "$N_SITES" 2>&1 </dev/null | while IFS= read -r l; do out "  $l"; done
		done
		out '```'
		out ""
	fi
fi

# ratio WL PIN MODE BASE → MED[mode] / MED[base], or "".
ratio() {
	local a=${MED[$1|$2|$3]:-} b=${MED[$1|$2|$4]:-}
	[ -n "$a" ] && [ -n "$b" ] && awk -v a="$a" -v b="$b" 'BEGIN { if (b > 0) printf "%.2f", a / b }'
}

# --------------------------------------------------------------- memory
out "## Tracer memory (peak RSS, --format json, getppid loop)"
out ""
RSS_SMALL="" RSS_BIG=""
if [ -z "$TIMEBIN" ]; then
	out "skipped: /usr/bin/time is not installed"
else
	out "| getppid calls | peak RSS KiB | wall s | trace MiB |"
	out "|---:|---:|---:|---:|"
	for n in $N_RSS_SMALL $N_RSS_BIG; do
		log "memory: --format json on $n getppid"
		if "$TIMEBIN" -f '%M %e' -o "$WORK/rss.txt" "$RC" --format json -o "$WORK/rss.json" -- \
			"$BB/getppid_loop" "$n" >/dev/null 2>&1 </dev/null; then
			read -r kb secs <"$WORK/rss.txt"
			mib=$(awk -v b="$(stat -c %s "$WORK/rss.json")" 'BEGIN { printf "%.0f", b / 1048576 }')
			out "| $n | $kb | $secs | $mib |"
			[ "$n" = "$N_RSS_SMALL" ] && RSS_SMALL=$kb
			[ "$n" = "$N_RSS_BIG" ] && RSS_BIG=$kb
		else
			out "| $n | failed | | |"
		fi
		rm -f "$WORK/rss.json"
	done
	out ""
	out "(/usr/bin/time %M: the larger of the tracer's and the tracee's peak; the tracee is ~1 MB.)"
fi
out ""

# ------------------------------------------------------------- analyzer
# timed NAME CMD... : run with /usr/bin/time; sets T_S, T_KB, T_RC, T_ERR.
timed() {
	local name=$1
	shift
	if [ -n "$TIMEBIN" ]; then
		"$TIMEBIN" -f '%e %M' -o "$WORK/t.txt" "$@" >"$WORK/t.out" 2>"$WORK/t.err" </dev/null
		T_RC=$?
		# time(1) prefixes "Command exited with non-zero status N" on failure
		read -r T_S T_KB < <(tail -1 "$WORK/t.txt")
	else
		local t0=$EPOCHREALTIME
		"$@" >"$WORK/t.out" 2>"$WORK/t.err" </dev/null
		T_RC=$?
		T_S=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }')
		T_KB=""
	fi
	T_ERR=$(grep -v '^\s*$' "$WORK/t.err" | head -1)
	log "analyzer: $name: ${T_S}s ${T_KB}KB rc=$T_RC"
}
# not_built → true when the subcommand is missing from this build.
not_built() { [ "$T_RC" = 2 ] && grep -qiE 'not part of this build|unknown (sub)?command|usage' "$WORK/t.err"; }

out "## Analyzer at scale (synthetic renacer-json-v1 traces, bench/gen_trace.c)"
out ""
A_ASSERT_S="" A_ASSERT_KB="" A_DIFF_S="" A_DIFF_KB="" A_ASSERT_NOTE="" A_DIFF_NOTE=""
log "analyzer: generating two $N_TRACE-call traces"
if ! "$BB/gen_trace" -n "$N_TRACE" -v a -o "$WORK/a.json" || ! "$BB/gen_trace" -n "$N_TRACE" -v b -o "$WORK/b.json"; then
	out "skipped: gen_trace failed"
else
	mib=$(awk -v b="$(stat -c %s "$WORK/a.json")" 'BEGIN { printf "%.0f", b / 1048576 }')
	out "traces: $N_TRACE calls each, $mib MiB; b differs from a in four places (bench/gen_trace.c)."
	out ""
	out "| command | s | peak RSS MiB | exit | target | result |"
	out "|---|---:|---:|---:|---|---|"
	kbmib() { [ -n "$1" ] && awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
	verdict() { # verdict S KB MAX_S MAX_MIB
		awk -v s="$1" -v kb="${2:-0}" -v ms="$3" -v mm="$4" 'BEGIN {
			ok = s < ms && (mm == "" || kb / 1024 < mm); print ok ? "met" : "MISSED" }'
	}
	# The reader alone: `summary` streams the trace through the -c table.
	timed summary "$RC" summary "$WORK/a.json"
	if [ "$T_RC" = 0 ]; then
		out "| renacer-c summary a.json (reader alone) | $T_S | $(kbmib "$T_KB") | $T_RC | – | – |"
	else
		out "| renacer-c summary a.json | failed: ${T_ERR:-exit $T_RC} | | | | |"
	fi
	# A config with every assertion type; golden compares a against b.
	cat >"$WORK/all.toml" <<'EOF'
# every assertion type of docs/design.md, 'Assertions', against the synthetic trace
[[assertion]]
name = "critical_path_budget"
type = "critical_path"
max_duration_ms = 60000
trace_name_pattern = "^pipeline$"

[[assertion]]
name = "io_span_budget"
type = "span_count"
max_spans = 5000000
span_name_pattern = "^(openat|read|write|close)$"

[[assertion]]
name = "anon_memory"
type = "memory_usage"
max_bytes = 1073741824
tracking_mode = "allocations"

[[assertion]]
name = "rss_memory"
type = "memory_usage"
max_bytes = 1073741824
tracking_mode = "rss"

[[assertion]]
name = "god_process"
type = "anti_pattern"
pattern = "GodProcess"
threshold = 1.0
fail_on_violation = false

[[assertion]]
name = "tight_loop"
type = "anti_pattern"
pattern = "TightLoop"
threshold = 0.5
min_run = 1000

[[assertion]]
name = "pcie"
type = "anti_pattern"
pattern = "PcieBottleneck"
threshold = 0.7

[[assertion]]
name = "excessive_io"
type = "anti_pattern"
pattern = "ExcessiveIO"
threshold = 0.8
max_ops_per_sec = 100000000

[[assertion]]
name = "blocking_main"
type = "anti_pattern"
pattern = "BlockingMainThread"
threshold = 0.8
max_block_ms = 60000
fail_on_violation = false

[[assertion]]
name = "openat_count"
type = "syscall_count"
syscall = "openat"
max_count = 5000000

[[assertion]]
name = "read_share"
type = "syscall_percentage"
syscall = "read"
max_percentage = 90

[[assertion]]
name = "total_syscall_time"
type = "total_time"
max_time_ms = 60000

[[assertion]]
name = "golden_b"
type = "golden"
baseline = "b.json"
min_similarity = 0.9
EOF
	# The same without golden (which is a whole diff against a 1M baseline).
	awk 'BEGIN { RS = ""; ORS = "\n\n" } !/type = "golden"/' "$WORK/all.toml" >"$WORK/nogolden.toml"

	timed assert "$RC" assert --config "$WORK/all.toml" "$WORK/a.json"
	if not_built; then
		out "| renacer-c assert (all 8 types) | skipped: not in this build ($T_ERR) | | | < 2 s, < 100 MB | – |"
		A_ASSERT_NOTE="skipped: assert not in this build"
	elif [ "$T_RC" -le 1 ]; then
		A_ASSERT_S=$T_S A_ASSERT_KB=$T_KB
		out "| renacer-c assert --config all.toml a.json (all 8 types, golden vs b) | $T_S | $(kbmib "$T_KB") | $T_RC | < 2 s, < 100 MB | $(verdict "$T_S" "$T_KB" 2 100) |"
		cp "$WORK/t.err" "$WORK/assert_report.txt"
		timed assert-nogolden "$RC" assert --config "$WORK/nogolden.toml" "$WORK/a.json"
		[ "$T_RC" -le 1 ] &&
			out "| renacer-c assert, all but golden | $T_S | $(kbmib "$T_KB") | $T_RC | < 2 s, < 100 MB | $(verdict "$T_S" "$T_KB" 2 100) |"
	else
		out "| renacer-c assert | error (exit $T_RC): $T_ERR | | | | |"
		A_ASSERT_NOTE="error: $T_ERR"
	fi

	timed diff "$RC" diff "$WORK/a.json" "$WORK/b.json"
	if not_built; then
		out "| renacer-c diff a.json b.json | skipped: not in this build ($T_ERR) | | | < 5 s | – |"
		A_DIFF_NOTE="skipped: diff not in this build"
	elif [ "$T_RC" -le 1 ]; then
		A_DIFF_S=$T_S A_DIFF_KB=$T_KB
		out "| renacer-c diff a.json b.json | $T_S | $(kbmib "$T_KB") | $T_RC | < 5 s | $(verdict "$T_S" "$T_KB" 5 "") |"
		cp "$WORK/t.out" "$WORK/diff_report.txt"
		cat "$WORK/t.err" >>"$WORK/diff_report.txt"
	else
		out "| renacer-c diff | error (exit $T_RC): $T_ERR | | | | |"
		A_DIFF_NOTE="error: $T_ERR"
	fi
	if [ -s "$WORK/assert_report.txt" ]; then
		out ""
		out "assert report (a.json):"
		out ""
		out '```'
		out "$(head -40 "$WORK/assert_report.txt")"
		out '```'
	fi
	if [ -s "$WORK/diff_report.txt" ]; then
		out ""
		out "diff report (first lines):"
		out ""
		out '```'
		out "$(head -20 "$WORK/diff_report.txt")"
		out '```'
	fi
fi
rm -f "$WORK/a.json" "$WORK/b.json"
out ""

# -------------------------------------------------------------- targets
# target NAME VALUE LIMIT → a row; VALUE "" → not measured.
out "## Targets"
out ""
out "| target | measured | limit | result |"
out "|---|---:|---:|---|"
target() {
	local name=$1 v=$2 lim=$3
	if [ -z "$v" ]; then
		out "| $name | – | $lim | not measured |"
	else
		out "| $name | $v | $lim | $(awk -v v="$v" -v l="$lim" 'BEGIN { print v <= l ? "met" : "MISSED" }') |"
	fi
}
for wl in getppid file find simd; do
	case " $ONLY " in *" $wl "*) ;; *) continue ;; esac
	target "full tracing (text) / floor, pinned, $wl" "$(ratio "$wl" pinned text floor)" 1.15
done
for wl in getppid file find simd; do
	case " $ONLY " in *" $wl "*) ;; *) continue ;; esac
	target "-c / floor, pinned, $wl" "$(ratio "$wl" pinned count floor)" 1.05
done
for wl in getppid file find; do
	case " $ONLY " in *" $wl "*) ;; *) continue ;; esac
	target "text / strace (faster than strace), pinned, $wl" "$(ratio "$wl" pinned text strace)" 1.00
done
case " $ONLY " in *" getppid "*) target "-e trace=openat (seccomp) / native, getppid, pinned" "$(ratio getppid pinned seccomp native)" 1.3 ;; esac
[ -n "$STALL_URL" ] && case " $ONLY " in *" getppid "*) target "--otlp-endpoint to a stalled collector / text, getppid, pinned" "$(ratio getppid pinned otlp_stall text)" 1.05 ;; esac
case " $ONLY " in *" find "*) target "-e trace=openat (seccomp) / native, find, pinned" "$(ratio find pinned seccomp native)" 3 ;; esac
case " $ONLY " in *" sites_1 "*) target "-s / plain text, one call site, pinned" "$(ratio sites_1 pinned source text)" 1.5 ;; esac
case " $ONLY " in *" sites_1000 "*) target "-s / plain text, 1000 call sites, pinned" "$(ratio sites_1000 pinned source text)" 1.5 ;; esac
if [ -n "$RSS_SMALL" ] && [ -n "$RSS_BIG" ]; then
	target "tracer peak RSS, $N_RSS_BIG vs $N_RSS_SMALL calls (flat)" \
		"$(awk -v a="$RSS_BIG" -v b="$RSS_SMALL" 'BEGIN { printf "%.2f", a / b }')" 1.10
fi
if [ -n "$A_ASSERT_S" ]; then
	target "assert, $N_TRACE calls, all types: seconds" "$A_ASSERT_S" 2
	target "assert, $N_TRACE calls, all types: peak RSS MiB" "$(awk -v k="$A_ASSERT_KB" 'BEGIN { printf "%.1f", k / 1024 }')" 100
else
	out "| assert, $N_TRACE calls | – | 2 s, 100 MiB | ${A_ASSERT_NOTE:-not measured} |"
fi
if [ -n "$A_DIFF_S" ]; then
	target "diff of two $N_TRACE-call traces: seconds" "$A_DIFF_S" 5
else
	out "| diff of two $N_TRACE-call traces | – | 5 s | ${A_DIFF_NOTE:-not measured} |"
fi
out ""
out "Context (the kernel's share of the floors above; pinned):"
out ""
for wl in getppid file; do
	case " $ONLY " in *" $wl "*) ;; *) continue ;; esac
	v=$(ratio "$wl" pinned floor_info floor)
	[ -n "$v" ] && out "* $wl: one PTRACE_GET_SYSCALL_INFO per stop alone costs ${v}× the floor; renacer-c -c is $(ratio "$wl" pinned count floor_info)× and text $(ratio "$wl" pinned text floor_info)× that."
done
for wl in getppid find; do
	case " $ONLY " in *" $wl "*) ;; *) continue ;; esac
	v=$(ratio "$wl" pinned sfloor native)
	[ -n "$v" ] && out "* $wl: an ALLOW-only seccomp filter alone (no tracer) costs ${v}× native; renacer-c -e trace=openat is $(ratio "$wl" pinned seccomp sfloor)× that."
done
out ""
out "Total benchmark time: $(elapsed_s) s; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
out "(anything well above 1 means other work shared the CPUs and the timings are noisy)."

mkdir -p "$(dirname "$RESULTS")"
cp "$REPORT" "$RESULTS"
echo "bench: report written to $RESULTS" >&2
