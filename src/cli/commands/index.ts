/**
 * The subcommand table. Each entry declares its yargs usage and builder and
 * turns argv into a ChosenCommand; main.ts imports the implementation lazily.
 * Adding a subcommand: one entry here, one case in main.ts.
 */
import type { Argv } from 'yargs';
import { UsageError } from '../../errors.js';
import { toGlobalOptions, type GlobalOptions } from '../options.js';

export type ChosenCommand =
  | { name: 'run'; options: GlobalOptions; command: string[] }
  | { name: 'doctor'; options: GlobalOptions }
  | { name: 'attach'; options: GlobalOptions; pid: number }
  | { name: 'stats'; options: GlobalOptions; file: string }
  | { name: 'report'; options: GlobalOptions; file: string; open: boolean };

export interface CommandEntry {
  name: ChosenCommand['name'];
  /** yargs' command string (names the positionals). */
  usage: string;
  /** What follows `tsdenet [options]` in the help's Usage: line. */
  synopsis: string;
  describe: string;
  builder: (y: Argv) => Argv;
  choose: (argv: Record<string, unknown>, env: NodeJS.ProcessEnv) => ChosenCommand;
}

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'run',
    synopsis: 'run -- COMMAND [ARGS...]',
    usage: 'run [command..]',
    describe: 'Run a command and profile it (put the command after --)',
    builder: (y) => y.positional('command', { type: 'string', array: true }),
    choose: (argv, env) => {
      const command = [...((argv.command as unknown[] | undefined) ?? []), ...((argv['--'] as unknown[] | undefined) ?? [])].map(String);
      if (command.length === 0) throw new UsageError('run needs a command, e.g. tsdenet run -- ls -l');
      return { name: 'run', options: toGlobalOptions(argv, env), command };
    },
  },
  {
    name: 'doctor',
    synopsis: 'doctor',
    usage: 'doctor',
    describe: 'Check everything eBPF profiling needs here and how to fix what is missing (exit 0 when it works)',
    builder: (y) => y,
    choose: (argv, env) => ({ name: 'doctor', options: toGlobalOptions(argv, env) }),
  },
  {
    name: 'attach',
    synopsis: 'attach PID',
    usage: 'attach <pid>',
    describe: 'Monitor a running process and its descendants until it exits (or Ctrl-C, --duration)',
    builder: (y) => y.positional('pid', { type: 'string', describe: 'process id' }),
    choose: (argv, env) => {
      const raw = String(argv.pid);
      const pid = Number(raw);
      if (!/^\d+$/.test(raw) || !Number.isSafeInteger(pid) || pid < 1) {
        throw new UsageError(`attach needs a process id (a whole number above 0), got ${raw}`);
      }
      return { name: 'attach', options: toGlobalOptions(argv, env), pid };
    },
  },
  {
    name: 'stats',
    synopsis: 'stats FILE|-',
    usage: 'stats <file>',
    describe: 'Summarize a metrics file written with -o (by tsdenet or denet)',
    builder: (y) => y.positional('file', { type: 'string', describe: 'JSON Lines file' }),
    // yargs reads a lone `-` as ''.
    choose: (argv, env) => ({ name: 'stats', options: toGlobalOptions(argv, env), file: argv.file === '' ? '-' : String(argv.file) }),
  },
  {
    name: 'report',
    synopsis: 'report FILE.jsonl|- [-o report.html] [--open]',
    usage: 'report <file>',
    describe: 'Turn a saved run (JSON Lines, tsdenet or denet) into one HTML page with charts; -o FILE (default: FILE.html)',
    builder: (y) =>
      y
        .positional('file', { type: 'string', describe: 'JSON Lines file ("-" reads stdin)' })
        .option('open', { type: 'boolean', default: false, describe: "print the report's file:// URL on stdout" }),
    // yargs-parser turns a lone "-" into "" (no file can have an empty name): "-" is stdin.
    choose: (argv, env) => ({ name: 'report', options: toGlobalOptions(argv, env), file: argv.file === '' ? '-' : String(argv.file), open: argv.open === true }),
  },
];
