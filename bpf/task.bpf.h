/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A thread of the tree, written once for both programs (BTF and classic):
 * when a fork adds a task, when counting starts (the execve gate), which
 * slot a call is counted in, and what sys_exit records. Each program keeps
 * its struct tracked_task where it can (task storage, or a hash map) and
 * tells whether the call running is an ia32 one its own way.
 */
#ifndef __TSDENET_TASK_BPF_H
#define __TSDENET_TASK_BPF_H

#include "common.bpf.h"

/*
 * x86 (arch/x86/include/asm/thread_info.h): set in thread_info.status while
 * an ia32 syscall runs, int 0x80 from a 64-bit program included. Each
 * program reads it its own way (in_ia32_syscall()).
 */
#define TS_COMPAT 0x0002

/*
 * The fork of the command: the forking thread (tid, tsdenet's namespace) is
 * the armed spawner. One shot: disarms, and returns the execve calls to let
 * pass (a wrapper's) + 1, or 0 when this fork is not the command's.
 */
static __always_inline __u32 claim_spawn(__u32 tid)
{
	struct spawn *sp = get_spawn();

	if (!sp || !sp->armed || tid != sp->spawner_tid)
		return 0;
	sp->armed = 0;
	return sp->skip_execs + 1;
}

/*
 * A new task's state: tracked when its parent is, or pending (counting
 * starts at its execve) when it is the command tsdenet forks.
 */
static __always_inline void init_task(struct tracked_task *t, struct config *cfg, __u32 state,
				      __u32 ppid, __u32 skip_execs)
{
	t->state = state;
	/* Only what the hot path acts on: --per-thread is read from config where counts move. */
	t->features = cfg->features & ~FEAT_PER_THREAD;
	t->ppid = ppid;
	t->skip_execs = skip_execs;
	t->cur_slot = NO_NR;
}

/*
 * The execve gate: whether call `id` is counted. A pending task (the
 * command before its execve) starts counting at its execve, after the
 * wrapper's ones it lets pass.
 */
static __always_inline int counting(struct tracked_task *t, long id)
{
	struct config *cfg;

	if (t->state == TASK_TRACKED)
		return 1;
	if (t->state != TASK_PENDING)
		return 0;
	cfg = get_config();
	if (!cfg || (id != cfg->nr_execve && id != cfg->nr_execveat))
		return 0;
	if (t->skip_execs) {
		t->skip_execs--;
		return 0;
	}
	t->state = TASK_TRACKED;
	return 1;
}

/*
 * The slot call `id` is counted in (ia32: an ia32 call, at COMPAT_BASE +
 * its i386 number), or -1 when the filter excludes it; remembers the call
 * for sys_exit when errors or latency are measured. Only for a task with
 * optional features: the plain path stays one branch.
 */
static __always_inline long slot_with_features(struct tracked_task *t, long id, int ia32)
{
	long slot = ia32 ? COMPAT_BASE + id : id;

	if ((t->features & FEAT_FILTER) && !filter_allows(slot)) {
		t->cur_slot = NO_NR;
		return -1;
	}
	if (t->features & (FEAT_ERRORS | FEAT_LATENCY)) {
		t->cur_slot = (__u32)slot;
		if (t->features & FEAT_LATENCY)
			t->enter_ns = bpf_ktime_get_ns();
	}
	return slot;
}

/* sys_exit (only with --errors or --latency): the call in progress returned ret. */
static __always_inline void end_call(struct tracked_task *t, long ret)
{
	__u32 slot;

	if (t->state != TASK_TRACKED || t->cur_slot == NO_NR)
		return;
	slot = t->cur_slot;
	t->cur_slot = NO_NR;
	if ((t->features & FEAT_LATENCY) && t->enter_ns) {
		record_latency(slot, bpf_ktime_get_ns() - t->enter_ns);
		t->enter_ns = 0;
	}
	if (t->features & FEAT_ERRORS)
		record_error(t->tgid, slot, ret);
}

#endif /* __TSDENET_TASK_BPF_H */
