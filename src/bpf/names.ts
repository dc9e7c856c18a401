/**
 * Names of the programs and maps in bpf/*.bpf.o, referenced only from here
 * (a test checks each exists in the committed objects).
 */
/** tp_btf: BTF raw tracepoint raw_syscalls:sys_enter; tracepoint: the classic one through tracefs. */
export type AttachMode = 'tp_btf' | 'tracepoint';

export const ATTACH_POINTS: Record<AttachMode, string> = {
  tp_btf: 'tp_btf/sys_enter',
  tracepoint: 'tracepoint/raw_syscalls/sys_enter',
};

export const BTF_OBJECT = 'syscount.bpf.o';
export const TRACEPOINT_OBJECT = 'syscount_tp.bpf.o';

export const BTF_PROGRAMS = {
  sysEnter: 'count_sys_enter',
  fork: 'follow_fork',
  /** execve from a thread other than the leader: the thread takes the leader's id. */
  exec: 'follow_exec',
  exit: 'flush_on_exit',
  /** Resource usage: a thread's last context switch, where its usage is final. */
  finish: 'finish_on_switch',
  sysExit: 'time_sys_exit',
  dump: 'dump_tasks',
  /** attach: finds the process to attach to (seed map) in the initial pid namespace. */
  findSeed: 'find_seed',
  /** attach: marks that process and its descendants. */
  seed: 'seed_tasks',
  /** --offcpu only: sched_switch, and the iterator over the live threads' figures. */
  offcpu: 'offcpu_switch',
  offcpuDump: 'dump_offcpu',
  /** attach --offcpu: the threads of the seeded tree that are off CPU now. */
  offcpuSeed: 'seed_offcpu',
} as const;

export const TRACEPOINT_PROGRAMS = {
  sysEnter: 'count_sys_enter_tp',
  sysExit: 'time_sys_exit_tp',
  fork: 'follow_fork_tp',
  /** sched_process_fork before Linux 6.x's __data_loc comm fields. */
  forkOld: 'follow_fork_tp_old',
  /** execve from a thread other than the leader: its entry moves to the leader's id. */
  exec: 'follow_exec_tp',
  exit: 'forget_on_exit_tp',
  /** --offcpu only: sched_switch. */
  offcpu: 'offcpu_switch_tp',
} as const;

export const MAPS = {
  counts: 'counts',
  tasks: 'tasks',
  config: 'config',
  /** The one fork that becomes the command (armed by user space, disarmed by the fork handler). */
  spawn: 'spawn',
  /** BTF object only: attach's process (seedTree). */
  seed: 'seed',
  stats: 'stats',
  tracked: 'tracked',
  errors: 'errors',
  latency: 'latency',
  filter: 'syscall_filter',
  slotTotals: 'slot_totals',
  /** BTF object only: resource usage per process, of the whole tree, and concurrency. */
  procUsage: 'proc_usage',
  usageTotal: 'usage_total',
  treeLive: 'tree_live',
  /** --offcpu. BTF object: live threads (task storage) and ended ones; classic object: every thread. */
  offcpuState: 'offcpu_state',
  offcpuEnded: 'offcpu_ended',
  offcpuThreads: 'offcpu_threads',
} as const;

/** The benchmark's floor (scripts/bench): empty programs on the same events. */
export const FLOOR_OBJECT = 'floor.bpf.o';
export const FLOOR_PROGRAMS = {
  tp_btf: 'floor_sys_enter',
  tracepoint: 'floor_sys_enter_tp',
} as const;
