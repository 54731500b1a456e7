/* launch.h — starting the traced program, or attaching to running ones.
 * Both add the initial tasks to tr->tasks; they print their own one-line
 * errors and return the exit status renacer-c should end with (0 = ok). */
#ifndef RENACER_LAUNCH_H
#define RENACER_LAUNCH_H

#include <stddef.h>

struct tracer;

/* Find cmd like execvp would. 0 with the path in out; 127 (not found) or
 * 126 (found, not executable) with a message printed. */
int resolve_command(const char *cmd, char *out, size_t outlen);
int launch_program(struct tracer *tr);
int attach_processes(struct tracer *tr);

#endif
