/**
 * Arguments and environment variables that are not valid UTF-8. Node
 * decodes argv and the environment as UTF-8, with U+FFFD in place of
 * invalid bytes, and passes only UTF-8 on to a child: a Latin-1 file name
 * would reach the command, or -o, changed, and name another file (checked
 * on Node 20). An argument is refused rather than running something other
 * than what was asked; an environment variable, which the user may not
 * even know of, only gets a warning. The raw bytes are in
 * /proc/self/cmdline and /proc/self/environ.
 */
import { readFileSync } from 'node:fs';
import { TsdenetError } from '../errors.js';

function splitNul(raw: Buffer): Buffer[] {
  const parts: Buffer[] = [];
  let start = 0;
  for (let nul = raw.indexOf(0, start); nul !== -1; nul = raw.indexOf(0, start)) {
    parts.push(raw.subarray(start, nul));
    start = nul + 1;
  }
  if (start < raw.length) parts.push(raw.subarray(start));
  return parts;
}

function isUtf8(bytes: Buffer): boolean {
  return Buffer.from(bytes.toString('utf8'), 'utf8').equals(bytes);
}

/** bash's $'…' quoting: printable ASCII as is, every other byte as \xNN. */
export function shellQuoteBytes(bytes: Buffer): string {
  let text = '';
  for (const b of bytes) {
    if (b === 0x27 || b === 0x5c) text += `\\${String.fromCharCode(b)}`;
    else if (b >= 0x20 && b < 0x7f) text += String.fromCharCode(b);
    else text += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return `$'${text}'`;
}

/**
 * Pure: the positions (0-based, in args) of arguments whose raw bytes are
 * not UTF-8. `cmdline` is /proc/self/cmdline; args are its last entries.
 * Empty when cmdline does not end with args (not this process's argv).
 */
export function invalidArguments(cmdline: Buffer, args: readonly string[]): { index: number; bytes: Buffer }[] {
  const raw = splitNul(cmdline);
  if (raw.length < args.length) return [];
  const tail = raw.slice(raw.length - args.length);
  if (!tail.every((bytes, i) => bytes.toString('utf8') === args[i])) return [];
  return tail.flatMap((bytes, index) => (isUtf8(bytes) ? [] : [{ index, bytes }]));
}

/** Pure: names of the variables in `environ` (/proc/self/environ) whose bytes are not UTF-8. */
export function invalidEnvironmentNames(environ: Buffer): string[] {
  return splitNul(environ)
    .filter((entry) => !isUtf8(entry))
    .map((entry) => {
      const eq = entry.indexOf(0x3d);
      const name = entry.subarray(0, eq < 0 ? entry.length : eq);
      return isUtf8(name) ? name.toString('utf8') : shellQuoteBytes(name);
    });
}

function readProcSelf(name: string): Buffer {
  try {
    return readFileSync(`/proc/self/${name}`);
  } catch {
    return Buffer.alloc(0);
  }
}

/** Throws (exit 2, as a bad argument) naming the first argument that is not UTF-8. */
export function checkArgumentEncoding(args: readonly string[]): void {
  const [bad] = invalidArguments(readProcSelf('cmdline'), args);
  if (!bad) return;
  throw new TsdenetError(
    'ARGUMENT_ENCODING',
    `argument ${bad.index + 1} (${shellQuoteBytes(bad.bytes)}) is not valid UTF-8: Node.js, which tsdenet runs on, cannot pass it on unchanged`,
    2,
    {
      // After `--` or `run` it is the command's; else a file name of tsdenet's own (-o, stats, report).
      hint: [args.indexOf('--'), args.indexOf('run')].some((at) => at !== -1 && at < bad.index)
        ? "let a shell inside the command produce it, e.g. tsdenet run -- sh -c 'exec cat ./*.txt', or rename the file"
        : 'rename the file, or give tsdenet a link to it with a UTF-8 name (ln -s)',
    },
  );
}

/** One warning line per environment variable the command will get changed ('' when none). */
export function environmentEncodingWarnings(): string {
  return invalidEnvironmentNames(readProcSelf('environ'))
    .map((name) => `tsdenet: warning: environment variable ${name} is not valid UTF-8: the command gets it with U+FFFD in place of the invalid bytes (Node.js passes only UTF-8)\n`)
    .join('');
}
