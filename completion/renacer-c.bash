# bash completion for renacer-c                              -*- shell-script -*-
#
# Installed by `make install` as share/bash-completion/completions/renacer-c,
# with the syscall names of src/decode/syscalls.tsv filled in by
# scripts/gen_completion.sh (the @SYSCALL_NAMES@ line below). Sourced
# straight from the source tree it works too, without syscall names.
#
# The option lists are generated from the option table (src/cli/options.def)
# by `make docs`; test_install_man.c checks they match it exactly.

_renacer_c_syscalls="@SYSCALL_NAMES@"

# The option lists come from src/cli/options.def (make docs).
# BEGIN GENERATED: options bash
_renacer_c_short_opts="-f -p -o -A -E -u -b -I -q -e -P -z -Z -a -i -n -k -s -t -r -T -y -Y -v -x -X -c -C -S -O -w -h -V"
_renacer_c_long_opts="--follow-forks --output-separately --attach= --output= --output-append-mode --env= --user= --argv0= --detach-on= --syscall-limit= --kill-on-exit --interruptible= --quiet= --silent= --silence= --same-cpu --trace= --status= --signal= --trace-path= --trace-fds= --successful-only --failed-only --slower-than= --seccomp-bpf --no-seccomp-bpf --columns= --instruction-pointer --syscall-number --always-show-pid --stack-traces --string-limit= --source --absolute-timestamps= --timestamps= --relative-timestamps= --syscall-times= --decode-fds= --decode-pids= --no-abbrev --strings-in-hex= --read= --write= --const-print-style= --format= --compress= --summary-only --summary --summary-sort-by= --summary-syscall-overhead= --summary-wall-clock --function-time --otlp-endpoint= --otlp-compression= --otlp-header= --otlp-timeout= --otlp-required --unwinder= --assert= --help --version"
_renacer_c_arg_opts="-p --attach -o --output -E --env -u --user --argv0 -b --detach-on --syscall-limit -I --interruptible -e --trace --status --signal -P --trace-path --trace-fds --slower-than -a --columns --string-limit --read --write -X --const-print-style --format --compress -S --summary-sort-by -O --summary-syscall-overhead --otlp-endpoint --otlp-compression --otlp-header --otlp-timeout --unwinder --assert"
_renacer_c_assert_opts="--config --format -o --output -h --help"
_renacer_c_assert_arg_opts="--config --format -o --output"
_renacer_c_diff_opts="--tolerance --format --max-hunks -h --help"
_renacer_c_diff_arg_opts="--tolerance --format --max-hunks"
_renacer_c_summary_opts="-S --sort -h --help"
_renacer_c_summary_arg_opts="-S --sort"
_renacer_c_export_opts="--otlp-endpoint --otlp-compression --otlp-header --otlp-timeout --otlp-required -h --help"
_renacer_c_export_arg_opts="--otlp-endpoint --otlp-compression --otlp-header --otlp-timeout"
# END GENERATED: options
_renacer_c_subcommands="assert diff summary export"
_renacer_c_classes="%file %process %network %signal %ipc %desc %memory %creds %clock
 %stat %lstat %fstat %%stat %statfs %fstatfs %%statfs %pure %net"
_renacer_c_status="successful failed unfinished unavailable detached all none"

# Words from the list in $1 that start with $2, each prefixed with $3.
_renacer_c_words()
{
	local w
	for w in $1; do
		[[ $w == "$2"* ]] && printf '%s\n' "$3$w"
	done
}

# The current word as the user sees it (bash cuts words at '=' and ':'):
# the text from the last blank before the cursor.
_renacer_c_cur()
{
	local line=${COMP_LINE:0:COMP_POINT}
	printf '%s' "${line##*[[:space:]]}"
}

# COMPREPLY holds completions of the whole word $1; strip what bash already
# considers a previous word (everything up to the last '=' or ':').
_renacer_c_trim()
{
	local full=$1 pre i
	case $full in
	*[=:]*) pre=${full%"${full##*[=:]}"} ;;
	*) return ;;
	esac
	for i in "${!COMPREPLY[@]}"; do
		COMPREPLY[i]=${COMPREPLY[i]#"$pre"}
	done
}

# Complete a comma-separated list: $1 = what is typed, $2 = candidates.
_renacer_c_list()
{
	local typed=$1 done_part="" last=$1 neg=""
	if [[ $typed == *,* ]]; then
		done_part=${typed%,*},
		last=${typed##*,}
	fi
	if [[ -z $done_part && $last == !* ]]; then
		neg=${last%%[!\!]*}
		last=${last#"$neg"}
	fi
	local q=""
	[[ $last == \?* ]] && q="?" && last=${last#\?}
	mapfile -t COMPREPLY < <(_renacer_c_words "$2" "$last" "$done_part$neg$q")
}

_renacer_c_syscall_set()
{
	local names=$_renacer_c_syscalls
	[[ $names == @*@ ]] && names=""
	_renacer_c_list "$1" "$_renacer_c_classes all none $names"
	# no trailing space: another ',' may follow
	compopt -o nospace 2>/dev/null
}

_renacer_c_pids()
{
	local typed=$1 done_part="" last=$1 p pids=""
	if [[ $typed == *,* ]]; then
		done_part=${typed%,*},
		last=${typed##*,}
	fi
	for p in /proc/[0-9]*; do
		pids+="${p#/proc/} "
	done
	mapfile -t COMPREPLY < <(_renacer_c_words "$pids" "$last" "$done_part")
}

_renacer_c_files()
{
	compopt -o filenames 2>/dev/null
	mapfile -t COMPREPLY < <(compgen -f -- "$1")
}

_renacer_c_sub()
{
	local sub=$1 cur=$2 prev=$3
	case $sub in
	assert)
		case $prev in
		--config | -o | --output) _renacer_c_files "$cur"; return ;;
		--format) mapfile -t COMPREPLY < <(compgen -W "text json junit github" -- "$cur"); return ;;
		esac
		case $cur in
		--format=*) mapfile -t COMPREPLY < <(compgen -P --format= -W "text json junit github" -- "${cur#--format=}"); _renacer_c_trim "$cur"; return ;;
		--config=*) mapfile -t COMPREPLY < <(compgen -P --config= -f -- "${cur#--config=}"); _renacer_c_trim "$cur"; return ;;
		-*) mapfile -t COMPREPLY < <(compgen -W "$_renacer_c_assert_opts" -- "$cur"); return ;;
		esac
		;;
	diff)
		case $prev in
		--tolerance | --max-hunks) return ;;
		--format) mapfile -t COMPREPLY < <(compgen -W "text json" -- "$cur"); return ;;
		esac
		case $cur in
		--format=*) mapfile -t COMPREPLY < <(compgen -P --format= -W "text json" -- "${cur#--format=}"); _renacer_c_trim "$cur"; return ;;
		-*) mapfile -t COMPREPLY < <(compgen -W "$_renacer_c_diff_opts" -- "$cur"); return ;;
		esac
		;;
	export)
		case $prev in
		--otlp-compression) mapfile -t COMPREPLY < <(compgen -W "gzip none" -- "$cur"); return ;;
		--otlp-endpoint | --otlp-header | --otlp-timeout) return ;;
		esac
		case $cur in
		-*) mapfile -t COMPREPLY < <(compgen -W "$_renacer_c_export_opts" -- "$cur"); return ;;
		esac
		;;
	summary)
		case $prev in
		-S | --sort) mapfile -t COMPREPLY < <(compgen -W "time calls errors name nothing" -- "$cur"); return ;;
		esac
		case $cur in
		--sort=*) mapfile -t COMPREPLY < <(compgen -P --sort= -W "time calls errors name nothing" -- "${cur#--sort=}"); _renacer_c_trim "$cur"; return ;;
		-*) mapfile -t COMPREPLY < <(compgen -W "$_renacer_c_summary_opts" -- "$cur"); return ;;
		esac
		;;
	esac
	_renacer_c_files "$cur"
}

_renacer_c()
{
	COMPREPLY=()
	local cur prev i w
	cur=$(_renacer_c_cur)
	# the word before the current one, in blank-separated terms
	local line=${COMP_LINE:0:COMP_POINT}
	line=${line%"$cur"}
	line=${line%"${line##*[![:space:]]}"}
	prev=${line##*[[:space:]]}

	# A subcommand, or the traced command (after -- or the first operand),
	# takes over the rest of the line.
	local -a words
	read -r -a words <<<"$line"
	local expect_arg=0 n=${#words[@]}
	for ((i = 1; i < n; i++)); do
		w=${words[i]}
		if ((expect_arg)); then
			expect_arg=0
			continue
		fi
		case $w in
		--) _renacer_c_command $((COMP_CWORD - (n - i - 1))); return ;;
		-*)
			if [[ " $_renacer_c_arg_opts " == *" $w "* ]]; then
				expect_arg=1
			elif [[ $w == -s ]] && [[ ${words[i + 1]:-} =~ ^[0-9]+$ ]]; then
				expect_arg=1 # strace's -s N
			fi
			;;
		*)
			if ((i == 1)) && [[ " $_renacer_c_subcommands " == *" $w "* ]]; then
				_renacer_c_sub "$w" "$cur" "$prev"
			else
				_renacer_c_command $((COMP_CWORD - (n - i)))
			fi
			return
			;;
		esac
	done

	case $prev in
	-o | --output) _renacer_c_files "$cur"; return ;;
	--assert) _renacer_c_files "$cur"; return ;;
	-p | --attach) _renacer_c_pids "$cur"; return ;;
	-S | --summary-sort-by) mapfile -t COMPREPLY < <(compgen -W "time calls errors name nothing" -- "$cur"); return ;;
	--format) mapfile -t COMPREPLY < <(compgen -W "text json csv html chrome" -- "$cur"); return ;;
	--string-limit | -a | --columns | --slower-than | --signal | --status) return ;;
	--trace)
		_renacer_c_syscall_set "$cur"
		_renacer_c_trim "$cur"
		return
		;;
	-e)
		case $cur in
		trace=* | t=*)
			_renacer_c_syscall_set "${cur#*=}"
			local pfx=${cur%%=*}=
			for i in "${!COMPREPLY[@]}"; do COMPREPLY[i]=$pfx${COMPREPLY[i]}; done
			;;
		status=*)
			_renacer_c_list "${cur#status=}" "$_renacer_c_status"
			for i in "${!COMPREPLY[@]}"; do COMPREPLY[i]=status=${COMPREPLY[i]}; done
			compopt -o nospace 2>/dev/null
			;;
		*)
			_renacer_c_syscall_set "$cur"
			local -a sets=("${COMPREPLY[@]}")
			mapfile -t COMPREPLY < <(compgen -W "trace= status=" -- "$cur")
			COMPREPLY+=("${sets[@]}")
			compopt -o nospace 2>/dev/null
			;;
		esac
		_renacer_c_trim "$cur"
		return
		;;
	esac

	case $cur in
	--format=*)
		mapfile -t COMPREPLY < <(compgen -P --format= -W "text json csv html chrome" -- "${cur#--format=}")
		;;
	--compress=*)
		mapfile -t COMPREPLY < <(compgen -P --compress= -W "rle" -- "${cur#--compress=}")
		;;
	--assert=*)
		compopt -o filenames 2>/dev/null
		mapfile -t COMPREPLY < <(compgen -P --assert= -f -- "${cur#--assert=}")
		;;
	--slower-than=* | --string-limit=*) ;;
	--*)
		mapfile -t COMPREPLY < <(compgen -W "$_renacer_c_long_opts" -- "$cur")
		[[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == *= ]] && compopt -o nospace 2>/dev/null
		;;
	-*)
		mapfile -t COMPREPLY < <(compgen -W "$_renacer_c_short_opts $_renacer_c_long_opts" -- "$cur")
		;;
	*)
		# no operand yet: the traced command (or, first, a subcommand)
		if ((n == 1)); then
			mapfile -t COMPREPLY < <(compgen -W "$_renacer_c_subcommands" -- "$cur")
		fi
		if [[ $cur == */* ]]; then
			compopt -o filenames 2>/dev/null
			mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < <(compgen -f -- "$cur")
		else
			mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < <(compgen -c -- "$cur" | LC_ALL=C sort -u)
		fi
		;;
	esac
	_renacer_c_trim "$cur"
}

# The traced command starts at word $1: complete it as a command line of
# its own (bash-completion's _command_offset when available).
_renacer_c_command()
{
	if declare -F _command_offset >/dev/null; then
		_command_offset "$1"
	else
		local cur
		cur=$(_renacer_c_cur)
		if ((COMP_CWORD == $1)) && [[ $cur != */* ]]; then
			mapfile -t COMPREPLY < <(compgen -c -- "$cur" | LC_ALL=C sort -u)
		else
			_renacer_c_files "$cur"
		fi
	fi
}

complete -F _renacer_c renacer-c
