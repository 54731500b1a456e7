/* launch.h — starting the traced program, or attaching to running ones.
 * Both add the initial tasks to tr->tasks; they print their own one-line
 * errors and return the exit status renacer-c should end with (0 = ok). */
#ifndef RENACER_LAUNCH_H
#define RENACER_LAUNCH_H

#include <stdbool.h>
#include <stddef.h>

struct tracer;

/* Find cmd like execvp would. 0 with the path in out; 127 (not found) or
 * 126 (found, not executable) with a message printed. */
int resolve_command(const char *cmd, char *out, size_t outlen);
int launch_program(struct tracer *tr);
int attach_processes(struct tracer *tr);
/* Called by the engine at every syscall-exit stop while tr->launch_pending.
 * At the launched program's own execve (success or failure) it prints what
 * the child reported (seccomp notices) and, when the exec failed, the
 * failure itself ("renacer-c: exec: ..."), hiding the child's remaining
 * calls the way strace does. */
struct task;
void launch_exec_done(struct tracer *tr, struct task *t, long rval, bool is_error);

#endif
