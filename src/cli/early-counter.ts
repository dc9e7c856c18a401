/**
 * Starts loading the eBPF counter's object before the options are parsed
 * (bpf/early-load.ts): a guess from the raw arguments, for the common
 * `--enable-ebpf run` with the default counter. A wrong guess costs a load
 * in the background and nothing else: the counter uses the object only
 * when it is the one the parsed options ask for.
 */

/** Options that change what is loaded, or libbpf's log (--debug): with them, nothing is loaded ahead. */
const CHANGES_THE_LOAD = ['--errors', '--latency', '--format', '--max-entries', '--attach-mode', '--debug', '--offcpu', '--per-thread'];

/** Whether `args` (and env) ask for `run` with the default eBPF counter; only tsdenet's own arguments, before `--`, are read. */
export function wantsEarlyCounter(args: readonly string[], env: NodeJS.ProcessEnv): boolean {
  const end = args.indexOf('--');
  const own = end < 0 ? args : args.slice(0, end);
  if (!own.includes('run')) return false;
  if (!own.includes('--enable-ebpf') && !own.includes('--require-ebpf') && env.TSDENET_REQUIRE_EBPF !== '1') return false;
  return !own.some((arg) => CHANGES_THE_LOAD.some((option) => arg === option || arg.startsWith(option + '=')));
}

/** Begins the load when wanted; never throws (the counter's own start reports every failure). */
export async function beginEarlyCounter(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (!wantsEarlyCounter(args, env)) return;
  try {
    const { beginEarlyLoad } = await import('../bpf/early-load.js');
    beginEarlyLoad('tp_btf', {});
  } catch {
    // no libbpf, no koffi: the counter's start says so, with the fix
  }
}
