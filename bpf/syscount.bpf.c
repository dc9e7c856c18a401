// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * tsdenet's syscall counter on BTF tracepoints (kernel >= 5.11 with BTF:
 * tp_btf programs, task local storage in tracing programs, task iterator).
 *
 * Hot path: every syscall on the machine runs count_sys_enter. A thread that
 * is not ours has no task storage, so bpf_task_storage_get returns NULL at
 * once (no hash, no lock). A thread of the profiled tree increments its own
 * counter array: no atomics, since only the thread itself writes it.
 * Counts move to the shared counts map when the thread exits; live threads
 * are read with the task iterator (dump_tasks).
 */
#include "common.bpf.h"
#include <bpf/bpf_tracing.h>

/* CO-RE: libbpf relocates these field offsets against the running kernel. */
struct task_struct {
	int pid;
	int tgid;
	char comm[16];
	struct task_struct *real_parent;
} __attribute__((preserve_access_index));

struct seq_file;
struct bpf_iter_meta {
	struct seq_file *seq;
} __attribute__((preserve_access_index));

struct bpf_iter__task {
	struct bpf_iter_meta *meta;
	struct task_struct *task;
} __attribute__((preserve_access_index));

struct pt_regs;

struct task_counts {
	__u32 state;
	__u32 ppid;
	__u32 skip_execs;
	__u32 pad;
	__u64 calls[NR_SLOTS];
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct task_counts);
} task_counts SEC(".maps");

SEC("tp_btf/sys_enter")
int BPF_PROG(count_sys_enter, struct pt_regs *regs, long id)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct task_counts *tc;

	tc = bpf_task_storage_get(&task_counts, task, 0, 0);
	if (!tc)
		return 0;
	if (tc->state != TASK_TRACKED) {
		/* The command's own execve is its first counted call. */
		struct config *cfg = get_config();

		if (!cfg || (id != cfg->nr_execve && id != cfg->nr_execveat))
			return 0;
		if (tc->skip_execs) {
			tc->skip_execs--;
			return 0;
		}
		tc->state = TASK_TRACKED;
	}
	if ((unsigned long)id < NR_SLOTS) {
		tc->calls[id]++;
	} else if (id >= 0) {
		struct count_key key = {
			.tgid = task->tgid, .tid = task->pid, .nr = (__u32)id,
		};

		add_count(&key, 1);
	}
	return 0;
}

/*
 * Fires in the forking thread for every new thread or process. The tree
 * grows here, in the kernel, before the child can run: no gap, no polling.
 */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(follow_fork, struct task_struct *parent, struct task_struct *child)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct task_counts *ptc, *ctc;
	__u32 state, skip_execs = 0;

	ptc = bpf_task_storage_get(&task_counts, task, 0, 0);
	if (ptc && ptc->state == TASK_TRACKED) {
		state = TASK_TRACKED;
	} else {
		struct config *cfg = get_config();

		if (!cfg || !cfg->armed || (__u32)task->pid != cfg->spawner_tid)
			return 0;
		/* One shot: only tsdenet's fork of the command. */
		cfg->armed = 0;
		state = TASK_PENDING;
		skip_execs = cfg->skip_execs;
	}
	ctc = bpf_task_storage_get(&task_counts, child, 0,
				   BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!ctc) {
		count_lost_task();
		return 0;
	}
	ctc->state = state;
	ctc->ppid = task->tgid;
	ctc->skip_execs = skip_execs;
	return 0;
}

struct flush_ctx {
	struct task_counts *tc;
	__u32 tgid;
	__u32 tid;
};

static long flush_one(__u32 nr, struct flush_ctx *fc)
{
	struct count_key key = { .tgid = fc->tgid, .tid = fc->tid };
	__u64 n;

	if (nr >= NR_SLOTS)
		return 1;
	n = fc->tc->calls[nr];
	if (n) {
		key.nr = nr;
		add_count(&key, n);
	}
	return 0;
}

/* A tracked thread exits: its counts move to the shared map, storage is freed. */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(flush_on_exit, struct task_struct *p)
{
	struct task_counts *tc = bpf_task_storage_get(&task_counts, p, 0, 0);
	struct flush_ctx fc;

	if (!tc)
		return 0;
	if (tc->state == TASK_TRACKED) {
		fc.tc = tc;
		fc.tgid = p->tgid;
		fc.tid = p->pid;
		save_task_info(fc.tid, fc.tgid, tc->ppid);
		bpf_loop(NR_SLOTS, flush_one, &fc, 0);
	}
	bpf_task_storage_delete(&task_counts, p);
	return 0;
}

struct dump_ctx {
	struct task_counts *tc;
	struct seq_file *seq;
	struct dump_record rec;
};

static long dump_one(__u32 nr, struct dump_ctx *dc)
{
	__u64 n;

	if (nr >= NR_SLOTS)
		return 1;
	n = dc->tc->calls[nr];
	if (n) {
		dc->rec.nr_or_ppid = nr;
		dc->rec.count = n;
		bpf_seq_write(dc->seq, &dc->rec, sizeof(dc->rec));
	}
	return 0;
}

/* Live threads of the tree: one DUMP_TASK record, then one per counter. */
SEC("iter/task")
int dump_tasks(struct bpf_iter__task *ctx)
{
	struct task_struct *task = ctx->task;
	struct dump_ctx dc = {};
	struct task_counts *tc;

	if (!task)
		return 0;
	tc = bpf_task_storage_get(&task_counts, task, 0, 0);
	if (!tc || tc->state != TASK_TRACKED)
		return 0;
	dc.tc = tc;
	dc.seq = ctx->meta->seq;
	dc.rec.kind = DUMP_TASK;
	dc.rec.tgid = task->tgid;
	dc.rec.tid = task->pid;
	dc.rec.nr_or_ppid = tc->ppid;
	bpf_probe_read_kernel_str(dc.rec.comm, sizeof(dc.rec.comm), task->comm);
	bpf_seq_write(dc.seq, &dc.rec, sizeof(dc.rec));
	dc.rec.kind = DUMP_COUNT;
	bpf_loop(NR_SLOTS, dump_one, &dc, 0);
	return 0;
}

/* Deep enough for any real tree; a deeper descendant is simply not seeded. */
#define MAX_SEED_DEPTH 64

/*
 * attach: run once over every task; marks config.seed_tgid and all its
 * descendants, at any depth, by walking each task's real_parent chain.
 * A child forked while this runs is marked either here or by follow_fork
 * once its parent is marked (accepted race: a child forked by an unmarked
 * parent after the iterator passed it is missed until the next seed pass).
 */
SEC("iter/task")
int seed_tasks(struct bpf_iter__task *ctx)
{
	struct task_struct *task = ctx->task, *t;
	struct config *cfg = get_config();
	struct task_counts *tc;
	int found = 0;

	if (!task || !cfg || !cfg->seed_tgid || task->tgid == cfg->self_tgid)
		return 0;
	t = task;
	for (int i = 0; i < MAX_SEED_DEPTH && t; i++) {
		if ((__u32)t->tgid == cfg->seed_tgid) {
			found = 1;
			break;
		}
		if (t->pid == 0)
			break;
		t = t->real_parent;
	}
	if (!found)
		return 0;
	tc = bpf_task_storage_get(&task_counts, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!tc) {
		count_lost_task();
		return 0;
	}
	if (tc->state != TASK_TRACKED) {
		tc->state = TASK_TRACKED;
		tc->ppid = task->real_parent ? task->real_parent->tgid : 0;
	}
	return 0;
}
