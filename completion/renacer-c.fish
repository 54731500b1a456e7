# fish completion for renacer-c. The complete lines are generated from the
# option table (src/cli/options.def) by `make docs`; test_install_man.c
# checks they match it exactly. Install as renacer-c.fish in a directory
# of $fish_complete_path.

function __renacer_c_main
	not __fish_seen_subcommand_from assert diff summary
end

complete -c renacer-c -n '__fish_use_subcommand' -a 'assert diff summary'

# BEGIN GENERATED: options fish
complete -c renacer-c -n '__renacer_c_main' -s f -l follow-forks -d 'follow fork, vfork and clone (threads and children)'
complete -c renacer-c -n '__renacer_c_main' -l output-separately -d 'with -o FILE: each task`s lines go to FILE.PID, without'
complete -c renacer-c -n '__renacer_c_main' -s p -l attach -r -d 'attach to running processes (with -f: all their threads);'
complete -c renacer-c -n '__renacer_c_main' -s o -l output -r -d 'write the trace to FILE (default: stderr); with -A, append;'
complete -c renacer-c -n '__renacer_c_main' -s A -l output-append-mode -d 'open the -o FILE in append mode instead of truncating it'
complete -c renacer-c -n '__renacer_c_main' -s q -l quiet -d '-q: no attach/detach notices; -qq: no exit lines either;'
complete -c renacer-c -n '__renacer_c_main' -l same-cpu -d 'keep renacer-c on the CPU of the task it traces (every'
complete -c renacer-c -n '__renacer_c_main' -s e -r -d 'a qualifying expression: trace=SET, status=SET, signal=SET,'
complete -c renacer-c -n '__renacer_c_main' -l trace -r -d 'trace only SET: names, %file %process %network %signal'
complete -c renacer-c -n '__renacer_c_main' -l status -r -d 'print only calls whose outcome is in SET: successful,'
complete -c renacer-c -n '__renacer_c_main' -l signal -r -d 'show only the --- SIG --- lines of the signals in SET'
complete -c renacer-c -n '__renacer_c_main' -s P -l trace-path -r -d 'trace only calls that access PATH (by a path argument or an'
complete -c renacer-c -n '__renacer_c_main' -l trace-fds -r -d 'trace only calls with a file descriptor argument in SET'
complete -c renacer-c -n '__renacer_c_main' -s z -l successful-only -d 'print only successful calls (--status=successful)'
complete -c renacer-c -n '__renacer_c_main' -s Z -l failed-only -d 'print only failed calls (--status=failed)'
complete -c renacer-c -n '__renacer_c_main' -l slower-than -r -d 'print only calls that took at least D (100us, 2ms, 1s);'
complete -c renacer-c -n '__renacer_c_main' -l seccomp-bpf -d 'filter in the kernel: untraced calls never stop the'
complete -c renacer-c -n '__renacer_c_main' -l no-seccomp-bpf -d 'stop on every call and filter in renacer-c (keeps'
complete -c renacer-c -n '__renacer_c_main' -s a -l columns -r -d 'align results at COLUMN (default 40)'
complete -c renacer-c -n '__renacer_c_main' -s i -l instruction-pointer -d 'print the instruction pointer at the call: [00007f...]'
complete -c renacer-c -n '__renacer_c_main' -s n -l syscall-number -d 'print the syscall number: [  1]'
complete -c renacer-c -n '__renacer_c_main' -l always-show-pid -d 'prefix every line with its pid, even without -f'
complete -c renacer-c -n '__renacer_c_main' -s k -l stack-traces -d 'print the stack under each call, strace style'
complete -c renacer-c -n '__renacer_c_main' -l string-limit -r -d 'print at most N bytes of each string (default 32);'
complete -c renacer-c -n '__renacer_c_main' -s s -l source -d 'append the user source line that made each call:'
complete -c renacer-c -n '__renacer_c_main' -s t -l absolute-timestamps -d 'prefix lines with the time of day (-t), with microseconds'
complete -c renacer-c -n '__renacer_c_main' -l timestamps -d 'the same as --absolute-timestamps'
complete -c renacer-c -n '__renacer_c_main' -s r -l relative-timestamps -d 'prefix lines with the time since the previous call'
complete -c renacer-c -n '__renacer_c_main' -s T -l syscall-times -d 'show the time spent in each call: <0.000123>'
complete -c renacer-c -n '__renacer_c_main' -s y -l decode-fds -d 'print paths next to file descriptors: 3</etc/hosts>'
complete -c renacer-c -n '__renacer_c_main' -s X -l const-print-style -r -d 'how constants and flags print: abbrev (names, the default);'
complete -c renacer-c -n '__renacer_c_main' -l format -r -d 'output format: text (default), json (renacer-json-v1),'
complete -c renacer-c -n '__renacer_c_main' -l compress -r -d 'with --format json: write a run of identical consecutive'
complete -c renacer-c -n '__renacer_c_main' -s c -l summary-only -d 'count time, calls and errors per syscall; summary only'
complete -c renacer-c -n '__renacer_c_main' -s C -l summary -d 'like -c, but print the trace too'
complete -c renacer-c -n '__renacer_c_main' -s S -l summary-sort-by -r -d 'sort the summary by time (default), calls, errors, name'
complete -c renacer-c -n '__renacer_c_main' -s w -l summary-wall-clock -d 'summary times are wall-clock latency (always so in renacer-c)'
complete -c renacer-c -n '__renacer_c_main' -l function-time -d 'at exit, a table of user functions with their syscall'
complete -c renacer-c -n '__renacer_c_main' -l assert -r -d 'evaluate the renacer.toml assertions in FILE against this'
complete -c renacer-c -n '__renacer_c_main' -s h -l help -d 'show this help and exit'
complete -c renacer-c -n '__renacer_c_main' -s V -l version -d 'show the version and exit'
complete -c renacer-c -n '__fish_seen_subcommand_from assert' -l config -r -d 'the assertions (default ./renacer.toml)'
complete -c renacer-c -n '__fish_seen_subcommand_from assert' -l format -r -d 'report format: text (default), json, junit, github'
complete -c renacer-c -n '__fish_seen_subcommand_from assert' -s o -l output -r -d 'write the report to REPORT (atomically) instead of stderr'
complete -c renacer-c -n '__fish_seen_subcommand_from assert' -s h -l help -d 'show this help and exit'
complete -c renacer-c -n '__fish_seen_subcommand_from diff' -l tolerance -r -d 'equivalent iff similarity >= 1 - F (default 0.05)'
complete -c renacer-c -n '__fish_seen_subcommand_from diff' -l format -r -d 'report format on stdout: text (default) or json'
complete -c renacer-c -n '__fish_seen_subcommand_from diff' -l max-hunks -r -d 'differing hunks to show (default 5; all are counted)'
complete -c renacer-c -n '__fish_seen_subcommand_from diff' -s h -l help -d 'show this help and exit'
complete -c renacer-c -n '__fish_seen_subcommand_from summary' -s S -l sort -r -d 'time (default), calls, errors, name, nothing'
complete -c renacer-c -n '__fish_seen_subcommand_from summary' -s h -l help -d 'show this help and exit'
# END GENERATED: options
