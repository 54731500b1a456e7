/* forkexec.c — the parent, its child before exec, and the program the
 * child execs (exec_target, next to this executable) each make a chdir
 * from their own code. */
#include <limits.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile int sink;

__attribute__((noinline)) static void child_before_exec(void)
{
	sink = chdir("/tmp"); /* @site:child */
}

int main(void)
{
	char path[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 32);

	if (n <= 0)
		return 3;
	path[n] = '\0';
	char *slash = strrchr(path, '/');
	strcpy(slash ? slash + 1 : path, "exec_target");

	pid_t pid = fork();
	if (pid < 0)
		return 3;
	if (pid == 0) {
		child_before_exec();
		execl(path, "exec_target", (char *)NULL);
		_exit(127);
	}
	int st;
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return 4;
	sink = chdir("/"); /* @site:parent */
	return 0;
}
