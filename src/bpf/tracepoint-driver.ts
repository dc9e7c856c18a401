/**
 * The classic-tracepoint counter once loaded: every count is in the shared
 * maps (the reader's), the tracked map holds exactly the live threads of the
 * tree, and attach marks an existing tree from /proc.
 */
import { BpfError, TsdenetError } from '../errors.js';
import { decodeTracked, encodeTrackedTask, INIT_PID_NS_INO, uint32, type CounterConfig } from './layout.js';
import type { BpfMap } from './map.js';
import type { LiveOwners } from './count-drain.js';
import { NO_LIVE_READING, type LiveReading, type ModeDriver } from './mode-driver.js';
import { listTreeTasks, tgidOfThread, type TreeTask } from '../proc/tree-tasks.js';

export interface TracepointDriverDeps {
  /** The thread's tgid (/proc): for a child that has made no call yet. */
  tgidOfThread?: (tid: number) => number | undefined;
  /** The threads of a tree (/proc). */
  listTreeTasks?: (rootPid: number) => TreeTask[];
}

export class TracepointDriver implements ModeDriver {
  readonly #tracked: BpfMap;
  readonly #config: CounterConfig;
  readonly #tgidOfThread: (tid: number) => number | undefined;
  readonly #listTreeTasks: (rootPid: number) => TreeTask[];

  constructor(tracked: BpfMap, config: CounterConfig, deps: TracepointDriverDeps = {}) {
    this.#tracked = tracked;
    this.#config = config;
    this.#tgidOfThread = deps.tgidOfThread ?? tgidOfThread;
    this.#listTreeTasks = deps.listTreeTasks ?? listTreeTasks;
  }

  readLive(): LiveReading {
    return NO_LIVE_READING;
  }

  /**
   * A child that has made no call yet has no tgid in its entry; in the
   * initial pid namespace (where the map's key is its pid) /proc gives it.
   */
  liveTgids(): number[] {
    return [...this.#liveThreads().tgids];
  }

  /**
   * The tracked map holds a thread from its fork until it exits. A child
   * whose tgid is not known yet has made no call: it owns no entry of its
   * own, but may join its process's (without --per-thread). In the initial
   * namespace /proc names its process (or it has ended meanwhile: not
   * live); elsewhere its process is unknown, and so are the owners.
   */
  liveOwners(): LiveOwners | undefined {
    const { tids, tgids, unknown } = this.#liveThreads();
    return unknown ? undefined : { tids, tgids };
  }

  #liveThreads(): { tids: Set<number>; tgids: Set<number>; unknown: boolean } {
    const r = this.#tracked.readAll();
    const tids = new Set<number>();
    const tgids = new Set<number>();
    let unknown = false;
    for (const e of decodeTracked(r.count, r.keys, r.values)) {
      if (e.tid) tids.add(e.tid);
      const initNs = this.#config.nsIno === INIT_PID_NS_INO;
      const tgid = e.tgid || (initNs ? this.#tgidOfThread(e.globalTid) : undefined);
      if (tgid) tgids.add(tgid);
      else if (!initNs) unknown = true;
    }
    return { tids, tgids, unknown };
  }

  /** Twice over /proc: a child forked during the first pass is in the second (later forks follow their parent in the kernel). */
  seedTree(rootPid: number): void {
    if (this.#config.nsIno !== INIT_PID_NS_INO) {
      throw new BpfError('attach', 95, 'EOPNOTSUPP', 'attaching inside a pid namespace needs the BTF counter (tp_btf)', {
        hint: 'use a kernel with BTF (/sys/kernel/btf/vmlinux), or run tsdenet in the initial pid namespace',
      });
    }
    const features = this.#config.features;
    const tasks = this.#listTreeTasks(rootPid);
    if (tasks.length === 0) throw new TsdenetError('NO_SUCH_PROCESS', `no process ${rootPid}`, 1, { hint: 'check the pid: it may have exited' });
    for (let pass = 0; pass < 2; pass++) {
      for (const task of pass === 0 ? tasks : this.#listTreeTasks(rootPid)) {
        this.#tracked.update(uint32(task.tid), encodeTrackedTask({ ...task, features }));
      }
    }
  }
}
