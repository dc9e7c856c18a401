/**
 * Which NVML library to load, if any, decided before koffi is loaded (a
 * machine without NVIDIA's driver pays nothing).
 *
 * By default the dynamic loader's own search for libnvidia-ml.so.1 (the
 * driver installs it in the loader's cache). TSDENET_NVML_LIBRARY names
 * another file (an absolute path), by the rule TSDENET_LIBBPF follows
 * (privileges/launch-environment.ts libraryOverrideRefusal): never while
 * tsdenet holds capabilities as a user or was started setuid/setgid or
 * with file capabilities (AT_SECURE), since a library's constructor runs
 * with the privileges of the process that loads it.
 * LD_LIBRARY_PATH is the dynamic loader's business: the search below reads
 * it exactly when the loader does (not under AT_SECURE).
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { secureExecution } from '../proc/system-constants.js';
import { libraryOverrideRefusal } from '../privileges/launch-environment.js';

export const NVML_LIBRARY = 'libnvidia-ml.so.1';
export const NVML_LIBRARY_ENV = 'TSDENET_NVML_LIBRARY';
const LIBRARY_DIRS = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib', '/lib/x86_64-linux-gnu', '/lib/aarch64-linux-gnu', '/lib64', '/lib'];

export type LibraryChoice = { library: string; override: boolean } | { reason: string };

export interface ChoiceFacts {
  env: NodeJS.ProcessEnv;
  /** libraryOverrideRefusal() (asked only when the override is set). */
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
    privileged: () => libraryOverrideRefusal(),
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
