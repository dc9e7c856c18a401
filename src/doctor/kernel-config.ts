/**
 * The running kernel's build configuration: /proc/config.gz (CONFIG_IKCONFIG_PROC)
 * or /boot/config-<release> (Debian, Ubuntu, Fedora). Neither may exist
 * (containers, custom kernels): then the answer is "unknown", never a guess.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

export interface KernelConfig {
  source: string;
  /** CONFIG_X → value ("y", "m", "\"string\""); options set to "is not set" are absent. */
  options: Map<string, string>;
}

/** Parses kconfig text. Pure. */
export function parseKernelConfig(text: string): Map<string, string> {
  const options = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^(CONFIG_[A-Za-z0-9_]+)=(.*)$/.exec(line.trim());
    if (m) options.set(m[1]!, m[2]!);
  }
  return options;
}

/** The first readable config among /proc/config.gz and /boot/config-<release>, or undefined. */
export function readKernelConfig(release: string, paths = { procGz: '/proc/config.gz', boot: `/boot/config-${release}` }): KernelConfig | undefined {
  try {
    return { source: paths.procGz, options: parseKernelConfig(gunzipSync(readFileSync(paths.procGz)).toString('utf8')) };
  } catch {
    // not built with CONFIG_IKCONFIG_PROC, or the configs module is not loaded
  }
  try {
    return { source: paths.boot, options: parseKernelConfig(readFileSync(paths.boot, 'utf8')) };
  } catch {
    return undefined;
  }
}
