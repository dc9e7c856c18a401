// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * tsdenet's syscall counter on BTF tracepoints (kernel >= 5.17 with BTF:
 * tp_btf programs, task local storage in tracing programs (5.11), task
 * iterator, bpf_loop (5.17)).
 *
 * Hot path: every syscall on the machine runs count_sys_enter. A thread that
 * is not ours has no task storage, so bpf_task_storage_get returns NULL at
 * once (no hash, no lock). A thread of the profiled tree increments its own
 * counter array: no atomics, since only the thread itself writes it.
 * Counts move to the shared counts map when the thread exits; live threads
 * are read with the task iterator (dump_tasks).
 *
 * Pids: every pid stored for user space is the one seen from tsdenet's own
 * pid namespace (config.ns_ino), computed when a task starts being tracked.
 */
#include "common.bpf.h"
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

/* CO-RE: libbpf relocates these field offsets against the running kernel. */
struct ns_common {
	unsigned int inum;
} __attribute__((preserve_access_index));

struct pid_namespace {
	struct ns_common ns;
} __attribute__((preserve_access_index));

struct upid {
	int nr;
	struct pid_namespace *ns;
} __attribute__((preserve_access_index));

struct pid {
	unsigned int level;
	struct upid numbers[1];
} __attribute__((preserve_access_index));

struct task_struct {
	int pid;
	int tgid;
	char comm[16];
	struct task_struct *real_parent;
	struct task_struct *group_leader;
	struct pid *thread_pid;
} __attribute__((preserve_access_index));

struct seq_file;
struct bpf_iter_meta {
	struct seq_file *seq;
} __attribute__((preserve_access_index));

struct bpf_iter__task {
	struct bpf_iter_meta *meta;
	struct task_struct *task;
} __attribute__((preserve_access_index));

/* x86_64 only: the code segment tells a 32-bit (ia32) call from a 64-bit one. */
struct pt_regs___x86 {
	unsigned long cs;
} __attribute__((preserve_access_index));

#define USER32_CS 0x23 /* __USER32_CS on x86_64 */
#define USED_WORDS (NR_SLOTS / 64)
/* Linux allows 32 nested pid namespaces (MAX_PID_NS_LEVEL). */
#define MAX_PID_NS_LEVEL 32

struct task_counts {
	__u32 state;      /* TASK_PENDING / TASK_TRACKED */
	__u32 features;   /* FEAT_*, copied from config when tracking starts */
	__u32 tid;        /* ids in tsdenet's pid namespace */
	__u32 tgid;
	__u32 ppid;
	__u32 skip_execs;
	__u32 cur_slot;   /* syscall in progress, NO_NR when none (errors, latency) */
	__u32 pad;
	__u64 enter_ns;   /* when it entered (latency) */
	/* Bit per slot used: exit and the iterator visit a thread's few used slots, not all 1024. */
	__u64 used[USED_WORDS];
	__u64 calls[NR_SLOTS];
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct task_counts);
} task_counts SEC(".maps");

/* The number of `pid` in the pid namespace whose inode is ns_ino (0: not in it). */
static __always_inline __u32 pid_nr_in_ns(struct pid *pid, __u32 ns_ino)
{
	unsigned long base = (unsigned long)pid + bpf_core_field_offset(struct pid, numbers);
	unsigned int level = BPF_CORE_READ(pid, level);
	unsigned long size = bpf_core_type_size(struct upid);

	for (int i = 0; i < MAX_PID_NS_LEVEL; i++) {
		struct upid *up = (struct upid *)(base + i * size);
		struct pid_namespace *ns;

		if (i > level)
			break;
		ns = BPF_CORE_READ(up, ns);
		if (BPF_CORE_READ(ns, ns.inum) == ns_ino)
			return BPF_CORE_READ(up, nr);
	}
	return 0;
}

/* tid as seen from tsdenet's pid namespace. */
static __always_inline __u32 ns_tid(struct task_struct *t, struct config *cfg)
{
	if (cfg->ns_ino == INIT_PID_NS_INO)
		return BPF_CORE_READ(t, pid);
	return pid_nr_in_ns(BPF_CORE_READ(t, thread_pid), cfg->ns_ino);
}

/* tgid as seen from tsdenet's pid namespace. */
static __always_inline __u32 ns_tgid(struct task_struct *t, struct config *cfg)
{
	if (cfg->ns_ino == INIT_PID_NS_INO)
		return BPF_CORE_READ(t, tgid);
	return pid_nr_in_ns(BPF_CORE_READ(t, group_leader, thread_pid), cfg->ns_ino);
}

/* Storage for a task that joins the tree; NULL (and counted) when the kernel has no memory. */
static __always_inline struct task_counts *track(struct task_struct *task, struct config *cfg,
						 __u32 state, __u32 ppid, __u32 skip_execs)
{
	struct task_counts *tc;

	tc = bpf_task_storage_get(&task_counts, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!tc) {
		count_lost_task();
		return 0;
	}
	tc->state = state;
	tc->features = cfg->features;
	tc->tid = ns_tid(task, cfg);
	tc->tgid = ns_tgid(task, cfg);
	tc->ppid = ppid;
	tc->skip_execs = skip_execs;
	tc->cur_slot = NO_NR;
	return tc;
}

/*
 * The slot a call is counted in, or -1 when the filter excludes it. Only
 * with optional features: the plain path stays one branch.
 */
static __always_inline long slot_with_features(struct task_counts *tc, struct pt_regs *regs, long id)
{
	long slot = id;

	/* A direct BTF load (no helper call); the field exists only on x86. */
	if ((tc->features & FEAT_COMPAT) && bpf_core_field_exists(((struct pt_regs___x86 *)regs)->cs) &&
	    ((struct pt_regs___x86 *)regs)->cs == USER32_CS)
		slot = COMPAT_BASE + id;
	if ((tc->features & FEAT_FILTER) && !filter_allows(slot)) {
		tc->cur_slot = NO_NR;
		return -1;
	}
	if (tc->features & (FEAT_ERRORS | FEAT_LATENCY)) {
		tc->cur_slot = (__u32)slot;
		if (tc->features & FEAT_LATENCY)
			tc->enter_ns = bpf_ktime_get_ns();
	}
	return slot;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(count_sys_enter, struct pt_regs *regs, long id)
{
	struct task_counts *tc;
	long slot = id;

	tc = bpf_task_storage_get(&task_counts, bpf_get_current_task_btf(), 0, 0);
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
	if (tc->features) {
		slot = slot_with_features(tc, regs, id);
		if (slot < 0)
			return 0;
	}
	if ((unsigned long)slot < NR_SLOTS) {
		tc->calls[slot]++;
		tc->used[slot >> 6] |= 1ULL << (slot & 63);
	} else if (slot >= 0) {
		/* x32 calls carry bit 30: counted in the shared map. */
		struct count_key key = { .tgid = tc->tgid, .tid = tc->tid, .nr = (__u32)slot };

		add_count(&key, 1);
	}
	return 0;
}

/* Attached only with --errors or --latency. exit and exit_group never get here. */
SEC("tp_btf/sys_exit")
int BPF_PROG(time_sys_exit, struct pt_regs *regs, long ret)
{
	struct task_counts *tc;
	__u32 slot;

	tc = bpf_task_storage_get(&task_counts, bpf_get_current_task_btf(), 0, 0);
	if (!tc || tc->state != TASK_TRACKED || tc->cur_slot == NO_NR)
		return 0;
	slot = tc->cur_slot;
	tc->cur_slot = NO_NR;
	if ((tc->features & FEAT_LATENCY) && tc->enter_ns) {
		record_latency(slot, bpf_ktime_get_ns() - tc->enter_ns);
		tc->enter_ns = 0;
	}
	if (tc->features & FEAT_ERRORS)
		record_error(tc->tgid, slot, ret);
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
	struct config *cfg = get_config();
	struct task_counts *ptc;

	if (!cfg)
		return 0;
	ptc = bpf_task_storage_get(&task_counts, task, 0, 0);
	if (ptc && ptc->state == TASK_TRACKED) {
		track(child, cfg, TASK_TRACKED, ptc->tgid, 0);
		return 0;
	}
	if (!cfg->armed || ns_tid(task, cfg) != cfg->spawner_tid)
		return 0;
	/* One shot: only tsdenet's fork of the command. */
	cfg->armed = 0;
	track(child, cfg, TASK_PENDING, ns_tgid(task, cfg), cfg->skip_execs);
	return 0;
}

/*
 * Cursor over the set bits of a thread's used bitmap. Each bpf_loop
 * callback takes the next used slot, so exit and the iterator cost one
 * callback per syscall the thread made, not one per slot.
 */
struct slot_cursor {
	__u32 word;
	__u64 bits;
};

struct flush_ctx {
	struct task_counts *tc;
	struct slot_totals *totals;
	struct slot_cursor cur;
};

/*
 * Index of the lowest set bit of a non-zero word. BPF has no ctz; a de
 * Bruijn multiply and a 64-entry table find it without branches. (Six
 * if-tests instead gave the verifier 2^6 paths per call: flush_on_exit
 * alone then took ~16,000 processed instructions to verify, ~10 ms of
 * every start.)
 */
static const __u8 debruijn_bit[64] = {
	0,  1,  48, 2,  57, 49, 28, 3,  61, 58, 50, 42, 38, 29, 17, 4,
	62, 55, 59, 36, 53, 51, 43, 22, 45, 39, 33, 30, 24, 18, 12, 5,
	63, 47, 56, 27, 60, 41, 37, 16, 54, 35, 52, 21, 44, 32, 23, 11,
	46, 26, 40, 15, 34, 20, 31, 10, 25, 14, 19, 9,  13, 8,  7,  6,
};

static __always_inline __u32 lowest_bit(__u64 w)
{
	return debruijn_bit[((w & -w) * 0x03f79d71b4cb0a89ULL) >> 58];
}

/*
 * The next used slot of the word under the cursor, or -1 when the word has
 * no more. One bit per call: loops stay in bpf_loop, so the verifier sees
 * small callbacks instead of nested loops.
 */
static __always_inline long next_used_slot(struct slot_cursor *cur)
{
	long slot;

	if (!cur->bits)
		return -1;
	slot = ((cur->word & (USED_WORDS - 1)) << 6) | lowest_bit(cur->bits);
	cur->bits &= cur->bits - 1;
	return slot;
}

static long flush_slot(__u32 i, struct flush_ctx *fc)
{
	struct count_key key = { .tgid = fc->tc->tgid, .tid = fc->tc->tid };
	long slot = next_used_slot(&fc->cur);
	__u64 n;

	if (slot < 0)
		return 1;
	n = fc->tc->calls[slot & (NR_SLOTS - 1)];
	if (n) {
		key.nr = (__u32)slot;
		add_count(&key, n);
		__sync_fetch_and_add(&fc->totals->calls[slot & (NR_SLOTS - 1)], n);
	}
	return 0;
}

static long flush_word(__u32 word, struct flush_ctx *fc)
{
	if (word >= USED_WORDS)
		return 1;
	fc->cur.word = word;
	fc->cur.bits = fc->tc->used[word];
	if (fc->cur.bits)
		bpf_loop(64, flush_slot, fc, 0);
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
		/* Out of the iterator's view first: never counted live and exited at once. */
		tc->state = TASK_EXITING;
		fc.tc = tc;
		fc.totals = get_slot_totals();
		save_task_info(tc->tid, tc->tgid, tc->ppid);
		if (fc.totals)
			bpf_loop(USED_WORDS, flush_word, &fc, 0);
	}
	bpf_task_storage_delete(&task_counts, p);
	return 0;
}

struct dump_ctx {
	struct task_counts *tc;
	struct seq_file *seq;
	struct slot_cursor cur;
	struct dump_record rec;
};

static long dump_slot(__u32 i, struct dump_ctx *dc)
{
	long slot = next_used_slot(&dc->cur);
	__u64 n;

	if (slot < 0)
		return 1;
	n = dc->tc->calls[slot & (NR_SLOTS - 1)];
	if (n) {
		dc->rec.nr_or_ppid = (__u32)slot;
		dc->rec.count = n;
		bpf_seq_write(dc->seq, &dc->rec, sizeof(dc->rec));
	}
	return 0;
}

static long dump_word(__u32 word, struct dump_ctx *dc)
{
	if (word >= USED_WORDS)
		return 1;
	dc->cur.word = word;
	dc->cur.bits = dc->tc->used[word];
	if (dc->cur.bits)
		bpf_loop(64, dump_slot, dc, 0);
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
	dc.rec.tgid = tc->tgid;
	dc.rec.tid = tc->tid;
	dc.rec.nr_or_ppid = tc->ppid;
	bpf_probe_read_kernel_str(dc.rec.comm, sizeof(dc.rec.comm), task->comm);
	bpf_seq_write(dc.seq, &dc.rec, sizeof(dc.rec));
	dc.rec.kind = DUMP_COUNT;
	bpf_loop(USED_WORDS, dump_word, &dc, 0);
	return 0;
}

/* Deep enough for any real tree; a deeper descendant is simply not seeded. */
#define MAX_SEED_DEPTH 64

/*
 * attach, run by user space as one pass to find config.seed_tgid (a pid in
 * tsdenet's namespace) in the initial namespace, then passes that mark it
 * and all its descendants, at any depth, by walking each task's
 * real_parent chain. A child forked while a pass runs is marked by that
 * pass or by follow_fork once its parent is marked (accepted race: a child
 * forked by a not-yet-marked parent after the pass went by is caught by the
 * next pass; user space runs two).
 */
SEC("iter/task")
int seed_tasks(struct bpf_iter__task *ctx)
{
	struct task_struct *task = ctx->task, *t;
	struct config *cfg = get_config();
	struct task_counts *tc;
	int found = 0;

	if (!task || !cfg || !cfg->seed_tgid)
		return 0;
	if (!cfg->seed_global_tgid) {
		if (task->pid == task->tgid && ns_tgid(task, cfg) == cfg->seed_tgid)
			cfg->seed_global_tgid = task->tgid;
		return 0;
	}
	t = task;
	for (int i = 0; i < MAX_SEED_DEPTH && t; i++) {
		if ((__u32)t->tgid == cfg->seed_global_tgid) {
			found = 1;
			break;
		}
		if (t->pid == 0)
			break;
		t = t->real_parent;
	}
	if (!found || ns_tgid(task, cfg) == cfg->self_tgid)
		return 0;
	tc = bpf_task_storage_get(&task_counts, task, 0, 0);
	if (tc && tc->state != TASK_PENDING)
		return 0; /* already tracked, or exiting */
	track(task, cfg, TASK_TRACKED, ns_tgid(task->real_parent, cfg), 0);
	return 0;
}
