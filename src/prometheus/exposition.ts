/**
 * Pure: a run's results in the Prometheus text exposition format (0.0.4),
 * for the Pushgateway and for node_exporter's textfile collector. Label
 * names follow Prometheus' rules; label values are escaped.
 */
import type { RunProfile } from '../compare/run-profile.js';
import { categorize } from '../syscalls/categories.js';

export type Labels = readonly (readonly [string, string])[];

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Labels the metrics carry themselves, and `job`, which is --push-job's. */
export const RESERVED_LABELS = ['syscall', 'category', 'errno', 'job'] as const;

/** Why `name` cannot be a label name, or undefined when it can. */
export function labelNameProblem(name: string): string | undefined {
  if (!LABEL_NAME.test(name)) return `"${name}" is no Prometheus label name (a letter or _, then letters, digits or _)`;
  if (name.startsWith('__')) return `"${name}" starts with __, which Prometheus reserves for itself`;
  if (name === 'job') return 'the label job is set by --push-job';
  if ((RESERVED_LABELS as readonly string[]).includes(name)) return `the label ${name} is one the metrics carry themselves`;
  return undefined;
}

/** A label value between double quotes: backslash, quote and line feed escaped. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labelText(labels: Labels): string {
  return labels.length === 0 ? '' : `{${labels.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(',')}}`;
}

interface Family {
  name: string;
  type: 'counter' | 'gauge';
  help: string;
  samples: { labels: Labels; value: number }[];
}

function family(name: string, type: Family['type'], help: string, value: number | undefined): Family | undefined {
  return value === undefined ? undefined : { name, type, help, samples: [{ labels: [], value }] };
}

function byName<T>(entries: [string, T][]): [string, T][] {
  return entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The metric families of one run, in a fixed order. */
export function runFamilies(p: RunProfile): Family[] {
  const c = p.counts;
  const families: (Family | undefined)[] = [
    family('tsdenet_syscall_counts_available', 'gauge', '1 when the run was counted with eBPF, 0 when it was not (no tsdenet_syscalls_total then)', c ? 1 : 0),
  ];
  if (c) {
    families.push({
      name: 'tsdenet_syscalls_total',
      type: 'counter',
      help: 'Syscalls the command and its descendants made, per syscall, counted with eBPF',
      samples: byName(Object.entries(c.bySyscall)).map(([syscall, value]) => ({ labels: [['syscall', syscall], ['category', categorize(syscall)]], value })),
    });
    if (c.errors) {
      const samples: Family['samples'] = [];
      for (const [syscall, byErrno] of byName(Object.entries(c.errors))) {
        for (const [errno, value] of byName(Object.entries(byErrno))) samples.push({ labels: [['syscall', syscall], ['errno', errno]], value });
      }
      families.push({ name: 'tsdenet_syscall_errors_total', type: 'counter', help: 'Failed syscalls per syscall and errno (--errors)', samples });
    }
    families.push(family('tsdenet_processes_total', 'counter', 'Processes of the tree that made a counted syscall', c.processes));
  }
  families.push(
    family('tsdenet_wall_time_seconds', 'gauge', 'Wall time of the run, from just before the fork to the command\'s exit', p.wallTimeSecs),
    family('tsdenet_cpu_seconds_total', 'counter', 'CPU time of the process tree (user + system), from its samples', p.cpuSecs),
    family('tsdenet_peak_rss_bytes', 'gauge', 'Largest resident set of the tree at one sample', p.peakRssBytes),
    family('tsdenet_max_processes', 'gauge', 'Most processes of the tree alive at one sample', p.maxProcesses),
    family('tsdenet_exit_status', 'gauge', "tsdenet's exit status: the command's, 128+N when signal N killed it", p.exitStatus),
    family('tsdenet_last_run_timestamp_seconds', 'gauge', 'When the run ended (seconds since 1970)', p.endedAtMs === undefined ? undefined : p.endedAtMs / 1000),
  );
  return families.filter((f): f is Family => f !== undefined);
}

/** The text format: each family's HELP, TYPE and samples, with `labels` on every sample. */
export function renderExposition(families: readonly Family[], labels: Labels = []): string {
  let out = '';
  for (const f of families) {
    out += `# HELP ${f.name} ${f.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}\n# TYPE ${f.name} ${f.type}\n`;
    for (const s of f.samples) out += `${f.name}${labelText([...labels, ...s.labels])} ${s.value}\n`;
  }
  return out;
}
