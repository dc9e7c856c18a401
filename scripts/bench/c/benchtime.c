// benchtime OUTFILE [--cgroup DIR] CMD [ARGS...]: times CMD itself, not the
// tool around it.
//
// The process that the tool starts (P) becomes CMD through execve, so a
// tool that follows only its direct child (bpftrace -c with /pid == cpid/)
// still sees CMD. Before that, P starts a watcher (W, a grandchild, so CMD
// has no unexpected child to reap): W opens a pidfd on P and tells P it is
// ready; P reads the clock and sends t0 to W, then execs CMD; W polls the
// pidfd, reads the clock when P (now CMD) exits, and writes the elapsed
// nanoseconds to OUTFILE (via OUTFILE.tmp + rename, so a reader never sees
// a partial file). CMD's exit status is not reported: the benchmark checks
// its workloads separately.
//
// Syscalls the wrapper itself makes, for the exact-count checks (the
// benchmark adds them to the workload's expected counts): 2 clone (P -> W1,
// W1 -> W), 1 wait4 (P reaps W1), 2 exit_group (W1, W), 1 pidfd_open,
// 1 poll, 1 execve (P -> CMD). It makes no getsid, getppid or exit.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int full_read(int fd, void *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, (char *)buf + got, len - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	return 0;
}

static void watcher(pid_t target, int ready_w, int t0_r, const char *out)
{
	uint64_t t0, t1;
	struct pollfd pfd;
	char tmp[4096], line[64];
	int fd, n;

	fd = (int)syscall(SYS_pidfd_open, target, 0);
	if (fd < 0) {
		perror("benchtime: pidfd_open");
		_exit(1);
	}
	if (write(ready_w, "r", 1) != 1)
		_exit(1);
	close(ready_w);
	if (full_read(t0_r, &t0, sizeof(t0)) != 0)
		_exit(1); /* P failed before exec */
	close(t0_r);
	pfd.fd = fd;
	pfd.events = POLLIN;
	while (poll(&pfd, 1, -1) < 0 && errno == EINTR)
		;
	t1 = now_ns();
	snprintf(tmp, sizeof(tmp), "%s.tmp", out);
	n = snprintf(line, sizeof(line), "%llu\n", (unsigned long long)(t1 - t0));
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, line, (size_t)n) != n || close(fd) != 0 || rename(tmp, out) != 0) {
		perror("benchtime: write result");
		_exit(1);
	}
	_exit(0);
}

static int join_cgroup(const char *dir)
{
	char path[4096], pid[32];
	int fd, n;

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	n = snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, pid, (size_t)n) != n || close(fd) != 0) {
		fprintf(stderr, "benchtime: join cgroup %s: %s\n", dir, strerror(errno));
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int ready[2], t0p[2];
	const char *cgroup = NULL;
	char **cmd = argv + 2;
	pid_t self, w1;
	uint64_t t0;
	char c;

	if (argc >= 5 && strcmp(argv[2], "--cgroup") == 0) {
		cgroup = argv[3];
		cmd = argv + 4;
	}
	if (argc < 3 || !cmd[0]) {
		fprintf(stderr, "usage: benchtime OUTFILE [--cgroup DIR] CMD [ARGS...]\n");
		return 2;
	}
	if (pipe2(ready, O_CLOEXEC) != 0 || pipe2(t0p, O_CLOEXEC) != 0) {
		perror("benchtime: pipe2");
		return 2;
	}
	self = getpid();
	w1 = fork();
	if (w1 < 0) {
		perror("benchtime: fork");
		return 2;
	}
	if (w1 == 0) {
		pid_t w = fork();

		if (w == 0) {
			close(ready[0]);
			close(t0p[1]);
			watcher(self, ready[1], t0p[0], argv[1]);
		}
		_exit(w < 0);
	}
	close(ready[1]);
	close(t0p[0]);
	waitpid(w1, NULL, 0);
	if (full_read(ready[0], &c, 1) != 0) {
		fprintf(stderr, "benchtime: watcher did not start\n");
		return 2;
	}
	if (cgroup && join_cgroup(cgroup) != 0)
		return 2;
	t0 = now_ns();
	if (write(t0p[1], &t0, sizeof(t0)) != (ssize_t)sizeof(t0))
		return 2;
	execvp(cmd[0], cmd);
	perror("benchtime: execvp");
	return 127;
}
