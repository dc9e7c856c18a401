// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * tsdenet's fallback counter on classic tracepoints, for kernels without
 * BTF or older than 5.17. Needs read access to tracefs (the tracepoint ids)
 * and reads no kernel structure, so it loads without BTF or CO-RE.
 * Membership and counts live in hash maps: two lookups per syscall, slower
 * than the BTF program but exact. ia32 calls on x86_64 are told apart by
 * TS_COMPAT in thread_info.status, at the offset user space gives for the
 * running kernel (no BTF here to find it).
 */
#include "task.bpf.h"

/* The live threads of the tree, key: tid in the initial pid namespace (what the tracepoints give). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1 << 16);
	__type(key, __u32);
	__type(value, struct tracked_task);
} tracked SEC(".maps");

/* raw_syscalls/sys_enter and sys_exit: fixed layouts since Linux 2.6.32. */
struct sys_enter_args {
	__u64 common;
	long id;
	unsigned long args[6];
};

struct sys_exit_args {
	__u64 common;
	long id;
	long ret;
};

/*
 * The current task's ids as tsdenet reports them. In the initial pid
 * namespace they are the kernel's global ids (what bpf_get_current_pid_tgid
 * gives, whatever namespace the task itself lives in: a command that makes
 * a pid namespace of its own stays exact). Inside a pid namespace,
 * bpf_get_ns_current_pid_tgid (Linux 5.7) translates, but only for a task
 * whose own namespace is tsdenet's: a task in a namespace nested below it
 * keeps its global ids (README, Accuracy; the BTF program walks the
 * namespace levels instead).
 */
static __always_inline void current_ids(struct config *cfg, __u32 *tid, __u32 *tgid)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct bpf_pidns_info ids = {};

	if (cfg->ns_ino != INIT_PID_NS_INO &&
	    !bpf_get_ns_current_pid_tgid(cfg->ns_dev, cfg->ns_ino, &ids, sizeof(ids))) {
		*tid = ids.pid;
		*tgid = ids.tgid;
		return;
	}
	*tid = (__u32)pid_tgid;
	*tgid = pid_tgid >> 32;
}

static __always_inline void learn_ids(struct tracked_task *t)
{
	struct config *cfg = get_config();

	if (cfg)
		current_ids(cfg, &t->tid, &t->tgid);
}

/*
 * Whether the call running now is an ia32 one (TS_COMPAT, at the offset user
 * space gave): read on every call, not once per program, since a 64-bit
 * program's int 0x80 is an ia32 call too and must be named with the i386 table.
 */
static __always_inline int in_ia32_syscall(void)
{
	struct config *cfg = get_config();
	__u32 status = 0;

	if (!cfg || !cfg->ia32_status_off ||
	    bpf_probe_read_kernel(&status, sizeof(status), (void *)bpf_get_current_task() + cfg->ia32_status_off))
		return 0;
	return (status & TS_COMPAT) != 0;
}

SEC("tracepoint/raw_syscalls/sys_enter")
int count_sys_enter_tp(struct sys_enter_args *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct tracked_task *t = bpf_map_lookup_elem(&tracked, &tid);
	struct count_key key = {};
	long id = ctx->id;
	long slot = id;

	if (!t || id < 0 || !counting(t, id))
		return 0;
	if (!t->tgid)
		learn_ids(t);
	if (t->features) {
		slot = slot_with_features(t, id, (t->features & FEAT_COMPAT) && in_ia32_syscall());
		if (slot < 0)
			return 0;
	}
	key.tgid = t->tgid;
	key.tid = count_tid(get_config(), t->tid);
	key.nr = (__u32)slot;
	add_count(&key, 1);
	if (slot < NR_SLOTS) {
		struct slot_totals *totals = get_slot_totals();

		if (totals)
			__sync_fetch_and_add(&totals->calls[slot & (NR_SLOTS - 1)], 1);
	}
	return 0;
}

/* Attached only with --errors or --latency. */
SEC("tracepoint/raw_syscalls/sys_exit")
int time_sys_exit_tp(struct sys_exit_args *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct tracked_task *t = bpf_map_lookup_elem(&tracked, &tid);

	if (t)
		end_call(t, ctx->ret);
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

/*
 * child_tid: the kernel's global id (the key of tracked). The child's ids for
 * user space are known now only in the initial namespace, and then only its
 * tid (a new thread and a new process look alike here): learn_ids completes
 * them at its first call, and user space finds the tgid of a child that has
 * made none yet from /proc (SyscallCounter's live tree, for --wait-tree).
 */
static __always_inline void follow_fork(__u32 child_tid)
{
	__u32 parent_tid = (__u32)bpf_get_current_pid_tgid();
	struct tracked_task *parent = bpf_map_lookup_elem(&tracked, &parent_tid);
	struct config *cfg = get_config();
	struct tracked_task child = {};
	__u32 tid, tgid, spawned;

	if (!cfg)
		return;
	current_ids(cfg, &tid, &tgid);
	if (parent && parent->state == TASK_TRACKED) {
		init_task(&child, cfg, TASK_TRACKED, tgid, 0);
	} else {
		spawned = claim_spawn(tid);
		if (!spawned)
			return;
		init_task(&child, cfg, TASK_PENDING, tgid, spawned - 1);
	}
	if (cfg->ns_ino == INIT_PID_NS_INO)
		child.tid = child_tid;
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
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct tracked_task *t = bpf_map_lookup_elem(&tracked, &tid);

	if (!t)
		return 0;
	if (t->state == TASK_TRACKED) {
		if (!t->tgid)
			learn_ids(t);
		thread_done(get_config(), t->tid, t->tgid, t->ppid, 1);
	}
	bpf_map_delete_elem(&tracked, &tid);
	return 0;
}

/* sched_process_exec: fixed layout since Linux 3.4. */
struct exec_args {
	__u64 common;
	__u32 filename_loc;
	__s32 pid;
	__s32 old_pid;
};

/*
 * A thread other than the group leader called execve: the kernel has ended
 * every other thread (the leader included, whose entry forget_on_exit_tp
 * removed) and given this one the leader's id. Its entry moves to that id,
 * or every later call would be missed; the calls it made before, filed
 * under its old tid, keep that thread's name and parent.
 */
SEC("tracepoint/sched/sched_process_exec")
int follow_exec_tp(struct exec_args *ctx)
{
	__u32 old_tid = ctx->old_pid, tid = ctx->pid;
	struct tracked_task *t, moved;

	if (old_tid == tid)
		return 0;
	t = bpf_map_lookup_elem(&tracked, &old_tid);
	if (!t)
		return 0;
	moved = *t;
	if (moved.state == TASK_TRACKED && moved.tgid)
		thread_done(get_config(), moved.tid, moved.tgid, moved.ppid, 0);
	learn_ids(&moved);
	moved.ppid = leader_ppid(moved.tid, moved.ppid);
	if (bpf_map_update_elem(&tracked, &tid, &moved, BPF_ANY))
		count_lost_task();
	bpf_map_delete_elem(&tracked, &old_tid);
	return 0;
}

/* ------------------------------------------------------------------ --offcpu */
#include "offcpu.bpf.h"

/*
 * Each thread of the tree that has been off CPU since --offcpu began, key:
 * its global tid (what sched_switch gives). Entries stay after the thread
 * ends: user space reads live and ended threads in one pass.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, 1 << 16);
	__type(key, __u32);
	__type(value, struct offcpu_thread);
} offcpu_threads SEC(".maps");

/* sched/sched_switch: fixed layout since Linux 4.14 (prev_state a long). */
struct sched_switch_args {
	__u64 common;
	char prev_comm[16];
	__s32 prev_pid;
	__s32 prev_prio;
	long prev_state;
	char next_comm[16];
	__s32 next_pid;
	__s32 next_prio;
};

/*
 * prev_state as the tracepoint reports it: 0 (R) for a runnable task,
 * TASK_REPORT_MAX (0x100, R+) added when preempted; the low byte holds the
 * sleeping states (S, D, T, t, X, Z, P, I).
 */
#define REPORTED_STATES 0xff

/*
 * Loaded and attached only with --offcpu. prev is the current task here,
 * so a thread met for the first time gets its ids as tsdenet reports them.
 * A thread at its last switch is no longer in tracked (forget_on_exit_tp
 * ran at its exit): it is not marked off CPU, so it never counts beyond
 * its end.
 */
SEC("tracepoint/sched/sched_switch")
int offcpu_switch_tp(struct sched_switch_args *ctx)
{
	__u32 prev = ctx->prev_pid, next = ctx->next_pid;
	__u64 now = bpf_ktime_get_ns();
	struct tracked_task *t;
	struct offcpu_thread *o;

	t = prev ? bpf_map_lookup_elem(&tracked, &prev) : 0;
	if (t && t->state == TASK_TRACKED) {
		o = bpf_map_lookup_elem(&offcpu_threads, &prev);
		if (!o) {
			struct offcpu_thread fresh = {};
			struct config *cfg = get_config();

			if (cfg)
				current_ids(cfg, &fresh.tid, &fresh.tgid);
			bpf_map_update_elem(&offcpu_threads, &prev, &fresh, BPF_NOEXIST);
			o = bpf_map_lookup_elem(&offcpu_threads, &prev);
		}
		if (o)
			offcpu_leave(o, now, (ctx->prev_state & REPORTED_STATES) == 0);
	}
	o = next ? bpf_map_lookup_elem(&offcpu_threads, &next) : 0;
	if (o)
		offcpu_return(o, now);
	return 0;
}
