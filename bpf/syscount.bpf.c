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
 *
 * Resource usage: each tracked thread's own CPU time, I/O and faults are
 * taken in the kernel when it ends, at its last context switch (sched_switch
 * with prev dead), where they are final: at sched_process_exit the CPU time
 * still lags by up to a tick. They go to its process's entry in proc_usage
 * (created at fork, ended when its last thread is finalised) and to the
 * per-CPU usage_total. Live threads are read with the task iterator.
 */
#include "task.bpf.h"
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

struct sched_entity {
	__u64 sum_exec_runtime;
} __attribute__((preserve_access_index));

/* Fields exist with CONFIG_TASK_XACCT (rchar, wchar) and CONFIG_TASK_IO_ACCOUNTING (the rest). */
struct task_io_accounting {
	__u64 rchar;
	__u64 wchar;
	__u64 read_bytes;
	__u64 write_bytes;
	__u64 cancelled_write_bytes;
} __attribute__((preserve_access_index));

typedef struct {
	int counter;
} __attribute__((preserve_access_index)) atomic_t;

typedef struct {
	long counter;
} __attribute__((preserve_access_index)) atomic_long_t;

struct percpu_counter {
	__s64 count;
} __attribute__((preserve_access_index));

/* Linux >= 6.2: one percpu_counter per MM_* counter. */
struct mm_struct {
	unsigned long hiwater_rss;
	struct percpu_counter rss_stat[4];
} __attribute__((preserve_access_index));

/* Before 6.2: struct mm_rss_stat { atomic_long_t count[NR_MM_COUNTERS]; }. */
struct mm_rss_stat___pre62 {
	atomic_long_t count[4];
} __attribute__((preserve_access_index));

struct mm_struct___pre62 {
	struct mm_rss_stat___pre62 rss_stat;
} __attribute__((preserve_access_index));

/* The kernel's MM_* counter indices (include/linux/mm_types_task.h, stable since 4.5). */
#define MM_FILEPAGES 0
#define MM_ANONPAGES 1
#define MM_SHMEMPAGES 3

struct signal_struct {
	atomic_t live;          /* threads that have not passed do_exit's start */
	unsigned long maxrss;   /* pages: getrusage's ru_maxrss */
} __attribute__((preserve_access_index));

/* x86: thread_info.status has TS_COMPAT while an ia32 call runs (int 0x80 from a 64-bit program too). */
struct thread_info___x86 {
	__u32 status;
} __attribute__((preserve_access_index));

struct task_struct {
	struct thread_info___x86 thread_info;
	unsigned int __state;
	int pid;
	int tgid;
	char comm[16];
	struct task_struct *real_parent;
	struct task_struct *group_leader;
	struct pid *thread_pid;
	struct sched_entity se;
	struct mm_struct *mm;
	int exit_state;
	unsigned long min_flt;
	unsigned long maj_flt;
	__u64 start_boottime;
	struct signal_struct *signal;
	struct task_io_accounting ioac;
} __attribute__((preserve_access_index));

/* task_struct.__state of a task in do_task_dead(): its next switch is its last. */
#define TASK_DEAD 0x80

struct seq_file;
struct bpf_iter_meta {
	struct seq_file *seq;
} __attribute__((preserve_access_index));

struct bpf_iter__task {
	struct bpf_iter_meta *meta;
	struct task_struct *task;
} __attribute__((preserve_access_index));

/* Linux allows 32 nested pid namespaces (MAX_PID_NS_LEVEL). */
#define MAX_PID_NS_LEVEL 32

/*
 * Distinct syscalls a thread counts in its own storage. Few threads make
 * more than a few dozen; the calls of any further one go straight to the
 * shared maps (slower, exact). Why not one counter per slot: the storage is
 * allocated at every fork, and above 4 KB that allocation cost ~13 us a
 * thread (8.4 KB, measured) against ~2.5 us at 1.8 KB.
 */
#define THREAD_SLOTS 64

struct task_counts {
	struct tracked_task task; /* as the classic program keeps it (task.bpf.h) */
	/* Usage: with tgid, the key of its process in proc_usage. */
	__u64 start_ns;   /* the group leader's start_boottime */
	__u32 in_proc;    /* 1: counted in its proc_usage entry (0: the map was full) */
	__u32 rss_source; /* set at exit by a thread that found its group dead */
	__u64 rss_pages;
	char leader_comm[16];
	struct usage base; /* usage when attach found it; zero for a forked thread */
	__u32 nr_used;     /* entries of calls[] in use */
	__u32 pad;
	__u16 slot_of[THREAD_SLOTS]; /* the slot entry i counts */
	__u8 entry_of[NR_SLOTS];     /* slot -> its entry + 1; 0: not counted yet */
	__u64 calls[THREAD_SLOTS];
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct task_counts);
} task_counts SEC(".maps");

/*
 * Processes of the tree, key (tgid, start): an entry is made at fork and
 * ends when its last thread is finalised; user space reads an ended entry
 * once, then deletes it. Not preallocated; user space may resize it.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, 1 << 16);
	__type(key, struct proc_key);
	__type(value, struct proc_usage);
} proc_usage SEC(".maps");

/* Ended threads' usage, per CPU: written only where preemption is off (fork, exit, switch), no atomics. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct usage_total);
} usage_total SEC(".maps");

/* Processes and threads of the tree alive now [0] and their peak [1]. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, struct tree_count);
} tree_live SEC(".maps");

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
	init_task(&tc->task, cfg, state, ppid, skip_execs);
	tc->task.tid = ns_tid(task, cfg);
	tc->task.tgid = ns_tgid(task, cfg);
	return tc;
}

/* The thread's own usage so far (direct BTF loads: no helper calls). */
static __always_inline void read_usage(struct task_struct *t, struct usage *u)
{
	u->cpu_ns = t->se.sum_exec_runtime;
	u->rchar = bpf_core_field_exists(t->ioac.rchar) ? t->ioac.rchar : 0;
	u->wchar = bpf_core_field_exists(t->ioac.wchar) ? t->ioac.wchar : 0;
	u->read_bytes = bpf_core_field_exists(t->ioac.read_bytes) ? t->ioac.read_bytes : 0;
	u->write_bytes = bpf_core_field_exists(t->ioac.write_bytes) ? t->ioac.write_bytes : 0;
	u->cancelled_write_bytes =
		bpf_core_field_exists(t->ioac.cancelled_write_bytes) ? t->ioac.cancelled_write_bytes : 0;
	u->min_flt = t->min_flt;
	u->maj_flt = t->maj_flt;
}

/* Its usage since it joined the tree: minus the baseline attach took. */
static __always_inline void own_usage(struct task_struct *t, struct task_counts *tc, struct usage *u)
{
	read_usage(t, u);
	u->cpu_ns -= tc->base.cpu_ns;
	u->rchar -= tc->base.rchar;
	u->wchar -= tc->base.wchar;
	u->read_bytes -= tc->base.read_bytes;
	u->write_bytes -= tc->base.write_bytes;
	u->cancelled_write_bytes -= tc->base.cancelled_write_bytes;
	u->min_flt -= tc->base.min_flt;
	u->maj_flt -= tc->base.maj_flt;
}

static __always_inline struct usage_total *get_usage_total(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&usage_total, &zero);
}

/* Raises *peak to v unless another CPU raised it at least as high meanwhile. */
static __always_inline void raise_peak(__u64 *peak, __u64 v)
{
	for (int i = 0; i < 4; i++) {
		__u64 old = *peak;

		if (old >= v || __sync_val_compare_and_swap(peak, old, v) == old)
			return;
	}
}

/*
 * A process (process != 0) or a thread of the tree starts (delta 1) or ends
 * (delta -1): the count alive now, and its peak since user space last reset
 * it (user space resets tree_live[1] to tree_live[0] after reading it; a
 * fork during those microseconds may be missed by that one peak).
 */
static __always_inline void count_alive(int process, long delta)
{
	__u32 now_key = 0, peak_key = 1;
	struct tree_count *now = bpf_map_lookup_elem(&tree_live, &now_key), *peak;
	__u64 n;

	if (!now)
		return;
	n = __sync_fetch_and_add(process ? &now->processes : &now->threads, delta) + delta;
	if (delta < 0)
		return;
	peak = bpf_map_lookup_elem(&tree_live, &peak_key);
	if (peak)
		raise_peak(process ? &peak->processes : &peak->threads, n);
}

/*
 * A tracked thread joins its process's proc_usage entry: a new process
 * (leader != 0) makes the entry, a new thread adds itself to it. attach may
 * meet a process's threads in any order, so it allows both (seeding != 0).
 * comm: the process's name now (its group leader's).
 */
static __always_inline void join_process(struct task_counts *tc, const char *comm, __u64 start_ns,
					 int leader, int seeding)
{
	struct proc_key key = { .tgid = tc->task.tgid, .start_ns = start_ns };
	struct proc_usage *pu;

	tc->start_ns = start_ns;
	if (leader || seeding) {
		struct proc_usage init = { .threads = 1, .live_threads = 1, .ppid = tc->task.ppid };
		long err;

		bpf_probe_read_kernel_str(init.comm, sizeof(init.comm), comm);
		err = bpf_map_update_elem(&proc_usage, &key, &init, BPF_NOEXIST);
		if (!err) {
			tc->in_proc = 1;
			count_alive(1, 1);
			count_alive(0, 1);
			return;
		}
		if (err != -EEXIST) {
			struct usage_total *tot = get_usage_total();

			if (tot && leader)
				tot->lost_processes++;
			count_alive(0, 1);
			return;
		}
	}
	pu = bpf_map_lookup_elem(&proc_usage, &key);
	if (pu) {
		__sync_fetch_and_add(&pu->threads, 1);
		__sync_fetch_and_add(&pu->live_threads, 1);
		tc->in_proc = 1;
	}
	count_alive(0, 1);
}

/*
 * Pages of the kernel's own VmHWM (fs/proc/task_mmu.c task_mem): max(hiwater_rss, rss now).
 *
 * Pointers are followed with probe reads here and wherever a path runs
 * once per process: each direct load of a pointer field costs the verifier
 * about 1 ms (it looks the type up by name in the kernel's BTF), paid at
 * every start.
 */
static __always_inline __u64 mm_peak_rss(struct mm_struct *mm)
{
	long file, anon, shmem;
	__u64 rss, hiwater;

	if (bpf_core_field_exists(mm->rss_stat)) {
		file = BPF_CORE_READ(mm, rss_stat[MM_FILEPAGES].count);
		anon = BPF_CORE_READ(mm, rss_stat[MM_ANONPAGES].count);
		shmem = BPF_CORE_READ(mm, rss_stat[MM_SHMEMPAGES].count);
	} else {
		struct mm_struct___pre62 *old = (void *)mm;

		file = BPF_CORE_READ(old, rss_stat.count[MM_FILEPAGES].counter);
		anon = BPF_CORE_READ(old, rss_stat.count[MM_ANONPAGES].counter);
		shmem = BPF_CORE_READ(old, rss_stat.count[MM_SHMEMPAGES].counter);
	}
	/* get_mm_counter() reads each counter clamped at 0. */
	rss = (file > 0 ? file : 0) + (anon > 0 ? anon : 0) + (shmem > 0 ? shmem : 0);
	hiwater = BPF_CORE_READ(mm, hiwater_rss);
	return hiwater > rss ? hiwater : rss;
}

/*
 * At sched_process_exit, when the whole group has begun exiting: the
 * process's peak RSS and final name, kept in the thread's storage until its
 * last switch. From Linux 6.16 the tracepoint precedes exit_mm(), so the mm
 * is still there; before, only signal->maxrss is left (getrusage's
 * ru_maxrss, which also holds the pre-execve image's peak).
 */
static __always_inline void take_peak_rss(struct task_counts *tc, struct task_struct *p,
					  struct signal_struct *sig)
{
	struct mm_struct *mm = BPF_CORE_READ(p, mm);

	if (mm) {
		tc->rss_pages = mm_peak_rss(mm);
		tc->rss_source = RSS_VMHWM;
	} else {
		tc->rss_pages = BPF_CORE_READ(sig, maxrss);
		tc->rss_source = RSS_MAXRSS;
	}
	BPF_CORE_READ_STR_INTO(&tc->leader_comm, p, group_leader, comm);
}

/*
 * The thread's last switch: its usage is final. Into the tree's total and
 * its process's entry; the process ends with its last thread.
 */
static __always_inline void finish_thread(struct task_counts *tc, struct task_struct *t)
{
	struct proc_key key = { .tgid = tc->task.tgid, .start_ns = tc->start_ns };
	struct usage_total *tot = get_usage_total();
	struct proc_usage *pu;
	struct usage u;

	own_usage(t, tc, &u);
	if (tot) {
		/* This CPU's copy, preemption off: no atomics. */
		tot->usage.cpu_ns += u.cpu_ns;
		tot->usage.rchar += u.rchar;
		tot->usage.wchar += u.wchar;
		tot->usage.read_bytes += u.read_bytes;
		tot->usage.write_bytes += u.write_bytes;
		tot->usage.cancelled_write_bytes += u.cancelled_write_bytes;
		tot->usage.min_flt += u.min_flt;
		tot->usage.maj_flt += u.maj_flt;
		tot->threads++;
	}
	count_alive(0, -1);
	if (!tc->in_proc)
		return;
	pu = bpf_map_lookup_elem(&proc_usage, &key);
	if (!pu)
		return;
	__sync_fetch_and_add(&pu->usage.cpu_ns, u.cpu_ns);
	__sync_fetch_and_add(&pu->usage.rchar, u.rchar);
	__sync_fetch_and_add(&pu->usage.wchar, u.wchar);
	__sync_fetch_and_add(&pu->usage.read_bytes, u.read_bytes);
	__sync_fetch_and_add(&pu->usage.write_bytes, u.write_bytes);
	__sync_fetch_and_add(&pu->usage.cancelled_write_bytes, u.cancelled_write_bytes);
	__sync_fetch_and_add(&pu->usage.min_flt, u.min_flt);
	__sync_fetch_and_add(&pu->usage.maj_flt, u.maj_flt);
	if (tc->rss_source) {
		raise_peak(&pu->peak_rss_pages, tc->rss_pages);
		pu->rss_source = tc->rss_source;
		__builtin_memcpy(pu->comm, tc->leader_comm, sizeof(pu->comm));
	}
	/* Last: user space takes live_threads == 0 as "ended, values final". */
	if (__sync_fetch_and_add(&pu->live_threads, -1) == 1)
		count_alive(1, -1);
}

/*
 * Whether the call running now is an ia32 one: TS_COMPAT, the kernel's
 * in_ia32_syscall(). A direct BTF load (no helper call); the field exists
 * only on x86 (elsewhere the branch is dead code). Not the code segment: a
 * 64-bit program's int 0x80 runs with the 64-bit one and is still an ia32
 * call, with i386 numbers.
 */
static __always_inline int in_ia32_syscall(struct task_struct *current)
{
	if (!bpf_core_field_exists(((struct task_struct *)0)->thread_info.status))
		return 0;
	return (current->thread_info.status & TS_COMPAT) != 0;
}

/*
 * A call counted in the shared maps as it happens: x32 calls (beyond the
 * slots) and a thread's calls of more than THREAD_SLOTS distinct syscalls.
 * Under the key its flush would use, and in slot_totals at once (which holds
 * exactly what the counts map holds, x32 slots aside).
 */
static __always_inline void count_shared(struct task_counts *tc, long slot)
{
	struct count_key key = { .tgid = tc->task.tgid, .tid = count_tid(get_config(), tc->task.tid), .nr = (__u32)slot };
	struct slot_totals *totals;

	add_count(&key, 1);
	if ((unsigned long)slot >= NR_SLOTS)
		return;
	totals = get_slot_totals();
	if (totals)
		__sync_fetch_and_add(&totals->calls[slot & (NR_SLOTS - 1)], 1);
}

/*
 * The thread's first call of `slot`: a new entry, or the shared maps once
 * all are taken. nr_used last: the iterator reads nr_used entries.
 */
static __always_inline void count_first_call(struct task_counts *tc, long slot)
{
	__u32 e = tc->nr_used;

	if (e >= THREAD_SLOTS) {
		count_shared(tc, slot);
		return;
	}
	tc->slot_of[e & (THREAD_SLOTS - 1)] = (__u16)slot;
	tc->calls[e & (THREAD_SLOTS - 1)] = 1;
	tc->entry_of[slot & (NR_SLOTS - 1)] = (__u8)(e + 1);
	asm volatile("" ::: "memory");
	tc->nr_used = e + 1;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(count_sys_enter, struct pt_regs *regs, long id)
{
	struct task_struct *current = bpf_get_current_task_btf();
	struct task_counts *tc;
	long slot = id;

	tc = bpf_task_storage_get(&task_counts, current, 0, 0);
	if (!tc || !counting(&tc->task, id))
		return 0;
	if (tc->task.features) {
		slot = slot_with_features(&tc->task, id, (tc->task.features & FEAT_COMPAT) && in_ia32_syscall(current));
		if (slot < 0)
			return 0;
	}
	if ((unsigned long)slot < NR_SLOTS) {
		__u32 e = tc->entry_of[slot];

		if (e) {
			tc->calls[(e - 1) & (THREAD_SLOTS - 1)]++;
			return 0;
		}
		count_first_call(tc, slot);
	} else if (slot >= 0) {
		/* x32 calls carry bit 30: counted in the shared map. */
		count_shared(tc, slot);
	}
	return 0;
}

/* Attached only with --errors or --latency. exit and exit_group never get here. */
SEC("tp_btf/sys_exit")
int BPF_PROG(time_sys_exit, struct pt_regs *regs, long ret)
{
	struct task_counts *tc = bpf_task_storage_get(&task_counts, bpf_get_current_task_btf(), 0, 0);

	if (tc)
		end_call(&tc->task, ret);
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
	struct task_counts *ptc, *ctc;
	__u64 start_ns = 0;
	__u32 spawned;
	int leader;

	if (!cfg)
		return 0;
	ptc = bpf_task_storage_get(&task_counts, task, 0, 0);
	if (ptc && ptc->task.state == TASK_TRACKED) {
		ctc = track(child, cfg, TASK_TRACKED, ptc->task.tgid, 0);
		/* A new thread joins its parent's process; a new process starts its own. */
		leader = child->pid == child->tgid;
		start_ns = ptc->start_ns;
		/* A load of its own: clang would share one with child's below, which the verifier refuses. */
		barrier_var(start_ns);
	} else {
		spawned = claim_spawn(ns_tid(task, cfg));
		if (!spawned)
			return 0;
		ctc = track(child, cfg, TASK_PENDING, ns_tgid(task, cfg), spawned - 1);
		leader = 1;
	}
	if (!ctc)
		return 0;
	/* A new process is its own group leader: child->comm is the process's name. */
	if (leader)
		start_ns = child->start_boottime;
	join_process(ctc, child->comm, start_ns, leader, 0);
	return 0;
}

struct flush_ctx {
	struct task_counts *tc;
	struct slot_totals *totals;
	__u32 tid;  /* the tid the counts are filed under (0: its process) */
	int reset;  /* zero each counter moved (the thread goes on counting) */
};

static long flush_entry(__u32 i, struct flush_ctx *fc)
{
	struct task_counts *tc = fc->tc;
	__u32 e = i & (THREAD_SLOTS - 1);
	__u32 slot = tc->slot_of[e] & (NR_SLOTS - 1);
	struct count_key key = { .tgid = tc->task.tgid, .tid = fc->tid, .nr = slot };
	__u64 n = tc->calls[e];

	if (i >= THREAD_SLOTS)
		return 1;
	if (n) {
		add_count(&key, n);
		__sync_fetch_and_add(&fc->totals->calls[slot], n);
		/* After the totals: a sample in between misses these calls once, never counts them twice. */
		if (fc->reset)
			tc->calls[e] = 0;
	}
	return 0;
}

/*
 * Moves a thread's counters to the shared maps, filed under its tid
 * (--per-thread) or its process's (tid 0). ended: the thread is gone, not
 * just leaving its tid at an execve.
 */
static __always_inline void flush_counts(struct task_counts *tc, int reset, int ended)
{
	struct config *cfg = get_config();
	struct flush_ctx fc = { .tc = tc, .totals = get_slot_totals(), .tid = count_tid(cfg, tc->task.tid), .reset = reset };

	thread_done(cfg, tc->task.tid, tc->task.tgid, tc->task.ppid, ended);
	if (fc.totals)
		bpf_loop(tc->nr_used, flush_entry, &fc, 0);
}

/*
 * A tracked thread exits: its counts move to the shared map. Its storage
 * stays until its last switch (finish_on_switch), where its usage is final;
 * were that missed, the kernel frees the storage with the task.
 */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(flush_on_exit, struct task_struct *p)
{
	struct task_counts *tc = bpf_task_storage_get(&task_counts, p, 0, 0);
	struct signal_struct *sig;

	if (!tc || tc->task.state == TASK_EXITING)
		return 0;
	if (tc->task.state == TASK_TRACKED) {
		/* Out of the iterator's view first: never counted live and exited at once. */
		tc->task.state = TASK_EXITING;
		flush_counts(tc, 0, 1);
	}
	tc->task.state = TASK_EXITING; /* also a command that never reached its execve */
	if (!tc->in_proc)
		return 0;
	/*
	 * live counts threads that have not started do_exit: 0 once the whole
	 * group is exiting. Several of its last threads may see 0 (each has
	 * decremented it before this tracepoint): each takes the peak, the
	 * process keeps the highest. Probe reads: a direct p->signal load
	 * would cost the verifier ~1 ms at every start.
	 */
	sig = BPF_CORE_READ(p, signal);
	if (BPF_CORE_READ(sig, live.counter) == 0)
		take_peak_rss(tc, p, sig);
	return 0;
}

/*
 * A thread other than the group leader called execve: the kernel ended the
 * other threads and gave this one the leader's id. The calls it made under
 * its old tid are filed under that tid (as strace shows them), then it
 * counts on under the new one.
 */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(follow_exec, struct task_struct *p, int old_pid)
{
	struct task_counts *tc;
	struct config *cfg;

	if (p->pid == old_pid)
		return 0;
	tc = bpf_task_storage_get(&task_counts, p, 0, 0);
	cfg = get_config();
	if (!tc || !cfg || tc->task.state != TASK_TRACKED)
		return 0;
	flush_counts(tc, 1, 0);
	tc->task.tid = ns_tid(p, cfg);
	tc->task.ppid = leader_ppid(tc->task.tid, tc->task.ppid);
	return 0;
}

/*
 * Runs on every context switch of the machine: three loads and two
 * branches (measured: as cheap as an empty program), no map lookup, unless
 * prev is dead: its last switch, from do_task_dead(), never a preemption.
 * prev->__state (Linux >= 5.14, so wherever this object loads) is the
 * prev_state argument that 5.18 added, for a dead task. The storage is
 * deleted here rather than left to the task's free, an RCU grace period
 * later; should the delete fail (-EBUSY), that free still comes.
 */
SEC("tp_btf/sched_switch")
int BPF_PROG(finish_on_switch, _Bool preempt, struct task_struct *prev)
{
	struct task_counts *tc;

	if (prev->__state != TASK_DEAD || preempt)
		return 0;
	tc = bpf_task_storage_get(&task_counts, prev, 0, 0);
	if (!tc)
		return 0;
	finish_thread(tc, prev);
	bpf_task_storage_delete(&task_counts, prev);
	return 0;
}

struct dump_ctx {
	struct task_counts *tc;
	struct seq_file *seq;
	struct dump_record rec;
};

static long dump_entry(__u32 i, struct dump_ctx *dc)
{
	__u32 e = i & (THREAD_SLOTS - 1);
	__u64 n = dc->tc->calls[e];

	if (i >= THREAD_SLOTS)
		return 1;
	if (n) {
		dc->rec.nr_or_ppid = dc->tc->slot_of[e];
		dc->rec.count = n;
		bpf_seq_write(dc->seq, &dc->rec, sizeof(dc->rec));
	}
	return 0;
}

/* A thread not yet finalised (any state, exiting included): its usage so far. */
static __always_inline void dump_usage(struct seq_file *seq, struct task_struct *task, struct task_counts *tc)
{
	struct dump_usage rec = {
		.kind = DUMP_USAGE,
		.tgid = tc->task.tgid,
		.tid = tc->task.tid,
		.ppid = tc->task.ppid,
		.start_ns = tc->start_ns,
	};

	own_usage(task, tc, &rec.usage);
	BPF_CORE_READ_STR_INTO(&rec.comm, task, group_leader, comm);
	bpf_seq_write(seq, &rec, sizeof(rec));
}

/*
 * Threads of the tree: a DUMP_USAGE record for each not yet finalised, and
 * for each counting one a DUMP_TASK record, then one per counter.
 */
SEC("iter/task")
int dump_tasks(struct bpf_iter__task *ctx)
{
	struct task_struct *task = ctx->task;
	struct dump_ctx dc = {};
	struct task_counts *tc;

	if (!task)
		return 0;
	tc = bpf_task_storage_get(&task_counts, task, 0, 0);
	if (!tc)
		return 0;
	dump_usage(ctx->meta->seq, task, tc);
	if (tc->task.state != TASK_TRACKED)
		return 0;
	dc.tc = tc;
	dc.seq = ctx->meta->seq;
	dc.rec.kind = DUMP_TASK;
	dc.rec.tgid = tc->task.tgid;
	dc.rec.tid = tc->task.tid;
	dc.rec.nr_or_ppid = tc->task.ppid;
	bpf_probe_read_kernel_str(dc.rec.comm, sizeof(dc.rec.comm), task->comm);
	bpf_seq_write(dc.seq, &dc.rec, sizeof(dc.rec));
	dc.rec.kind = DUMP_COUNT;
	bpf_loop(tc->nr_used, dump_entry, &dc, 0);
	return 0;
}

/* Deep enough for any real tree; a deeper descendant is simply not seeded. */
#define MAX_SEED_DEPTH 64

/* attach: the process to mark (written by user space and find_seed). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct seed);
} seed SEC(".maps");

static __always_inline struct seed *get_seed(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&seed, &zero);
}

/*
 * attach, one pass: finds seed.tgid (a pid in tsdenet's namespace) and
 * keeps its id in the initial namespace (what real_parent chains give).
 */
SEC("iter/task")
int find_seed(struct bpf_iter__task *ctx)
{
	struct task_struct *task = ctx->task;
	struct config *cfg = get_config();
	struct seed *sd = get_seed();

	if (!task || !cfg || !sd || !sd->tgid || sd->global_tgid)
		return 0;
	if (task->pid == task->tgid && ns_tgid(task, cfg) == sd->tgid)
		sd->global_tgid = task->tgid;
	return 0;
}

/*
 * attach, after find_seed: marks the seed process and all its descendants,
 * at any depth, by walking each task's real_parent chain. A child forked
 * while a pass runs is marked by that pass or by follow_fork once its
 * parent is marked (accepted race: a child forked by a not-yet-marked
 * parent after the pass went by is caught by the next pass; user space
 * runs two).
 */
SEC("iter/task")
int seed_tasks(struct bpf_iter__task *ctx)
{
	struct task_struct *task = ctx->task, *t;
	struct config *cfg = get_config();
	struct seed *sd = get_seed();
	struct task_counts *tc;
	struct task_struct *leader;
	int found = 0, fresh;
	__u64 start_ns;

	if (!task || !cfg || !sd || !sd->global_tgid)
		return 0;
	t = task;
	for (int i = 0; i < MAX_SEED_DEPTH && t; i++) {
		if ((__u32)t->tgid == sd->global_tgid) {
			found = 1;
			break;
		}
		if (t->pid == 0)
			break;
		t = t->real_parent;
	}
	/*
	 * A zombie (exit_state set: a group leader that ended before its
	 * threads, or a thread about to be freed) makes no more calls and has
	 * had, or is about to have, its last switch: it is not part of the
	 * tree any more.
	 */
	if (!found || task->exit_state || ns_tgid(task, cfg) == cfg->self_tgid)
		return 0;
	tc = bpf_task_storage_get(&task_counts, task, 0, 0);
	if (tc && tc->task.state != TASK_PENDING)
		return 0; /* already tracked, or exiting */
	fresh = !tc;
	tc = track(task, cfg, TASK_TRACKED, ns_tgid(task->real_parent, cfg), 0);
	if (!tc || !fresh)
		return 0;
	/* Usage counts from now on: the baseline is what it used so far. */
	read_usage(task, &tc->base);
	leader = BPF_CORE_READ(task, group_leader);
	start_ns = BPF_CORE_READ(leader, start_boottime);
	join_process(tc, leader->comm, start_ns, task->pid == task->tgid, 1);
	return 0;
}

/* ------------------------------------------------------------------ --offcpu */
#include "offcpu.bpf.h"

/* task_struct.__state of a task that can run (TASK_RUNNING). */
#define TASK_RUNNING 0

/* Each thread of the tree that has been off CPU since --offcpu began: its figures, and its current interval. */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct offcpu_thread);
} offcpu_state SEC(".maps");

/* Ended threads' figures, key: tid (tsdenet's pid namespace), moved here at their last switch. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, 1 << 16);
	__type(key, __u32);
	__type(value, struct offcpu_thread);
} offcpu_ended SEC(".maps");

/* A thread of the tree that leaves the CPU for the first time gets its storage here. */
static __always_inline struct offcpu_thread *offcpu_of_tracked(struct task_struct *t)
{
	struct task_counts *tc = bpf_task_storage_get(&task_counts, t, 0, 0);
	struct offcpu_thread *o;

	if (!tc || tc->task.state != TASK_TRACKED)
		return 0;
	o = bpf_task_storage_get(&offcpu_state, t, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (o) {
		o->tid = tc->task.tid;
		o->tgid = tc->task.tgid;
	}
	return o;
}

/* A thread's last switch: its figures are final and move to offcpu_ended (summed, should its tid have been reused). */
static __always_inline void offcpu_end_thread(struct offcpu_thread *o)
{
	struct offcpu_thread *old = bpf_map_lookup_elem(&offcpu_ended, &o->tid);

	o->since_ns = 0;
	if (!old) {
		bpf_map_update_elem(&offcpu_ended, &o->tid, o, BPF_ANY);
		return;
	}
	__sync_fetch_and_add(&old->sleeping_ns, o->sleeping_ns);
	__sync_fetch_and_add(&old->runnable_ns, o->runnable_ns);
	__sync_fetch_and_add(&old->events, o->events);
	if (o->max_ns > old->max_ns)
		old->max_ns = o->max_ns;
}

/*
 * Loaded and attached only with --offcpu (finish_on_switch stays as cheap
 * as it is without it). prev leaves the CPU: runnable when it was preempted
 * or is still TASK_RUNNING (a yield, or woken before it could sleep),
 * sleeping or blocked otherwise; a dead prev is at its last switch. next
 * comes back: its interval ends. A thread is off CPU from its switch-out to
 * its next switch-in, so one that ends never counts beyond its end.
 */
SEC("tp_btf/sched_switch")
int BPF_PROG(offcpu_switch, _Bool preempt, struct task_struct *prev, struct task_struct *next)
{
	__u64 now = bpf_ktime_get_ns();
	unsigned int state = prev->__state;
	struct offcpu_thread *o;

	o = bpf_task_storage_get(&offcpu_state, prev, 0, 0);
	if (state == TASK_DEAD && !preempt) {
		if (o) {
			offcpu_end_thread(o);
			bpf_task_storage_delete(&offcpu_state, prev);
		}
	} else {
		if (!o)
			o = offcpu_of_tracked(prev);
		if (o)
			offcpu_leave(o, now, preempt || state == TASK_RUNNING);
	}
	o = bpf_task_storage_get(&offcpu_state, next, 0, 0);
	if (o)
		offcpu_return(o, now);
	return 0;
}

/* The live threads' figures, one struct offcpu_thread each (user space adds the interval in progress). */
SEC("iter/task")
int dump_offcpu(struct bpf_iter__task *ctx)
{
	struct task_struct *task = ctx->task;
	struct offcpu_thread *o;

	if (!task)
		return 0;
	o = bpf_task_storage_get(&offcpu_state, task, 0, 0);
	if (o)
		bpf_seq_write(ctx->meta->seq, o, sizeof(*o));
	return 0;
}

/* CO-RE flavour of the fields seed_offcpu reads (on_cpu: CONFIG_SMP; 0 elsewhere: never on another CPU). */
struct task_struct___offcpu {
	int on_cpu;
	unsigned int __state;
} __attribute__((preserve_access_index));

/*
 * attach --offcpu, after seed_tasks: a thread of the tree off CPU now is
 * off CPU from now on (its interval began before tsdenet could see it);
 * without this, a thread asleep for the whole attach would show none.
 * Runnable when it is TASK_RUNNING (preempted, waiting for a CPU). A thread
 * that comes back meanwhile is simply marked again at its next switch-out.
 */
SEC("iter/task")
int seed_offcpu(struct bpf_iter__task *ctx)
{
	struct task_struct___offcpu *t = (void *)ctx->task;
	struct task_struct *task = ctx->task;
	struct offcpu_thread *o;
	int on_cpu;

	if (!task || bpf_task_storage_get(&offcpu_state, task, 0, 0))
		return 0;
	on_cpu = bpf_core_field_exists(t->on_cpu) ? BPF_CORE_READ(t, on_cpu) : 0;
	if (on_cpu)
		return 0;
	o = offcpu_of_tracked(task);
	if (o)
		offcpu_leave(o, bpf_ktime_get_ns(), BPF_CORE_READ(t, __state) == TASK_RUNNING);
	return 0;
}
