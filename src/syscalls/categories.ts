// Syscall categories: denet's ten groups, with an explicit decision for every
// syscall name in the x86_64, arm64, i386 and x32 tables (test/unit/syscalls checks that
// no name is missing and that no entry is stale). by_category and the intensities
// (io = file_io, memory, cpu = process, network shares) are computed from this map.
//
// denet (categorize_syscall) files x86_64 syscall NUMBERS into the same groups;
// test/fixtures/denet-categories-x86_64.json holds its table. docs/categories.md lists
// every x86_64 syscall whose category differs from denet's, with the reason, and a
// test checks that list against this map in both directions.
//
// Rules followed, in order:
//  0. denet's choice is followed unless
//       a. denet does not list the number (its `other` is then a gap, not a decision:
//          getpid, mlock, io_uring_*, every number from 323 on but clone3), or
//       b. the call has nothing to do with denet's group (epoll_wait/epoll_ctl as
//          time, epoll_pwait and statfs..sched_setparam as security, getrandom as
//          memory, unshare and timerfd_settime as file_io, kexec_load as ipc), or
//       c. denet splits one family across groups (fchmod security but chmod file_io,
//          pselect6 file_io but select time, utime file_io but utimes time,
//          timerfd_create ipc but timerfd_settime file_io): the family stays
//          together, where denet puts most of it or where the rules below put it.
//     In all three cases the rules below decide.
//  1. A call goes where the resource it acts on belongs, using strace's classes as
//     the guide (%file, %desc, %net, %process, %signal, %ipc, %memory, %creds, %clock):
//       file_io  <- %file and %desc: path and descriptor calls, including the generic
//                   descriptor machinery (poll/select/epoll_*, dup*, ioctl, fcntl, close),
//                   async I/O (io_*, io_uring_*), xattrs, file timestamps (utime*),
//                   inotify/fanotify, splice/tee/sendfile, stat/statfs families;
//       network  <- %net (sockets, including socketpair and i386 socketcall);
//       process  <- %process plus the thread/process attribute calls: ids, sessions and
//                   process groups, resource limits, namespaces (unshare, setns),
//                   pidfds (except pidfd_send_signal), per-thread architecture state
//                   (arch_prctl, *_thread_area, ...);
//       signal   <- %signal (also signalfd*, pause, restart_syscall);
//       ipc      <- %ipc (SysV msg/sem/shm, i386 ipc), POSIX mq_*, pipes, eventfd, and
//                   inter-thread synchronisation (futex family, robust lists, membarrier);
//       memory   <- %memory (address space, NUMA policy, protection keys), plus
//                   memfd_create/memfd_secret, userfaultfd, process_vm_readv/writev;
//       security <- %creds (getters AND setters: getuid etc. read the credentials the
//                   kernel checks permissions against, so they stay with setuid etc.),
//                   capabilities, permission changes (chmod, chown, umask), seccomp,
//                   landlock, LSM attributes, the key store;
//       time     <- %clock plus sleeps, interval timers, POSIX timers, timerfd, CPU-time
//                   accounting (times, getrusage) and, as in denet ("time and
//                   scheduling"), scheduling: sched_*, nice, get/setpriority,
//                   ioprio_*, getcpu;
//       system   <- administration of the whole machine: mount API, modules, reboot,
//                   kexec, swap, hostname, sysinfo/uname, syslog, sysctl, quotas, bpf,
//                   perf_event_open, I/O port access, chroot/pivot_root.
//  2. A more specific group beats file_io for descriptor-creating calls:
//     timerfd_* -> time, signalfd* -> signal, eventfd* / pipe* -> ipc,
//     memfd_* / userfaultfd -> memory, socket* -> network.
//  3. Legacy / time64 / 32-bit-uid variants go with their modern counterpart
//     (stat64, fcntl64, clock_gettime64, setuid32, sigaction, _llseek, ...), and calls
//     the kernel once implemented but removed go where they belonged
//     (create_module, nfsservctl, bdflush -> system). Names differ between tables but
//     a name has one category, so arm64, i386 and x32 follow the same decisions.
//  4. 'other' is only for numbers that never had a real implementation on Linux
//     (reserved slots like afs_syscall, tuxcall, security, vserver, the i386 slots
//     break/stty/gtty/ftime/prof/profil/lock/mpx/ulimit/idle, x86_64's
//     epoll_ctl_old/epoll_wait_old, getpmsg/putpmsg) and for the uprobe trampolines.

import { splitAbi } from './names.js';

export const CATEGORIES = [
  'file_io',
  'memory',
  'process',
  'network',
  'time',
  'ipc',
  'security',
  'signal',
  'system',
  'other',
] as const;

export type Category = (typeof CATEGORIES)[number];

/**
 * Category of every syscall name known to the generated tables. An object literal
 * (TypeScript rejects duplicate keys, so no name can get two categories).
 */
export const SYSCALL_CATEGORIES = {
  // ---------------------------------------------------------------- file_io
  // open/create/close
  open: 'file_io',
  openat: 'file_io',
  openat2: 'file_io',
  creat: 'file_io',
  close: 'file_io',
  close_range: 'file_io',
  name_to_handle_at: 'file_io',
  open_by_handle_at: 'file_io',
  // read/write/seek
  read: 'file_io',
  write: 'file_io',
  readv: 'file_io',
  writev: 'file_io',
  pread64: 'file_io',
  pwrite64: 'file_io',
  preadv: 'file_io',
  pwritev: 'file_io',
  preadv2: 'file_io',
  pwritev2: 'file_io',
  lseek: 'file_io',
  _llseek: 'file_io',
  // zero-copy transfers between descriptors
  sendfile: 'file_io',
  sendfile64: 'file_io',
  splice: 'file_io',
  tee: 'file_io',
  vmsplice: 'file_io',
  copy_file_range: 'file_io',
  // descriptor management; ioctl: strace %desc - it is a request on a descriptor,
  // whatever the device (tty, block device, ...), so it stays with fcntl.
  dup: 'file_io',
  dup2: 'file_io',
  dup3: 'file_io',
  fcntl: 'file_io',
  fcntl64: 'file_io',
  ioctl: 'file_io',
  flock: 'file_io',
  // readiness waiting: poll/select/epoll wait on descriptors (strace %desc), so they
  // are file_io even though they block (denet scatters them over time, security,
  // memory and other; docs/categories.md).
  poll: 'file_io',
  ppoll: 'file_io',
  ppoll_time64: 'file_io',
  select: 'file_io',
  _newselect: 'file_io',
  pselect6: 'file_io',
  pselect6_time64: 'file_io',
  epoll_create: 'file_io',
  epoll_create1: 'file_io',
  epoll_ctl: 'file_io',
  epoll_wait: 'file_io',
  epoll_pwait: 'file_io',
  epoll_pwait2: 'file_io',
  // asynchronous I/O
  io_setup: 'file_io',
  io_destroy: 'file_io',
  io_submit: 'file_io',
  io_cancel: 'file_io',
  io_getevents: 'file_io',
  io_pgetevents: 'file_io',
  io_pgetevents_time64: 'file_io',
  io_uring_setup: 'file_io',
  io_uring_enter: 'file_io',
  io_uring_register: 'file_io',
  // flushing, sizing, page-cache hints (cachestat reports a file's page-cache state,
  // the descriptor counterpart of readahead/fadvise64, so file_io not memory)
  fsync: 'file_io',
  fdatasync: 'file_io',
  sync: 'file_io',
  syncfs: 'file_io',
  sync_file_range: 'file_io',
  truncate: 'file_io',
  truncate64: 'file_io',
  ftruncate: 'file_io',
  ftruncate64: 'file_io',
  fallocate: 'file_io',
  readahead: 'file_io',
  fadvise64: 'file_io',
  fadvise64_64: 'file_io',
  cachestat: 'file_io',
  // stat family
  stat: 'file_io',
  fstat: 'file_io',
  lstat: 'file_io',
  oldstat: 'file_io',
  oldfstat: 'file_io',
  oldlstat: 'file_io',
  stat64: 'file_io',
  fstat64: 'file_io',
  lstat64: 'file_io',
  fstatat64: 'file_io',
  newfstatat: 'file_io',
  statx: 'file_io',
  statfs: 'file_io',
  fstatfs: 'file_io',
  statfs64: 'file_io',
  fstatfs64: 'file_io',
  ustat: 'file_io',
  // access() only asks whether the caller may use a path (usually: does it exist);
  // it changes nothing, so it is a path lookup like stat, not security.
  access: 'file_io',
  faccessat: 'file_io',
  faccessat2: 'file_io',
  // directories and namespace entries
  getdents: 'file_io',
  getdents64: 'file_io',
  readdir: 'file_io',
  getcwd: 'file_io',
  chdir: 'file_io',
  fchdir: 'file_io',
  mkdir: 'file_io',
  mkdirat: 'file_io',
  rmdir: 'file_io',
  mknod: 'file_io',
  mknodat: 'file_io',
  link: 'file_io',
  linkat: 'file_io',
  symlink: 'file_io',
  symlinkat: 'file_io',
  unlink: 'file_io',
  unlinkat: 'file_io',
  rename: 'file_io',
  renameat: 'file_io',
  renameat2: 'file_io',
  readlink: 'file_io',
  readlinkat: 'file_io',
  // file timestamps
  utime: 'file_io',
  utimes: 'file_io',
  futimesat: 'file_io',
  utimensat: 'file_io',
  utimensat_time64: 'file_io',
  // extended and inode attributes
  setxattr: 'file_io',
  lsetxattr: 'file_io',
  fsetxattr: 'file_io',
  setxattrat: 'file_io',
  getxattr: 'file_io',
  lgetxattr: 'file_io',
  fgetxattr: 'file_io',
  getxattrat: 'file_io',
  listxattr: 'file_io',
  llistxattr: 'file_io',
  flistxattr: 'file_io',
  listxattrat: 'file_io',
  removexattr: 'file_io',
  lremovexattr: 'file_io',
  fremovexattr: 'file_io',
  removexattrat: 'file_io',
  file_getattr: 'file_io',
  file_setattr: 'file_io',
  // file change notification
  inotify_init: 'file_io',
  inotify_init1: 'file_io',
  inotify_add_watch: 'file_io',
  inotify_rm_watch: 'file_io',
  fanotify_init: 'file_io',
  fanotify_mark: 'file_io',

  // ----------------------------------------------------------------- memory
  brk: 'memory',
  mmap: 'memory',
  mmap2: 'memory',
  munmap: 'memory',
  mremap: 'memory',
  remap_file_pages: 'memory',
  mprotect: 'memory',
  pkey_mprotect: 'memory',
  pkey_alloc: 'memory',
  pkey_free: 'memory',
  madvise: 'memory',
  process_madvise: 'memory',
  process_mrelease: 'memory',
  mincore: 'memory',
  msync: 'memory',
  mlock: 'memory',
  mlock2: 'memory',
  munlock: 'memory',
  mlockall: 'memory',
  munlockall: 'memory',
  mseal: 'memory',
  map_shadow_stack: 'memory',
  mbind: 'memory',
  get_mempolicy: 'memory',
  set_mempolicy: 'memory',
  set_mempolicy_home_node: 'memory',
  migrate_pages: 'memory',
  move_pages: 'memory',
  // memfd_*: the descriptor is only a handle to anonymous memory (rule 2)
  memfd_create: 'memory',
  memfd_secret: 'memory',
  userfaultfd: 'memory',
  // process_vm_*: read/write another process's address space without its
  // participation (debuggers, profilers), so memory rather than ipc
  process_vm_readv: 'memory',
  process_vm_writev: 'memory',

  // ---------------------------------------------------------------- process
  // lifecycle
  fork: 'process',
  vfork: 'process',
  clone: 'process',
  clone3: 'process',
  execve: 'process',
  execveat: 'process',
  uselib: 'process',
  exit: 'process',
  exit_group: 'process',
  wait4: 'process',
  waitid: 'process',
  waitpid: 'process',
  // pidfds (pidfd_send_signal is under signal)
  pidfd_open: 'process',
  pidfd_getfd: 'process',
  // ids, process groups, sessions
  getpid: 'process',
  getppid: 'process',
  gettid: 'process',
  set_tid_address: 'process',
  getpgid: 'process',
  setpgid: 'process',
  getpgrp: 'process',
  getsid: 'process',
  setsid: 'process',
  // resource limits (scheduling and CPU-time accounting are under time; denet's
  // getrlimit-as-time is not followed: the limits are mostly files and stack)
  getrlimit: 'process',
  setrlimit: 'process',
  ugetrlimit: 'process',
  prlimit64: 'process',
  // process attributes. prctl: most of its options are per-process attributes (name,
  // dumpable, child subreaper, THP, ...); the security-flavoured ones (no_new_privs,
  // seccomp mode, capability bounding set) do not make it a security call overall.
  prctl: 'process',
  personality: 'process',
  // namespaces are attributes of a process (strace puts unshare in %process)
  unshare: 'process',
  setns: 'process',
  // debugging / inspection of other processes
  ptrace: 'process',
  kcmp: 'process',
  // restartable sequences: per-thread registration done at thread start
  rseq: 'process',
  // per-thread architecture state: TLS, segments, vm86 mode
  arch_prctl: 'process',
  set_thread_area: 'process',
  get_thread_area: 'process',
  modify_ldt: 'process',
  vm86: 'process',
  vm86old: 'process',

  // ---------------------------------------------------------------- network
  socket: 'network',
  socketpair: 'network',
  socketcall: 'network',
  bind: 'network',
  listen: 'network',
  accept: 'network',
  accept4: 'network',
  connect: 'network',
  shutdown: 'network',
  getsockname: 'network',
  getpeername: 'network',
  getsockopt: 'network',
  setsockopt: 'network',
  sendto: 'network',
  recvfrom: 'network',
  sendmsg: 'network',
  recvmsg: 'network',
  sendmmsg: 'network',
  recvmmsg: 'network',
  recvmmsg_time64: 'network',

  // ------------------------------------------------------------------- time
  time: 'time',
  stime: 'time',
  gettimeofday: 'time',
  settimeofday: 'time',
  adjtimex: 'time',
  clock_gettime: 'time',
  clock_gettime64: 'time',
  clock_settime: 'time',
  clock_settime64: 'time',
  clock_getres: 'time',
  clock_getres_time64: 'time',
  clock_adjtime: 'time',
  clock_adjtime64: 'time',
  nanosleep: 'time',
  clock_nanosleep: 'time',
  clock_nanosleep_time64: 'time',
  alarm: 'time',
  getitimer: 'time',
  setitimer: 'time',
  timer_create: 'time',
  timer_delete: 'time',
  timer_gettime: 'time',
  timer_gettime64: 'time',
  timer_settime: 'time',
  timer_settime64: 'time',
  timer_getoverrun: 'time',
  timerfd_create: 'time',
  timerfd_gettime: 'time',
  timerfd_gettime64: 'time',
  timerfd_settime: 'time',
  timerfd_settime64: 'time',
  // CPU-time accounting: times returns only CPU times; getrusage returns the same
  // user/system times plus usage counters (denet: time)
  times: 'time',
  getrusage: 'time',
  // scheduling: denet's time group is "time and scheduling" and it files sched_yield
  // and sched_{set,get}affinity there, so the whole family follows: who runs when
  // and where (policy, priority, nice, affinity, the current CPU), and the I/O
  // scheduler's priority.
  sched_yield: 'time',
  sched_setparam: 'time',
  sched_getparam: 'time',
  sched_setscheduler: 'time',
  sched_getscheduler: 'time',
  sched_setattr: 'time',
  sched_getattr: 'time',
  sched_setaffinity: 'time',
  sched_getaffinity: 'time',
  sched_get_priority_max: 'time',
  sched_get_priority_min: 'time',
  sched_rr_get_interval: 'time',
  sched_rr_get_interval_time64: 'time',
  nice: 'time',
  getpriority: 'time',
  setpriority: 'time',
  ioprio_get: 'time',
  ioprio_set: 'time',
  getcpu: 'time',

  // -------------------------------------------------------------------- ipc
  pipe: 'ipc',
  pipe2: 'ipc',
  eventfd: 'ipc',
  eventfd2: 'ipc',
  // futex: strace has no class for it; it is the primitive behind mutexes, condition
  // variables and thread joins, i.e. synchronisation between threads/processes.
  futex: 'ipc',
  futex_time64: 'ipc',
  futex_wait: 'ipc',
  futex_wake: 'ipc',
  futex_requeue: 'ipc',
  futex_waitv: 'ipc',
  // robust lists are the futex bookkeeping glibc registers at thread start
  set_robust_list: 'ipc',
  get_robust_list: 'ipc',
  // membarrier: cross-thread memory-ordering synchronisation (userspace RCU, JITs),
  // used like futex, not an address-space operation
  membarrier: 'ipc',
  ipc: 'ipc',
  msgget: 'ipc',
  msgsnd: 'ipc',
  msgrcv: 'ipc',
  msgctl: 'ipc',
  semget: 'ipc',
  semop: 'ipc',
  semtimedop: 'ipc',
  semtimedop_time64: 'ipc',
  semctl: 'ipc',
  shmget: 'ipc',
  shmat: 'ipc',
  shmdt: 'ipc',
  shmctl: 'ipc',
  mq_open: 'ipc',
  mq_unlink: 'ipc',
  mq_timedsend: 'ipc',
  mq_timedsend_time64: 'ipc',
  mq_timedreceive: 'ipc',
  mq_timedreceive_time64: 'ipc',
  mq_notify: 'ipc',
  mq_getsetattr: 'ipc',

  // --------------------------------------------------------------- security
  // permission changes
  chmod: 'security',
  fchmod: 'security',
  fchmodat: 'security',
  fchmodat2: 'security',
  chown: 'security',
  chown32: 'security',
  fchown: 'security',
  fchown32: 'security',
  lchown: 'security',
  lchown32: 'security',
  fchownat: 'security',
  // umask decides the permissions of every file created afterwards
  umask: 'security',
  // credentials (strace %creds): getters as well as setters
  getuid: 'security',
  getuid32: 'security',
  geteuid: 'security',
  geteuid32: 'security',
  getgid: 'security',
  getgid32: 'security',
  getegid: 'security',
  getegid32: 'security',
  getresuid: 'security',
  getresuid32: 'security',
  getresgid: 'security',
  getresgid32: 'security',
  getgroups: 'security',
  getgroups32: 'security',
  setuid: 'security',
  setuid32: 'security',
  setgid: 'security',
  setgid32: 'security',
  setreuid: 'security',
  setreuid32: 'security',
  setregid: 'security',
  setregid32: 'security',
  setresuid: 'security',
  setresuid32: 'security',
  setresgid: 'security',
  setresgid32: 'security',
  setfsuid: 'security',
  setfsuid32: 'security',
  setfsgid: 'security',
  setfsgid32: 'security',
  setgroups: 'security',
  setgroups32: 'security',
  capget: 'security',
  capset: 'security',
  // sandboxing and LSMs
  seccomp: 'security',
  landlock_create_ruleset: 'security',
  landlock_add_rule: 'security',
  landlock_restrict_self: 'security',
  lsm_get_self_attr: 'security',
  lsm_set_self_attr: 'security',
  lsm_list_modules: 'security',
  // kernel key retention service
  add_key: 'security',
  request_key: 'security',
  keyctl: 'security',

  // ----------------------------------------------------------------- signal
  rt_sigaction: 'signal',
  rt_sigprocmask: 'signal',
  rt_sigpending: 'signal',
  rt_sigsuspend: 'signal',
  rt_sigreturn: 'signal',
  rt_sigtimedwait: 'signal',
  rt_sigtimedwait_time64: 'signal',
  rt_sigqueueinfo: 'signal',
  rt_tgsigqueueinfo: 'signal',
  sigaction: 'signal',
  signal: 'signal',
  sigprocmask: 'signal',
  sigpending: 'signal',
  sigsuspend: 'signal',
  sigreturn: 'signal',
  sgetmask: 'signal',
  ssetmask: 'signal',
  sigaltstack: 'signal',
  signalfd: 'signal',
  signalfd4: 'signal',
  kill: 'signal',
  tkill: 'signal',
  tgkill: 'signal',
  pidfd_send_signal: 'signal',
  // pause waits for a signal; restart_syscall is how the kernel resumes a call that
  // a signal handler interrupted, so both are signal machinery
  pause: 'signal',
  restart_syscall: 'signal',

  // ----------------------------------------------------------------- system
  // machine identity and information
  uname: 'system',
  olduname: 'system',
  oldolduname: 'system',
  sethostname: 'system',
  setdomainname: 'system',
  sysinfo: 'system',
  sysfs: 'system',
  syslog: 'system',
  _sysctl: 'system',
  // getrandom reads the kernel's entropy pool, a machine-wide kernel service like
  // sysinfo; not memory (as denet has it), and not security by itself.
  getrandom: 'system',
  // mounts and the filesystem tree (chroot/pivot_root: privileged changes to the
  // process's view of the tree, grouped with the mount API rather than chdir)
  mount: 'system',
  umount: 'system',
  umount2: 'system',
  mount_setattr: 'system',
  move_mount: 'system',
  open_tree: 'system',
  open_tree_attr: 'system',
  fsopen: 'system',
  fsconfig: 'system',
  fsmount: 'system',
  fspick: 'system',
  statmount: 'system',
  listmount: 'system',
  chroot: 'system',
  pivot_root: 'system',
  quotactl: 'system',
  quotactl_fd: 'system',
  swapon: 'system',
  swapoff: 'system',
  // kernel modules (create_module/get_kernel_syms/query_module: removed in 2.6)
  init_module: 'system',
  finit_module: 'system',
  delete_module: 'system',
  create_module: 'system',
  get_kernel_syms: 'system',
  query_module: 'system',
  // power, kexec, accounting, kernel facilities
  reboot: 'system',
  kexec_load: 'system',
  kexec_file_load: 'system',
  acct: 'system',
  bpf: 'system',
  perf_event_open: 'system',
  lookup_dcookie: 'system',
  nfsservctl: 'system',
  bdflush: 'system',
  vhangup: 'system',
  // raw I/O port access
  ioperm: 'system',
  iopl: 'system',

  // ------------------------------------------------------------------ other
  // never implemented on Linux (reserved numbers; always ENOSYS)
  afs_syscall: 'other',
  tuxcall: 'other',
  security: 'other',
  vserver: 'other',
  getpmsg: 'other',
  putpmsg: 'other',
  epoll_ctl_old: 'other',
  epoll_wait_old: 'other',
  break: 'other',
  stty: 'other',
  gtty: 'other',
  ftime: 'other',
  prof: 'other',
  profil: 'other',
  lock: 'other',
  mpx: 'other',
  ulimit: 'other',
  idle: 'other',
  // x86_64 uprobe trampolines: entered by code the kernel injects when a uprobe /
  // uretprobe is attached, not by the traced program's own logic
  uretprobe: 'other',
  uprobe: 'other',
} as const satisfies Record<string, Category>;

/** A syscall name with an explicit category decision. */
export type CategorizedSyscall = keyof typeof SYSCALL_CATEGORIES;

/**
 * The category of a reported syscall name (an ia32 call's, `i386:NAME`, is
 * NAME's); names without a decision (e.g. `syscall_999`) are 'other'.
 */
export function categorize(reportedName: string): Category {
  const { name } = splitAbi(reportedName);
  return Object.hasOwn(SYSCALL_CATEGORIES, name)
    ? SYSCALL_CATEGORIES[name as CategorizedSyscall]
    : 'other';
}

/** True if `value` is one of the ten category names. */
export function isCategory(value: string): value is Category {
  return (CATEGORIES as readonly string[]).includes(value);
}

/** A fresh record with all ten categories at 0, in CATEGORIES's order (denet's: the order by_category is written in). */
export function emptyCategoryCounts(): Record<Category, number> {
  return Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>;
}
