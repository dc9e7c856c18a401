// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * tsdenet's fallback counter on classic tracepoints, for kernels without
 * BTF or older than 5.17. Needs read access to tracefs (the tracepoint ids)
 * and reads no kernel structure, so it loads without BTF or CO-RE.
 * Membership and counts live in hash maps: two lookups per syscall, slower
 * than the BTF program but exact.
 */
#include "common.bpf.h"

/* Key: tid. Value: state (TASK_PENDING / TASK_TRACKED), parent's tgid, execs to skip. */
struct tracked_task {
	__u32 state;
	__u32 ppid;
	__u32 skip_execs;
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1 << 16);
	__type(key, __u32);
	__type(value, struct tracked_task);
} tracked SEC(".maps");

/* raw_syscalls/sys_enter: fixed layout since Linux 2.6.32. */
struct sys_enter_args {
	__u64 common;
	long id;
	unsigned long args[6];
};

SEC("tracepoint/raw_syscalls/sys_enter")
int count_sys_enter_tp(struct sys_enter_args *ctx)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pid_tgid;
	struct tracked_task *t = bpf_map_lookup_elem(&tracked, &tid);
	struct count_key key = {};
	long id = ctx->id;

	if (!t)
		return 0;
	if (t->state != TASK_TRACKED) {
		struct config *cfg = get_config();

		if (!cfg || (id != cfg->nr_execve && id != cfg->nr_execveat))
			return 0;
		if (t->skip_execs) {
			t->skip_execs--;
			return 0;
		}
		t->state = TASK_TRACKED;
	}
	if (id < 0)
		return 0;
	key.tgid = pid_tgid >> 32;
	key.tid = tid;
	key.nr = (__u32)id;
	add_count(&key, 1);
	return 0;
}

/*
 * sched_process_fork: child_pid moved from offset 44 to 20 when the comm
 * fields became __data_loc strings (Linux 6.x). The kernel refuses to attach
 * a program that reads past the event's size (-EACCES), so there is one
 * program per layout; user space loads the one the format file describes.
 */
struct fork_args_6x {
	__u64 common;
	__u32 parent_comm_loc;
	__s32 parent_pid;
	__u32 child_comm_loc;
	__s32 child_pid;
};

struct fork_args_old {
	__u64 common;
	char parent_comm[16];
	__s32 parent_pid;
	char child_comm[16];
	__s32 child_pid;
};

static __always_inline void follow_fork(__u32 child_tid)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 parent_tid = (__u32)pid_tgid;
	struct tracked_task *parent = bpf_map_lookup_elem(&tracked, &parent_tid);
	struct tracked_task child = { .ppid = pid_tgid >> 32 };
	struct config *cfg;

	if (parent && parent->state == TASK_TRACKED) {
		child.state = TASK_TRACKED;
	} else {
		cfg = get_config();
		if (!cfg || !cfg->armed || parent_tid != cfg->spawner_tid)
			return;
		/* One shot: only tsdenet's fork of the command. */
		cfg->armed = 0;
		child.state = TASK_PENDING;
		child.skip_execs = cfg->skip_execs;
	}
	if (bpf_map_update_elem(&tracked, &child_tid, &child, BPF_ANY))
		count_lost_task();
}

SEC("tracepoint/sched/sched_process_fork")
int follow_fork_tp(struct fork_args_6x *ctx)
{
	follow_fork(ctx->child_pid);
	return 0;
}

SEC("tracepoint/sched/sched_process_fork")
int follow_fork_tp_old(struct fork_args_old *ctx)
{
	follow_fork(ctx->child_pid);
	return 0;
}

SEC("tracepoint/sched/sched_process_exit")
int forget_on_exit_tp(void *ctx)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pid_tgid;
	struct tracked_task *t = bpf_map_lookup_elem(&tracked, &tid);

	if (!t)
		return 0;
	if (t->state == TASK_TRACKED)
		save_task_info(tid, pid_tgid >> 32, t->ppid);
	bpf_map_delete_elem(&tracked, &tid);
	return 0;
}
