/**
 * Which processes belong to the monitored tree, found from /proc.
 *
 * Each sample lists /proc (one getdents) and reads the stat file only of
 * pids it has not seen before; a new pid joins the tree when its parent is
 * a member. Members are then read through descriptors kept open (see
 * proc-file.ts). Threads are not listed by /proc, so they can never be
 * taken for children.
 *
 * Once in the tree, a process stays until it exits, even when it is
 * reparented to init after its parent died (a daemonizing grandchild still
 * counts). Limit: a process whose parent forks it and exits before the next
 * listing is reparented before tsdenet can see the link, and is missed (the
 * eBPF syscall counter, which follows forks in the kernel, does not miss it).
 */
import { listPids } from '../proc/list-pids.js';
import { readCommandLine } from '../proc/process-info.js';
import { ProcFile, readText } from '../proc/proc-file.js';
import { parseStat, type ProcStat } from '../proc/stat.js';

export interface Member {
  pid: number;
  /** pid@starttime: one process instance. */
  key: string;
  /** Depth below the root (root = 0), for display order. */
  depth: number;
  stat: ProcFile;
  io: ProcFile;
  /** Last stat read; updated by the sampler. */
  last: ProcStat;
}

export class ProcessTree {
  readonly rootPid: number;
  readonly #procRoot: string;
  readonly #members = new Map<number, Member>();
  /** pids seen outside the tree, with the listing in which they were last seen. */
  readonly #foreign = new Map<number, number>();
  #listing = 0;
  readonly #followChildren: boolean;
  readonly #exclude: ReadonlySet<number>;
  /** The last command line read of each member, by pid, kept after it exits (see noteCommandLine). */
  readonly #commandLines = new Map<number, { key: string; comm: string; argv: string[] }>();

  /**
   * exclude: pids that never join the tree, nor their children through them
   * (tsdenet itself, when it was started from inside the tree it attaches to).
   */
  constructor(rootPid: number, options: { procRoot?: string; followChildren?: boolean; exclude?: readonly number[] } = {}) {
    this.rootPid = rootPid;
    this.#procRoot = options.procRoot ?? '/proc';
    this.#followChildren = options.followChildren ?? true;
    this.#exclude = new Set(options.exclude);
  }

  get members(): IterableIterator<Member> {
    return this.#members.values();
  }

  memberByPid(pid: number): Member | undefined {
    return this.#members.get(pid);
  }

  #admit(stat: ProcStat, depth: number): Member {
    const member: Member = {
      pid: stat.pid,
      key: `${stat.pid}@${stat.starttime}`,
      depth,
      stat: new ProcFile(`${this.#procRoot}/${stat.pid}/stat`),
      io: new ProcFile(`${this.#procRoot}/${stat.pid}/io`),
      last: stat,
    };
    this.#members.set(stat.pid, member);
    return member;
  }

  /** Drops a member that has exited (its descriptors are closed). */
  remove(member: Member): void {
    member.stat.close();
    member.io.close();
    if (this.#members.get(member.pid) === member) this.#members.delete(member.pid);
  }

  /**
   * Finds processes that joined the tree since the last call; returns them.
   * The root is admitted on the first call if it exists. `known`: pids that
   * belong to the tree whatever their parent (the eBPF counter follows forks
   * in the kernel, so it knows a daemon that was reparented before any
   * listing could see its parent).
   */
  discover(known: Iterable<number> = []): Member[] {
    const admitted: Member[] = [];
    if (this.#listing === 0 && !this.#members.has(this.rootPid)) {
      const stat = parseStat(readText(`${this.#procRoot}/${this.rootPid}/stat`) ?? '');
      if (stat) admitted.push(this.#admit(stat, 0));
    }
    const listing = ++this.#listing;
    if (!this.#followChildren) return admitted;
    // With no member there is no parent to find children of (a short command
    // that ended before its first sample): reading every process's stat, a
    // closing sample's ~12 ms with 150 processes, would admit nothing. What
    // was foreign is forgotten: unlisted, a pid may be reused meanwhile.
    if (this.#members.size > 0) this.#listChildren(listing, admitted);
    else this.#foreign.clear();
    for (const pid of known) {
      if (this.#members.has(pid) || this.#exclude.has(pid)) continue;
      const stat = parseStat(readText(`${this.#procRoot}/${pid}/stat`) ?? '');
      if (!stat) continue;
      this.#foreign.delete(pid);
      admitted.push(this.#admit(stat, (this.#members.get(stat.ppid)?.depth ?? 0) + 1));
    }
    return admitted;
  }

  /** One /proc listing: admits the members' new descendants, remembers the other processes as foreign. */
  #listChildren(listing: number, admitted: Member[]): void {
    const byParent = new Map<number, ProcStat[]>();
    for (const pid of listPids(this.#procRoot)) {
      if (this.#members.has(pid) || this.#exclude.has(pid)) continue;
      if (this.#foreign.has(pid)) {
        this.#foreign.set(pid, listing);
        continue;
      }
      const stat = parseStat(readText(`${this.#procRoot}/${pid}/stat`) ?? '');
      if (!stat) continue; // exited meanwhile
      const siblings = byParent.get(stat.ppid);
      if (siblings) siblings.push(stat);
      else byParent.set(stat.ppid, [stat]);
    }
    // Breadth-first from every member through the newcomers: a new child of
    // a new child joins in the same pass.
    const queue = [...this.#members.values()];
    for (let i = 0; i < queue.length; i++) {
      const parent = queue[i] as Member;
      for (const stat of byParent.get(parent.pid) ?? []) {
        const member = this.#admit(stat, parent.depth + 1);
        admitted.push(member);
        queue.push(member);
      }
      byParent.delete(parent.pid);
    }
    for (const strangers of byParent.values()) for (const stat of strangers) this.#foreign.set(stat.pid, listing);
    // Forget pids no longer listed, so that a reused pid is looked at again.
    for (const [pid, seen] of this.#foreign) if (seen !== listing) this.#foreign.delete(pid);
  }

  /**
   * Reads a running member's command line when it joined or has exec'd
   * since (its name changed), so that a process that ends before the run
   * does still has one in the summary. An exec that keeps the name (sh
   * exec'ing sh) keeps the first command line: one read per sample and
   * member would cost more than it tells.
   */
  noteCommandLine(member: Member): void {
    if (member.last.state === 'Z') return; // a zombie's cmdline is empty
    const seen = this.#commandLines.get(member.pid);
    if (seen?.key === member.key && seen.comm === member.last.comm) return;
    const argv = readCommandLine(member.pid, this.#procRoot);
    if (argv) this.#commandLines.set(member.pid, { key: member.key, comm: member.last.comm, argv });
  }

  /**
   * Every member's last command line read, by pid, exited ones included. A
   * pid the kernel gave to a second member of the tree has the later one's.
   */
  commandLines(): Map<number, string[]> {
    return new Map([...this.#commandLines].map(([pid, seen]) => [pid, seen.argv]));
  }

  /** Closes every descriptor. */
  close(): void {
    for (const member of [...this.#members.values()]) this.remove(member);
  }
}
