/**
 * Memory pressure for the samples' `psi_mem` and metadata.capabilities.psi
 * (denet 0.6): the command's own cgroup's memory.pressure when it has one
 * (a cgroup v2 other than the root), read again at each sample (a command
 * may move itself, as systemd-run does), else the system's
 * /proc/pressure/memory. (denet reads /proc/<pid>/pressure/memory, which
 * Linux does not have, so it always falls back to the system file.)
 */
import { cgroup2MountPoint, cgroupV2Path, parsePressure, type PsiMem } from '../proc/pressure.js';
import { readText } from '../proc/proc-file.js';

export interface PsiCapability {
  system: boolean;
  per_process: boolean;
  reason?: string;
}

export const SYSTEM_PRESSURE = 'pressure/memory';

const mounts = new Map<string, string | undefined>();

/** Where cgroup v2 is mounted, read once per /proc root (it does not move while tsdenet runs). */
export function cgroup2Mount(procRoot = '/proc'): string | undefined {
  if (!mounts.has(procRoot)) mounts.set(procRoot, cgroup2MountPoint(readText(`${procRoot}/self/mountinfo`) ?? ''));
  return mounts.get(procRoot);
}

export class PsiReader {
  readonly #pid: number;
  readonly #procRoot: string;
  readonly #mount: string | undefined;
  /** The file the last sample read (kept once the command has gone). */
  #file: string | undefined;

  constructor(pid: number, procRoot = '/proc') {
    this.#pid = pid;
    this.#procRoot = procRoot;
    this.#mount = cgroup2Mount(procRoot);
  }

  /**
   * The command's own cgroup's memory.pressure and what it holds now, or why
   * there is none; `gone`: the command's cgroup file is unreadable (it ended).
   */
  #cgroupFile(): { file?: string; pressure?: string; reason?: string; gone?: true } {
    if (!this.#mount) return { reason: 'no cgroup v2 hierarchy is mounted' };
    const text = readText(`${this.#procRoot}/${this.#pid}/cgroup`);
    if (text === undefined) return { gone: true };
    const path = cgroupV2Path(text);
    if (path === undefined) return { reason: 'the command is in no cgroup v2' };
    if (path === '/') return { reason: 'the command is in the root cgroup (none of its own)' };
    const file = `${this.#mount}${path}/memory.pressure`;
    const pressure = readText(file);
    return pressure === undefined ? { reason: `${file} is not readable` } : { file, pressure };
  }

  capability(): PsiCapability {
    const system = readText(`${this.#procRoot}/${SYSTEM_PRESSURE}`) !== undefined;
    const own = this.#cgroupFile();
    const reasons = [
      ...(system ? [] : ['kernel does not expose /proc/pressure/memory (PSI disabled?)']),
      ...(own.file ? [] : [`per-process PSI unavailable: ${own.reason ?? 'the command has ended'}${system ? '; the system\'s /proc/pressure/memory is used' : ''}`]),
    ];
    return { system, per_process: own.file !== undefined, ...(reasons.length > 0 ? { reason: reasons.join('; ') } : {}) };
  }

  /** This sample's psi_mem; undefined when no pressure file can be read. */
  read(): PsiMem | undefined {
    const own = this.#cgroupFile();
    if (own.pressure !== undefined) {
      this.#file = own.file;
      return parsePressure(own.pressure);
    }
    // Once the command has gone, the file its cgroup had is kept.
    if (!own.gone) this.#file = undefined;
    const text = (this.#file && readText(this.#file)) ?? readText(`${this.#procRoot}/${SYSTEM_PRESSURE}`);
    return text === undefined ? undefined : parsePressure(text);
  }
}
