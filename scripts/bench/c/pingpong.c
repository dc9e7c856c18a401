// pingpong N: a parent and its child pass one byte back and forth N times
// through two pipes. Every read blocks until the other side writes: about
// four context switches per round trip, the workload of --offcpu's cost
// (its program runs on every context switch). Counts by construction (this
// program only): read 2N, write 2N, clone 1, wait4 1.
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 100000;
	int ping[2], pong[2];
	char c = 'x';
	pid_t pid;

	if (pipe(ping) || pipe(pong)) {
		perror("pingpong: pipe");
		return 1;
	}
	pid = fork();
	if (pid < 0) {
		perror("pingpong: fork");
		return 1;
	}
	if (pid == 0) {
		for (long i = 0; i < n; i++)
			if (read(ping[0], &c, 1) != 1 || write(pong[1], &c, 1) != 1)
				_exit(1);
		_exit(0);
	}
	for (long i = 0; i < n; i++)
		if (write(ping[1], &c, 1) != 1 || read(pong[0], &c, 1) != 1)
			return 1;
	return waitpid(pid, NULL, 0) == pid ? 0 : 1;
}
