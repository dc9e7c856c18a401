/** Runs the built CLI (bin/tsdenet.js → dist/) as a user would. */
import { spawn, type SpawnOptions } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = fileURLToPath(new URL('../../bin/tsdenet.js', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  pid: number;
}

export interface CliOptions extends SpawnOptions {
  /** Called once the process is started (e.g. to send it a signal). */
  onStart?: (pid: number) => void;
  input?: string;
}

export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  return runProgram(process.execPath, [BIN, ...args], options);
}

export function runProgram(file: string, args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  const { onStart, input, ...spawnOptions } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'], ...spawnOptions });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, pid: child.pid ?? -1 }));
    if (input !== undefined) child.stdin?.end(input);
    else child.stdin?.end();
    if (child.pid !== undefined) onStart?.(child.pid);
  });
}

/** The last JSON line of stdout (the summary record). */
export function lastRecord(stdout: string): Record<string, any> {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1] ?? 'null') as Record<string, any>;
}
