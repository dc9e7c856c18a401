/**
 * Which NVML library to load, if any, decided before koffi is loaded (a
 * machine without NVIDIA's driver pays nothing).
 *
 * By default the dynamic loader's own search for libnvidia-ml.so.1 (the
 * driver installs it in the loader's cache). TSDENET_NVML_LIBRARY names
 * another file (an absolute path) — but never while tsdenet holds
 * capabilities or was started setuid/setgid or with file capabilities
 * (AT_SECURE): a library's constructor runs with the privileges of the
 * process that loads it, and whoever sets the environment of a
 * capability-enabled launcher must not choose code for it to run (as
 * root, set it in root's own environment and run without capabilities is
 * not possible: the override is for tests and packagers, not for root).
 * LD_LIBRARY_PATH is the dynamic loader's business: the search below reads
 * it exactly when the loader does (not under AT_SECURE).
 */
import { existsSync, readFileSync } from 'node:fs';
import { endianness } from 'node:os';
import { isAbsolute } from 'node:path';
import { parseAuxv } from '../proc/auxv.js';
import { readProcCredentials } from '../privileges/proc-status.js';

export const NVML_LIBRARY = 'libnvidia-ml.so.1';
export const NVML_LIBRARY_ENV = 'TSDENET_NVML_LIBRARY';
const AT_SECURE = 23;
const LIBRARY_DIRS = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib', '/lib/x86_64-linux-gnu', '/lib/aarch64-linux-gnu', '/lib64', '/lib'];

/** AT_SECURE: the loader's secure mode (started setuid, setgid or with file capabilities). */
export function secureExecution(): boolean {
  try {
    return (parseAuxv(readFileSync('/proc/self/auxv'), 8, endianness() === 'LE').get(AT_SECURE) ?? 0) !== 0;
  } catch {
    return true;
  }
}

/** Why a library path from the environment must not be honoured here, or undefined when it may. */
export function privilegedReason(): string | undefined {
  if (secureExecution()) return 'tsdenet was started setuid, setgid or with file capabilities';
  try {
    const creds = readProcCredentials();
    if (creds.caps.effective !== 0n || creds.caps.permitted !== 0n) return 'tsdenet runs with capabilities (as root, or through a capability launcher)';
    if (creds.uid.real !== creds.uid.effective || creds.gid.real !== creds.gid.effective) return 'tsdenet runs setuid or setgid';
  } catch {
    return 'its credentials could not be read';
  }
  return undefined;
}

export type LibraryChoice = { library: string; override: boolean } | { reason: string };

export interface ChoiceFacts {
  env: NodeJS.ProcessEnv;
  /** privilegedReason() (asked only when the override is set). */
  privileged: () => string | undefined;
  /** secureExecution(): the loader ignores LD_LIBRARY_PATH (asked only when it is set). */
  secure: () => boolean;
  exists: (path: string) => boolean;
  /** /etc/ld.so.cache's bytes (the loader's cache), if readable. */
  loaderCache: () => Buffer | undefined;
}

/** Pure given its facts: the library to dlopen, or why there is none. */
export function chooseNvmlLibrary(facts: ChoiceFacts): LibraryChoice {
  const override = facts.env[NVML_LIBRARY_ENV];
  let ignored = '';
  if (override) {
    const privileged = facts.privileged();
    if (privileged) ignored = `; ${NVML_LIBRARY_ENV} ignored: ${privileged}`;
    else if (!isAbsolute(override)) return { reason: `${NVML_LIBRARY_ENV} must be an absolute path (got ${override})` };
    else if (!facts.exists(override)) return { reason: `${NVML_LIBRARY_ENV}: no such file ${override}` };
    else return { library: override, override: true };
  }
  // LD_LIBRARY_PATH, as the loader reads it: not in secure mode.
  const loaderPath = facts.env.LD_LIBRARY_PATH ? facts.env.LD_LIBRARY_PATH.split(':').filter((d) => d !== '') : [];
  const searched = [...(loaderPath.length > 0 && !facts.secure() ? loaderPath : []), ...LIBRARY_DIRS];
  const found = searched.some((dir) => facts.exists(`${dir}/${NVML_LIBRARY}`)) || (facts.loaderCache()?.includes(NVML_LIBRARY) ?? false);
  if (!found) return { reason: `${NVML_LIBRARY} not found (no NVIDIA driver installed)${ignored}` };
  return { library: NVML_LIBRARY, override: false };
}

/** The choice on this machine, for this process. */
export function nvmlLibraryHere(env: NodeJS.ProcessEnv = process.env): LibraryChoice {
  return chooseNvmlLibrary({
    env,
    privileged: privilegedReason,
    secure: secureExecution,
    exists: existsSync,
    loaderCache: () => {
      try {
        return readFileSync('/etc/ld.so.cache');
      } catch {
        return undefined;
      }
    },
  });
}
