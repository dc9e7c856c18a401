/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Maps and helpers shared by both tsdenet programs (BTF and classic). */
#ifndef __TSDENET_COMMON_BPF_H
#define __TSDENET_COMMON_BPF_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "syscount.h"

#ifndef E2BIG
#define E2BIG 7
#endif
#ifndef EEXIST
#define EEXIST 17
#endif

/*
 * Counts of exited threads (and, in classic mode, of every thread).
 * No preallocation: memory follows the number of (thread, syscall) pairs
 * really used; user space sets max_entries before load (--max-entries).
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, 1 << 20);
	__type(key, struct count_key);
	__type(value, __u64);
} counts SEC(".maps");

/* Name and parent of each exited tracked thread, key: tid. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, 1 << 18);
	__type(key, __u32);
	__type(value, struct task_info);
} tasks SEC(".maps");

/* Read-only for the programs: what they write is in spawn (and seed). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_RDONLY_PROG);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct config);
} config SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct spawn);
} spawn SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct stats);
} stats SEC(".maps");

/*
 * Calls per slot of every thread of the tree that has exited (BTF mode) or
 * of all threads (classic mode): one lookup gives the totals per sample,
 * without walking the counts map, and they stay exact when the counts map
 * is full (only the per-thread breakdown then loses calls: dropped_calls).
 */
struct slot_totals {
	__u64 calls[NR_SLOTS];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct slot_totals);
} slot_totals SEC(".maps");

static __always_inline struct slot_totals *get_slot_totals(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&slot_totals, &zero);
}

/* Failed calls, with --errors. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, 1 << 16);
	__type(key, struct error_key);
	__type(value, __u64);
} errors SEC(".maps");

/*
 * Time in each syscall, with --latency, indexed by slot: per CPU, so no
 * atomics, and an array, so the lookup is inlined (no hashing on every
 * call). User space shrinks it to 1 entry when --latency is off.
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, NR_SLOTS);
	__type(key, __u32);
	__type(value, struct latency);
} latency SEC(".maps");

/* With --syscalls/--category: allow[slot] != 0 for the syscalls to count. */
struct syscall_filter {
	__u8 allow[NR_SLOTS];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct syscall_filter);
} syscall_filter SEC(".maps");

static __always_inline struct stats *get_stats(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&stats, &zero);
}

static __always_inline struct config *get_config(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&config, &zero);
}

static __always_inline struct spawn *get_spawn(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&spawn, &zero);
}

/*
 * Adds n to counts[key]. Lookup first, then insert with NOEXIST; if another
 * CPU inserted the same key in between (-EEXIST), add to its entry.
 * Non-zero when the map is full.
 */
static __always_inline long add_to_counts(struct count_key *key, __u64 n)
{
	__u64 *val = bpf_map_lookup_elem(&counts, key);
	long err;

	if (val) {
		__sync_fetch_and_add(val, n);
		return 0;
	}
	err = bpf_map_update_elem(&counts, key, &n, BPF_NOEXIST);
	if (!err) {
		struct stats *st = get_stats();

		if (st)
			__sync_fetch_and_add(&st->count_entries, 1);
		return 0;
	}
	if (err == -EEXIST) {
		val = bpf_map_lookup_elem(&counts, key);
		if (val) {
			__sync_fetch_and_add(val, n);
			return 0;
		}
	}
	return err;
}

/* n calls into counts[key]; when the map is full they go to stats.dropped_calls: never lost silently. */
static __always_inline void add_count(struct count_key *key, __u64 n)
{
	if (add_to_counts(key, n)) {
		struct stats *st = get_stats();

		if (st)
			__sync_fetch_and_add(&st->dropped_calls, n);
	}
}

/* Whether the syscall in `slot` is counted under the current filter. */
static __always_inline int filter_allows(__u64 slot)
{
	__u32 zero = 0;
	struct syscall_filter *f = bpf_map_lookup_elem(&syscall_filter, &zero);

	return f && slot < NR_SLOTS && f->allow[slot & (NR_SLOTS - 1)];
}

static __always_inline __u32 log2_bucket(__u64 v)
{
	__u32 r = 0, shift;

	shift = (v > 0xffffffffULL) << 5; v >>= shift; r |= shift;
	shift = (v > 0xffff) << 4; v >>= shift; r |= shift;
	shift = (v > 0xff) << 3; v >>= shift; r |= shift;
	shift = (v > 0xf) << 2; v >>= shift; r |= shift;
	shift = (v > 0x3) << 1; v >>= shift; r |= shift;
	r |= (v >> 1);
	return r < LATENCY_BUCKETS ? r : LATENCY_BUCKETS - 1;
}

/* One finished call of `slot` that took delta_ns. */
static __always_inline void record_latency(__u32 slot, __u64 delta_ns)
{
	struct latency *lat = bpf_map_lookup_elem(&latency, &slot);

	if (!lat)
		return; /* x32 slots (>= NR_SLOTS) are not timed */
	/* Per-CPU value: this CPU's copy, no other writer while we run. */
	lat->count++;
	lat->total_ns += delta_ns;
	if (delta_ns > lat->max_ns)
		lat->max_ns = delta_ns;
	lat->hist[log2_bucket(delta_ns) & (LATENCY_BUCKETS - 1)]++;
}

/* A call of `slot` by process tgid returned ret; counts it if it failed. */
static __always_inline void record_error(__u32 tgid, __u32 slot, long ret)
{
	struct error_key key = { .tgid = tgid, .nr = slot };
	__u64 one = 1, *val;

	/* The kernel returns -errno in [-4095, -1] for a failure. */
	if (ret >= 0 || ret < -4095)
		return;
	key.err = (__u32)-ret;
	val = bpf_map_lookup_elem(&errors, &key);
	if (val) {
		__sync_fetch_and_add(val, 1);
		return;
	}
	if (bpf_map_update_elem(&errors, &key, &one, BPF_NOEXIST)) {
		val = bpf_map_lookup_elem(&errors, &key);
		if (val) {
			__sync_fetch_and_add(val, 1);
		} else {
			struct stats *st = get_stats();

			if (st)
				__sync_fetch_and_add(&st->lost_errors, 1);
		}
	}
}

static __always_inline void count_lost_task(void)
{
	struct stats *st = get_stats();

	if (st)
		__sync_fetch_and_add(&st->lost_tasks, 1);
}

/* The tid counts are filed under: the thread's own with --per-thread, else 0 (its process). */
static __always_inline __u32 count_tid(struct config *cfg, __u32 tid)
{
	return cfg && (cfg->features & FEAT_PER_THREAD) ? tid : 0;
}

static __always_inline void save_task_info(__u32 tid, __u32 tgid, __u32 ppid)
{
	struct task_info info = { .tgid = tgid, .ppid = ppid };

	bpf_get_current_comm(info.comm, sizeof(info.comm));
	if (bpf_map_update_elem(&tasks, &tid, &info, BPF_ANY)) {
		struct stats *st = get_stats();

		if (st)
			__sync_fetch_and_add(&st->lost_task_info, 1);
	}
}

/*
 * A thread's counts have moved for good: it ended, or (ended = 0) left
 * its tid at an execve. With --per-thread it keeps its own tasks entry;
 * without, only a group leader does (the process's name and parent: its
 * ending shows there), and the process's count of ended threads goes up
 * when another thread ends (a single-threaded process, the common case,
 * makes no entry for it).
 */
static __always_inline void thread_done(struct config *cfg, __u32 tid, __u32 tgid, __u32 ppid, int ended)
{
	struct count_key key = { .tgid = tgid, .nr = EXITED_THREADS_NR };

	if (count_tid(cfg, tid) || tid == tgid)
		save_task_info(tid, tgid, ppid);
	/* Not a call: a full map loses the thread's place in its process's count, as a lost tasks entry would. */
	if (ended && !count_tid(cfg, tid) && tid != tgid && add_to_counts(&key, 1)) {
		struct stats *st = get_stats();

		if (st)
			__sync_fetch_and_add(&st->lost_task_info, 1);
	}
}

/*
 * After a thread other than the leader called execve, it is the group
 * leader: its parent is the process's parent, which the old leader (ended,
 * its entry saved in tasks under the same tid) knew. A thread's own ppid is
 * its process (the one that created it).
 */
static __always_inline __u32 leader_ppid(__u32 tid, __u32 fallback)
{
	struct task_info *old_leader = bpf_map_lookup_elem(&tasks, &tid);

	return old_leader ? old_leader->ppid : fallback;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#endif /* __TSDENET_COMMON_BPF_H */
