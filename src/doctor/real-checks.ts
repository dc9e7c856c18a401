/**
 * The checks that touch the real thing: load libbpf, then open, load,
 * attach and detach the bundled counter in each attach mode. A load that
 * works here is what `run --enable-ebpf` does, so it is the final word.
 */
import { readFileSync } from 'node:fs';
import { startSyscallCounter, type AttachMode } from '../bpf/counter.js';
import { libbpfVersion } from '../bpf/counter.js';
import { TsdenetError } from '../errors.js';
import { currentArch, syscallNumber } from '../syscalls/names.js';

export type LibbpfInfo = { ok: true; version: string; path: string | undefined } | { ok: false; error: TsdenetError };

export interface LoadResult {
  mode: AttachMode;
  ok: boolean;
  ms: number;
  error?: TsdenetError;
}

/** The mapped libbpf file from /proc/self/maps text (shows the full version). Pure. */
export function libbpfPathFromMaps(maps: string): string | undefined {
  for (const line of maps.split('\n')) {
    const path = line.slice(line.indexOf('/'));
    if (line.includes('/') && /\/libbpf\.so[.\d]*$/.test(path)) return path;
  }
  return undefined;
}

export function probeLibbpf(): LibbpfInfo {
  try {
    const version = libbpfVersion();
    let path: string | undefined;
    try {
      path = libbpfPathFromMaps(readFileSync('/proc/self/maps', 'utf8'));
    } catch {
      path = undefined;
    }
    return { ok: true, version, path };
  } catch (error) {
    if (error instanceof TsdenetError) return { ok: false, error };
    throw error;
  }
}

/** Opens, loads and attaches the counter in `mode`, then closes it (detach + unload). */
export async function tryLoad(mode: AttachMode): Promise<LoadResult> {
  const arch = currentArch();
  const t0 = process.hrtime.bigint();
  const ms = (): number => Math.round(Number(process.hrtime.bigint() - t0) / 1e6);
  if (arch === undefined) {
    return { mode, ok: false, ms: 0, error: new TsdenetError('UNSUPPORTED_ARCH', `eBPF profiling supports x86_64 and arm64, not ${process.arch}`, 1) };
  }
  try {
    const counter = await startSyscallCounter({
      mode,
      nrExecve: syscallNumber('execve', arch)!,
      nrExecveat: syscallNumber('execveat', arch)!,
    });
    counter.close();
    return { mode, ok: true, ms: ms() };
  } catch (error) {
    if (!(error instanceof TsdenetError)) throw error;
    const attempt = (error as { attempts?: { error: unknown }[] }).attempts?.[0]?.error;
    return { mode, ok: false, ms: ms(), error: attempt instanceof TsdenetError ? attempt : error };
  }
}
