// forkmany N: forks N short-lived children, one at a time. Each child makes
// exactly one getsid and then exit_group; the parent reaps each with wait4.
// Counts by construction (this program only): getsid N, wait4 N,
// clone N (glibc 2.36 fork() is the clone syscall), exit_group N + 1.
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 10000;

	for (long i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("forkmany: fork");
			return 1;
		}
		if (pid == 0) {
			syscall(SYS_getsid, 0);
			syscall(SYS_exit_group, 0);
		}
		if (waitpid(pid, NULL, 0) != pid) {
			perror("forkmany: waitpid");
			return 1;
		}
	}
	return 0;
}
