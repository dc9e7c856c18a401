/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Layouts shared by the BPF programs and tsdenet's user space
 * (src/bpf/layout.ts decodes them; keep both in step).
 */
#ifndef __TSDENET_SYSCOUNT_H
#define __TSDENET_SYSCOUNT_H

/*
 * Per-thread counters are indexed by syscall number. 1024 slots hold every
 * native number on x86_64 (< 512) and arm64 (< 512) with room to spare;
 * larger numbers (x32 calls carry bit 30) go to the shared counts map directly.
 */
#define NR_SLOTS 1024

/* Task states kept in the per-task storage. */
#define TASK_PENDING 1 /* forked by tsdenet, counting starts at its execve */
#define TASK_TRACKED 2 /* in the profiled tree: every syscall is counted */
#define TASK_EXITING 3 /* its counts are moving to the shared maps */

/* Key of the counts map: one entry per (process, thread, syscall number). */
struct count_key {
	__u32 tgid;
	__u32 tid;
	__u32 nr;
	__u32 pad;
};

/* Value of the tasks map (key: tid), written when a tracked thread exits. */
struct task_info {
	__u32 tgid;
	__u32 ppid;
	char comm[16];
};

/* Optional measurements, chosen by user space (config.features). */
#define FEAT_ERRORS 1  /* count failed calls per errno (sys_exit) */
#define FEAT_LATENCY 2 /* time each call, enter to exit (sys_exit) */
#define FEAT_FILTER 4  /* count only the syscalls allowed in syscall_filter */
#define FEAT_COMPAT 8  /* x86_64: count 32-bit (ia32) calls at slot 512 + nr */
/*
 * --per-thread: counts of the counts map are filed under each thread's tid.
 * Without it, a thread's counts are folded into its process's (tid 0) and
 * only group leaders get a tasks entry: a process's entries are shared by
 * its threads instead of made anew by each. Read from config, never copied
 * into tracked_task.features (the hot path tests those for zero).
 */
#define FEAT_PER_THREAD 16

/*
 * Without --per-thread: the counts entry (tgid, 0, EXITED_THREADS_NR)
 * counts the process's ended threads other than its leader (not a syscall;
 * x32 slots carry bit 30, this one bit 31).
 */
#define EXITED_THREADS_NR 0x80000000U

/* Slot of an ia32 syscall on x86_64: native numbers stay below 512. */
#define COMPAT_BASE 512
/* No syscall in progress (task storage and tracked-task values). */
#define NO_NR 0xffffffff
/* /proc/self/ns/pid's inode in the initial pid namespace (PROC_PID_INIT_INO). */
#define INIT_PID_NS_INO 0xEFFFFFFCU
/* log2 latency buckets: bucket b holds calls of [2^b, 2^(b+1)) ns. */
#define LATENCY_BUCKETS 32

/*
 * The single entry of the config map: written by user space before attach,
 * read-only for the programs (BPF_F_RDONLY_PROG: the verifier refuses a write).
 */
struct config {
	__s32 nr_execve;    /* arch's execve number */
	__s32 nr_execveat;  /* arch's execveat number */
	__u32 self_tgid;    /* tsdenet itself: never tracked */
	__u32 features;     /* FEAT_* */
	__u64 ns_dev;       /* st_dev and st_ino of tsdenet's /proc/self/ns/pid: */
	__u32 ns_ino;       /* every pid tsdenet reports is seen from that namespace */
	/*
	 * Classic tracepoints on x86_64: where thread_info.status (TS_COMPAT
	 * set during an ia32 syscall) lies in task_struct; 0 = unknown, ia32
	 * calls are then not told apart. The BTF program finds it with CO-RE.
	 */
	__u32 ia32_status_off;
};

/*
 * The single entry of the spawn map: user space arms it for the fork of the
 * command, the fork handler disarms it (one shot).
 */
struct spawn {
	__u32 spawner_tid;  /* the thread that will fork the command (tsdenet's pid namespace) */
	__u32 armed;        /* 1 until that fork has been seen */
	__u32 skip_execs;   /* execve calls of the command not counted (a wrapper's) */
	__u32 pad;
};

/* The single entry of the seed map (attach, BTF object): user space sets tgid, find_seed the rest. */
struct seed {
	__u32 tgid;         /* the process to attach to, in tsdenet's pid namespace */
	__u32 global_tgid;  /* the same in the initial namespace, 0 until found */
};

/*
 * A thread of the tree, as both programs keep it: the whole value of the
 * classic program's tracked map (key: the kernel's global tid) and the head
 * of the BTF program's task storage. 40 bytes.
 */
struct tracked_task {
	__u32 state;      /* TASK_PENDING / TASK_TRACKED / TASK_EXITING */
	__u32 features;   /* FEAT_*, copied from config when tracking starts */
	__u32 tid;        /* ids in tsdenet's pid namespace (classic: tgid 0 until its first call) */
	__u32 tgid;
	__u32 ppid;       /* its process's parent; a thread's: its own process */
	__u32 skip_execs; /* execve calls still to let pass before counting */
	__u32 cur_slot;   /* syscall in progress, NO_NR when none (errors, latency) */
	__u32 pad;
	__u64 enter_ns;   /* when it entered (latency) */
};

/* Key of the errors map: failed calls per (process, syscall slot, errno). */
struct error_key {
	__u32 tgid;
	__u32 nr;
	__u32 err;
	__u32 pad;
};

/* Value of the per-CPU latency map (key: syscall slot). */
struct latency {
	__u64 count;
	__u64 total_ns;
	__u64 max_ns;
	__u64 pad;
	__u64 hist[LATENCY_BUCKETS];
};

/* The single entry of the stats map: what could not be counted. */
struct stats {
	__u64 dropped_calls; /* syscalls counted in a thread but lost: counts map full */
	__u64 lost_tasks;    /* tracked threads whose storage could not be created */
	__u64 lost_task_info; /* exited threads whose name/ppid could not be kept */
	__u64 lost_errors;   /* failed calls not counted: errors map full */
	/*
	 * Entries the programs added to the counts map: with those user space
	 * has drained, how full it is (user space drains it before it fills).
	 */
	__u64 count_entries;
};

/*
 * Records written by the task iterator (live threads), 40 bytes each:
 * kind 1 = a thread (nr unused, count = 0), kind 2 = one counter of it.
 */
#define DUMP_TASK 1
#define DUMP_COUNT 2
struct dump_record {
	__u32 kind;
	__u32 tgid;
	__u32 tid;
	__u32 nr_or_ppid;
	__u64 count;
	char comm[16];
};

/*
 * Resource usage (BTF object only). A thread's OWN usage, as the kernel
 * accounts it in its task_struct: not its reaped children's (which
 * /proc/PID/io and getrusage(RUSAGE_SELF) add in). 64 bytes.
 */
struct usage {
	__u64 cpu_ns;                /* se.sum_exec_runtime */
	__u64 rchar;                 /* ioac: bytes read and written by syscalls */
	__u64 wchar;
	__u64 read_bytes;            /* ioac: bytes fetched from / sent to storage */
	__u64 write_bytes;
	__u64 cancelled_write_bytes;
	__u64 min_flt;               /* page faults without / with I/O */
	__u64 maj_flt;
};

/* Key of the proc_usage map: a process, never merged with a later one that reuses its pid. */
struct proc_key {
	__u32 tgid;     /* tsdenet's pid namespace */
	__u32 pad;
	__u64 start_ns; /* the group leader's start_boottime */
};

/* Where a process's peak RSS comes from. */
#define RSS_VMHWM 1  /* its mm at exit: max(hiwater_rss, rss), /proc's VmHWM */
#define RSS_MAXRSS 2 /* signal->maxrss (mm already gone: kernels before 6.16) */

/*
 * Value of the proc_usage map: one process of the tree, from its fork (or
 * attach) until user space has read it ended. 112 bytes.
 */
struct proc_usage {
	struct usage usage;    /* summed final usage of its ended threads */
	__u64 threads;         /* threads it had (tracked ones) */
	__u64 live_threads;    /* not yet finalised; 0: the process has ended */
	__u64 peak_rss_pages;  /* set when it ends (rss_source != 0) */
	__u32 rss_source;      /* RSS_*, 0 while it runs */
	__u32 ppid;
	char comm[16];         /* its name at fork, then its group leader's at the end */
};

/*
 * The single entry of the per-CPU usage_total map: all ended threads of the
 * tree, exact even when proc_usage is full. 80 bytes.
 */
struct usage_total {
	struct usage usage;
	__u64 threads;         /* ended threads */
	__u64 lost_processes;  /* processes not in proc_usage: the map was full */
};

/* Entries of the tree_live map: [0] alive now, [1] peak since user space last reset it. */
struct tree_count {
	__u64 processes;
	__u64 threads;
};

/*
 * Task iterator record (kind 3), 104 bytes: one per tracked thread not yet
 * finalised (running, not yet exec'd, or exiting), with its own usage so far.
 */
#define DUMP_USAGE 3
struct dump_usage {
	__u32 kind;
	__u32 tgid;
	__u32 tid;
	__u32 ppid;
	__u64 start_ns;        /* with tgid: the proc_usage key */
	struct usage usage;
	char comm[16];         /* the group leader's */
};

/*
 * --offcpu: time a thread of the tree spends off CPU, from sched_switch.
 * Kept apart from the syscall counting above: its own maps and programs,
 * loaded only when asked for.
 */
#define OFFCPU_SLEEPING 1 /* switched out not runnable: sleeping or blocked */
#define OFFCPU_RUNNABLE 2 /* switched out runnable: preempted, waiting for a CPU */

/*
 * One thread's off-CPU time: the BTF object's offcpu_state task storage and
 * offcpu_ended value (key: tid), the classic object's offcpu_threads value
 * (key: global tid); the dump_offcpu iterator writes it as is. 56 bytes.
 */
struct offcpu_thread {
	__u64 since_ns;    /* bpf_ktime_get_ns() at its switch-out; 0 while on CPU */
	__u32 reason;      /* OFFCPU_* of the interval since since_ns */
	__u32 tid;         /* ids in tsdenet's pid namespace */
	__u32 tgid;
	__u32 pad;
	__u64 sleeping_ns; /* ended intervals, by reason */
	__u64 runnable_ns;
	__u64 events;      /* ended intervals (switched back in) */
	__u64 max_ns;      /* the longest of them */
};

#endif /* __TSDENET_SYSCOUNT_H */
