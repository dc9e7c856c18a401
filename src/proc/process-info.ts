/** One-shot facts about a process: command line, executable, existence. */
import { readFileSync, readlinkSync } from 'node:fs';
import { readText } from './proc-file.js';
import { isLiveState, parseStat } from './stat.js';

/** argv from /proc/<pid>/cmdline; [comm] for kernel threads and zombies; undefined when gone. */
export function readCommandLine(pid: number, procRoot = '/proc'): string[] | undefined {
  let raw: Buffer;
  try {
    raw = readFileSync(`${procRoot}/${pid}/cmdline`);
  } catch {
    return undefined;
  }
  if (raw.length > 0) return raw.toString('utf8').replace(/\0+$/, '').split('\0');
  const stat = parseStat(readText(`${procRoot}/${pid}/stat`) ?? '');
  return stat ? [stat.comm] : undefined;
}

/** Path of the executable, or '' when the kernel does not show it to us. */
export function readExecutable(pid: number, procRoot = '/proc'): string {
  try {
    return readlinkSync(`${procRoot}/${pid}/exe`);
  } catch {
    return '';
  }
}

/** Running: present in /proc and neither a zombie nor dead. */
export function isRunning(pid: number, procRoot = '/proc'): boolean {
  const stat = parseStat(readText(`${procRoot}/${pid}/stat`) ?? '');
  return stat !== undefined && isLiveState(stat);
}
