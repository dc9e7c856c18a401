/**
 * The `env` record (--write-env): the machine a run happened on, read from
 * /proc and /sys the way denet reads it (src/monitor/env.rs). Everything is
 * best effort: a missing file leaves its field out or at zero.
 */
import { readdirSync } from 'node:fs';
import { readText } from '../proc/proc-file.js';
import { statusField } from '../proc/status.js';
import type { EnvRecord } from '../records/schema.js';

function read(path: string): string | undefined {
  return readText(path)?.trim();
}

function numberedDirs(dir: string, prefix: string): number[] {
  try {
    return readdirSync(dir)
      .filter((n) => n.startsWith(prefix) && /^\d+$/.test(n.slice(prefix.length)))
      .map((n) => Number(n.slice(prefix.length)))
      .sort((a, b) => a - b);
  } catch {
    return [];
  }
}

function cpuTopology(): EnvRecord['lscpu'] {
  const cpus = numberedDirs('/sys/devices/system/cpu', 'cpu');
  const packages = new Set<string>();
  const cores = new Set<string>();
  for (const cpu of cpus) {
    const base = `/sys/devices/system/cpu/cpu${cpu}/topology`;
    const pkg = read(`${base}/physical_package_id`);
    const core = read(`${base}/core_id`);
    if (pkg === undefined || core === undefined) continue;
    packages.add(pkg);
    cores.add(`${pkg}:${core}`);
  }
  const cpuinfo = readText('/proc/cpuinfo') ?? '';
  const model = /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1]?.trim() ?? '';
  const sockets = packages.size;
  return {
    sockets,
    cores_per_socket: sockets > 0 ? cores.size / sockets : 0,
    threads_per_core: cores.size > 0 ? cpus.length / cores.size : 0,
    model,
  };
}

function numa(): EnvRecord['numa'] {
  const nodes = numberedDirs('/sys/devices/system/node', 'node');
  const distances: number[][] = [];
  const sizes: number[] = [];
  for (const node of nodes) {
    const base = `/sys/devices/system/node/node${node}`;
    distances.push((read(`${base}/distance`) ?? '').split(/\s+/).filter(Boolean).map(Number));
    const kb = /MemTotal:\s*(\d+)\s*kB/.exec(readText(`${base}/meminfo`) ?? '')?.[1];
    sizes.push(kb === undefined ? 0 : Math.floor(Number(kb) / 1024));
  }
  return { nodes: nodes.length, distances, node_sizes_mb: sizes };
}

/** Per-CPU values from cpu0 on, stopping at the first CPU without the file. */
function perCpu(file: string): string[] {
  const values: string[] = [];
  for (let cpu = 0; ; cpu++) {
    const value = read(`/sys/devices/system/cpu/cpu${cpu}/cpufreq/${file}`);
    if (value === undefined) return values;
    values.push(value);
  }
}

/** The env record for a run whose command is `pid`. */
export function collectEnv(pid: number): EnvRecord {
  const env: EnvRecord = {
    kind: 'env',
    ts_ms: Date.now(),
    host: read('/proc/sys/kernel/hostname') ?? '',
    kernel: read('/proc/sys/kernel/osrelease') ?? '',
    lscpu: cpuTopology(),
    numa: numa(),
    // The command inherits tsdenet's CPU affinity.
    affinity_inherited: statusField(readText('/proc/self/status') ?? '', 'Cpus_allowed_list') ?? '',
  };
  const governors = perCpu('scaling_governor');
  if (governors.length > 0) env.cpu_governor = governors;
  const freqs = perCpu('scaling_cur_freq').map(Number);
  if (freqs.length > 0) env.cpu_freq_khz = freqs;
  const thp = read('/sys/kernel/mm/transparent_hugepage/enabled');
  if (thp !== undefined) env.thp_enabled = thp;
  const smt = read('/sys/devices/system/cpu/smt/active');
  if (smt !== undefined) env.smt_active = smt === '1';
  const cgroup = read(`/proc/${pid}/cgroup`) ?? read('/proc/self/cgroup');
  if (cgroup !== undefined) env.cgroup = cgroup;
  return env;
}
