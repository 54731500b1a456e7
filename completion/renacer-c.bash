# bash completion for renacer-c                              -*- shell-script -*-
#
# Installed by `make install` as share/bash-completion/completions/renacer-c,
# with the syscall names of src/decode/syscalls.tsv filled in by
# scripts/gen_completion.sh (the @SYSCALL_NAMES@ line below). Sourced
# straight from the source tree it works too, without syscall names.
#
# Options are written out here, not parsed from --help at run time; the
# integration test test_install_man.c checks that every option --help
# prints appears in this file.

_renacer_c_syscalls="@SYSCALL_NAMES@"

_renacer_c_short_opts="-f -p -o -q -e -z -Z -c -C -S -w -T -t -tt -ttt -r -y -s -k -h -V"
_renacer_c_long_opts="--help --version --source --function-time --string-limit --format
 --slower-than= --seccomp-bpf --no-seccomp-bpf --same-cpu --assert --compress=rle
 --unwinder= --otlp-endpoint --otlp-compression --otlp-header --otlp-timeout
 --otlp-required"
_renacer_c_subcommands="assert diff export summary"
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
		--config | -o) _renacer_c_files "$cur"; return ;;
		--format) mapfile -t COMPREPLY < <(compgen -W "text json junit github" -- "$cur"); return ;;
		esac
		case $cur in
		--format=*) mapfile -t COMPREPLY < <(compgen -P --format= -W "text json junit github" -- "${cur#--format=}"); _renacer_c_trim "$cur"; return ;;
		--config=*) mapfile -t COMPREPLY < <(compgen -P --config= -f -- "${cur#--config=}"); _renacer_c_trim "$cur"; return ;;
		-*) mapfile -t COMPREPLY < <(compgen -W "--config --format -o --help" -- "$cur"); return ;;
		esac
		;;
	diff)
		case $prev in
		--tolerance) return ;;
		--format) mapfile -t COMPREPLY < <(compgen -W "text json" -- "$cur"); return ;;
		esac
		case $cur in
		--format=*) mapfile -t COMPREPLY < <(compgen -P --format= -W "text json" -- "${cur#--format=}"); _renacer_c_trim "$cur"; return ;;
		-*) mapfile -t COMPREPLY < <(compgen -W "--tolerance --format --help" -- "$cur"); return ;;
		esac
		;;
	export)
		case $prev in
		--otlp-endpoint | --otlp-header | --otlp-timeout) return ;;
		--otlp-compression) mapfile -t COMPREPLY < <(compgen -W "gzip none" -- "$cur"); return ;;
		esac
		case $cur in
		-*) mapfile -t COMPREPLY < <(compgen -W "--otlp-endpoint --otlp-compression --otlp-header --otlp-timeout --otlp-required --help" -- "$cur"); return ;;
		esac
		;;
	summary)
		case $prev in
		-S) mapfile -t COMPREPLY < <(compgen -W "time calls errors name nothing" -- "$cur"); return ;;
		esac
		case $cur in
		-*) mapfile -t COMPREPLY < <(compgen -W "-S --help" -- "$cur"); return ;;
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
		-p | -o | -e | -S | --string-limit | --format | --assert) expect_arg=1 ;;
		--otlp-endpoint | --otlp-compression | --otlp-header | --otlp-timeout) expect_arg=1 ;;
		-*) ;;
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
	-o) _renacer_c_files "$cur"; return ;;
	--assert) _renacer_c_files "$cur"; return ;;
	-p) _renacer_c_pids "$cur"; return ;;
	-S) mapfile -t COMPREPLY < <(compgen -W "time calls errors name nothing" -- "$cur"); return ;;
	--format) mapfile -t COMPREPLY < <(compgen -W "text json csv html chrome" -- "$cur"); return ;;
	--string-limit) return ;;
	--otlp-endpoint | --otlp-header | --otlp-timeout) return ;;
	--otlp-compression) mapfile -t COMPREPLY < <(compgen -W "gzip none" -- "$cur"); return ;;
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
	--unwinder=*)
		mapfile -t COMPREPLY < <(compgen -P --unwinder= -W "libdw libunwind" -- "${cur#--unwinder=}")
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
