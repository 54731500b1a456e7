/* commands.h — the subcommands main() dispatches to.
 *
 * Each takes the arguments after the program name: argv[0] is the
 * subcommand's own name ("summary"), so main calls
 * cmd_summary(argc - 1, argv + 1). Each returns renacer-c's exit status. */
#ifndef RENACER_COMMANDS_H
#define RENACER_COMMANDS_H

/* renacer-c summary [-S SORTBY] TRACE.json — the -c table of a saved
 * trace on stdout, identical to the live -c table of the same run.
 * Exit: 0 ok, 1 output error, 2 usage, 3 unreadable or invalid trace. */
int cmd_summary(int argc, char **argv);

#endif
