/**
 * Loads the syscall counter's object for one attach mode: bpf/syscount.bpf.o
 * (BTF tracepoints) or bpf/syscount_tp.bpf.o (classic tracepoints).
 */
import { statSync } from 'node:fs';
import { release } from 'node:os';
import { fileURLToPath } from 'node:url';
import {
  FEATURES,
  encodeConfig,
  encodeFilter,
  mapLayouts,
  mapSlotSize,
  zeroKey,
  type CounterConfig,
} from './layout.js';
import { ia32StatusOffset } from './ia32-status.js';
import type { Libbpf } from './libbpf.js';
import { BTF_OBJECT, BTF_PROGRAMS, MAPS, TRACEPOINT_OBJECT, TRACEPOINT_PROGRAMS, type AttachMode } from './names.js';
import { BpfObject } from './object.js';
import { forkChildPidOffset } from './tracefs.js';
import { DEFAULT_MAX_ENTRIES, DEFAULT_USAGE_ENTRIES, tasksCapacity } from './map-sizes.js';

export { DEFAULT_MAX_ENTRIES, DEFAULT_USAGE_ENTRIES } from './map-sizes.js';

export interface CounterOptions {
  mode: 'auto' | AttachMode;
  nrExecve: number;
  nrExecveat: number;
  /** Capacity of the counts map ((thread, syscall) pairs of exited threads). */
  maxEntries?: number;
  /**
   * tp_btf: capacity of the per-process usage map (processes alive, plus
   * those ended since the last sample({ usage: true })). When full, the
   * totals stay exact and TreeUsage.lostProcesses counts what is missing.
   */
  usageEntries?: number;
  /** Count failed calls per errno (attaches sys_exit). */
  errors?: boolean;
  /** Time every call (attaches sys_exit). */
  latency?: boolean;
  /** Keep counts per thread; without, an ended thread's counts are folded into its process's (tid 0). */
  perThread?: boolean;
  /** Count only these slots (syscall numbers; ia32 ones at 512 + nr). */
  filterSlots?: readonly number[];
  /** x86_64: tell ia32 calls apart (tp_btf; the classic tracepoint where TS_COMPAT's place is known). */
  compat?: boolean;
  /** attach: load the program that marks an existing tree (its verification alone takes ~40 ms). */
  seed?: boolean;
  /** Off-CPU time of every thread of the tree (sched_switch): loaded and attached only when asked for. */
  offcpu?: boolean;
  /** libbpf's own log lines (--debug). */
  log?: (line: string) => void;
  libbpf?: Libbpf;
}

/** The options that decide what is loaded (the rest is written into the config map after the load). */
export type LoadOptions = Pick<CounterOptions, 'errors' | 'latency' | 'seed' | 'offcpu' | 'perThread' | 'maxEntries' | 'usageEntries'>;

/** A loaded, attached counter object, before a driver and a reader are put on it. */
export interface LoadedCounter {
  mode: AttachMode;
  object: BpfObject;
  config: CounterConfig;
  /** tp_btf: the dump_tasks iterator's link fd. */
  iterLinkFd: number | undefined;
  /** tp_btf: find_seed and seed_tasks were loaded. */
  seedable: boolean;
  /** --offcpu: the off-CPU programs are attached (tp_btf: with the dump_offcpu iterator's link fd). */
  offcpu?: { iterLinkFd?: number };
  /** max_entries of the counts map. */
  countsCapacity: number;
  /** max_entries of the tasks map. */
  tasksCapacity: number;
}

export const BPF_DIR = fileURLToPath(new URL('../../bpf/', import.meta.url));

/** Identity of tsdenet's pid namespace: pids are reported as seen from it. */
function ownPidNamespace(): { nsDev: number; nsIno: number } {
  const st = statSync('/proc/self/ns/pid');
  return { nsDev: st.dev, nsIno: st.ino };
}

/** ia32StatusOffset: the classic tracepoint's way to tell ia32 calls apart (0: it cannot). */
function featureBits(options: CounterOptions, mode: AttachMode, ia32StatusOffset: number): number {
  let bits = 0;
  if (options.errors) bits |= FEATURES.errors;
  if (options.latency) bits |= FEATURES.latency;
  if (options.filterSlots) bits |= FEATURES.filter;
  if (options.perThread) bits |= FEATURES.perThread;
  // Both read TS_COMPAT in thread_info.status: tp_btf through CO-RE, the classic tracepoint where the kernel version gives its offset.
  if (options.compat && (mode === 'tp_btf' || ia32StatusOffset > 0)) bits |= FEATURES.compat;
  return bits;
}

/**
 * What makes one loaded object differ from another: an object loaded ahead
 * (early-load.ts) is used only for a request with the same key. The
 * config and filter maps, written after the load, are not part of it.
 */
export function loadKey(mode: AttachMode, options: LoadOptions): string {
  const timed = Boolean(options.errors || options.latency);
  return JSON.stringify([
    mode,
    timed,
    Boolean(options.latency),
    mode === 'tp_btf' && options.seed === true,
    options.offcpu === true,
    options.perThread === true,
    options.maxEntries ?? DEFAULT_MAX_ENTRIES,
    mode === 'tp_btf' ? (options.usageEntries ?? DEFAULT_USAGE_ENTRIES) : 0,
  ]);
}

/** An opened, sized and loaded object, not yet configured nor attached. */
export interface LoadedObject {
  key: string;
  object: BpfObject;
  forkProgram: string;
  /** max_entries of the counts map. */
  countsCapacity: number;
  /** max_entries of the tasks map. */
  tasksCapacity: number;
}

/**
 * Opens, sizes and loads the object of `mode` (the slow part: libbpf parses
 * the kernel's BTF, the kernel creates the maps and verifies the programs).
 */
export async function loadObject(lib: Libbpf, mode: AttachMode, options: LoadOptions): Promise<LoadedObject> {
  const object = BpfObject.open(lib, BPF_DIR + (mode === 'tp_btf' ? BTF_OBJECT : TRACEPOINT_OBJECT));
  try {
    const programs = mode === 'tp_btf' ? BTF_PROGRAMS : TRACEPOINT_PROGRAMS;
    let forkProgram: string = programs.fork;
    if (mode === 'tracepoint') {
      const old = forkChildPidOffset() === 44;
      forkProgram = old ? TRACEPOINT_PROGRAMS.forkOld : TRACEPOINT_PROGRAMS.fork;
      object.disable(old ? TRACEPOINT_PROGRAMS.fork : TRACEPOINT_PROGRAMS.forkOld);
    }
    const timed = Boolean(options.errors || options.latency);
    // sys_exit costs a second program run per syscall: loaded only when asked for.
    if (!timed) object.disable(programs.sysExit);
    // sched_switch runs on every context switch of the machine: --offcpu's program only when asked for.
    if (!options.offcpu) {
      object.disable(programs.offcpu);
      if (mode === 'tp_btf') object.disable(BTF_PROGRAMS.offcpuDump);
    }
    if (mode === 'tp_btf' && !(options.offcpu && options.seed)) object.disable(BTF_PROGRAMS.offcpuSeed);
    if (mode === 'tp_btf' && !options.seed) {
      object.disable(BTF_PROGRAMS.findSeed);
      object.disable(BTF_PROGRAMS.seed);
    }
    // Every map's key and value sizes as layout.ts describes them (checked against the objects' BTF by a test).
    for (const [name, layout] of Object.entries(mapLayouts(mode))) {
      object.map(name).checkLayout(mapSlotSize(layout.key), mapSlotSize(layout.value));
    }
    const counts = object.map(MAPS.counts);
    if (mode === 'tp_btf') object.map(MAPS.procUsage).setMaxEntries(options.usageEntries ?? DEFAULT_USAGE_ENTRIES);
    const countsCapacity = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    counts.setMaxEntries(countsCapacity);
    const tasks = tasksCapacity(options.perThread === true);
    object.map(MAPS.tasks).setMaxEntries(tasks);
    // One slot per syscall per CPU only when timing is asked for.
    if (!options.latency) object.map(MAPS.latency).setMaxEntries(1);
    await object.load();
    return { key: loadKey(mode, options), object, forkProgram, countsCapacity, tasksCapacity: tasks };
  } catch (error) {
    object.close();
    throw error;
  }
}

/**
 * Opens, sizes, loads, configures and attaches the object of `mode`. Order
 * matters: open → size maps → load → write config → attach. The command is
 * forked only after attach, with the spawner armed, so its execve is the
 * first call counted and nothing before it is missed. `loaded`: the object
 * loaded ahead for this request (its key matches), used instead of a new one.
 */
export async function loadCounter(lib: Libbpf, mode: AttachMode, options: CounterOptions, loaded?: LoadedObject): Promise<LoadedCounter> {
  const { object, forkProgram, countsCapacity, tasksCapacity: tasks } = loaded ?? (await loadObject(lib, mode, options));
  try {
    const programs = mode === 'tp_btf' ? BTF_PROGRAMS : TRACEPOINT_PROGRAMS;
    const timed = Boolean(options.errors || options.latency);
    const ia32Offset = mode === 'tracepoint' && options.compat ? ia32StatusOffset(process.arch, release()) : 0;
    const config: CounterConfig = {
      nrExecve: options.nrExecve,
      nrExecveat: options.nrExecveat,
      selfTgid: process.pid,
      features: featureBits(options, mode, ia32Offset),
      ...ownPidNamespace(),
      ia32StatusOffset: ia32Offset,
    };
    object.map(MAPS.config).update(zeroKey(), encodeConfig(config));
    if (options.filterSlots) object.map(MAPS.filter).update(zeroKey(), encodeFilter(options.filterSlots));
    // Exit (and the last switch) before fork before sys_enter: a thread is
    // never counted without the handlers that keep its counts and usage
    // when it ends.
    object.attach(programs.exit);
    if (mode === 'tp_btf') object.attach(BTF_PROGRAMS.finish);
    // Before fork: a thread is never tracked without its switches being seen.
    if (options.offcpu) object.attach(programs.offcpu);
    object.attach(forkProgram);
    object.attach(programs.exec);
    if (timed) object.attach(programs.sysExit);
    object.attach(programs.sysEnter);
    const iterLinkFd = mode === 'tp_btf' ? object.attachIter(BTF_PROGRAMS.dump) : undefined;
    const offcpu = options.offcpu ? { iterLinkFd: mode === 'tp_btf' ? object.attachIter(BTF_PROGRAMS.offcpuDump) : undefined } : undefined;
    return { mode, object, config, iterLinkFd, seedable: options.seed === true, offcpu, countsCapacity, tasksCapacity: tasks };
  } catch (error) {
    object.close();
    throw error;
  }
}

