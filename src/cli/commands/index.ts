/**
 * The subcommand table. Each entry declares its yargs usage and builder and
 * turns argv into a ChosenCommand; main.ts imports the implementation lazily.
 * Adding a subcommand: one entry here, one case in main.ts.
 */
import type { Argv } from 'yargs';
import { UsageError } from '../../errors.js';
import { addBudgetOptions, addPrometheusOptions, toBudgetRequest, toPrometheusRequest, type BudgetRequest } from '../ci-options.js';
import type { RunCiRequest } from '../ci-run.js';
import { toGlobalOptions, type GlobalOptions } from '../options.js';

export type ChosenCommand =
  | { name: 'run'; options: GlobalOptions; command: string[]; ci: RunCiRequest }
  | { name: 'doctor'; options: GlobalOptions }
  | { name: 'attach'; options: GlobalOptions; pid: number }
  | { name: 'stats'; options: GlobalOptions; file: string }
  | { name: 'report'; options: GlobalOptions; file: string; open: boolean }
  | { name: 'compare'; options: GlobalOptions; base: string[]; new: string[]; budgets: BudgetRequest; markdown: boolean };

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
    builder: (y) => addPrometheusOptions(addBudgetOptions(y.positional('command', { type: 'string', array: true }), true)),
    choose: (argv, env) => {
      const command = [...((argv.command as unknown[] | undefined) ?? []), ...((argv['--'] as unknown[] | undefined) ?? [])].map(String);
      if (command.length === 0) throw new UsageError('run needs a command, e.g. tsdenet run -- ls -l');
      const options = toGlobalOptions(argv, env);
      return { name: 'run', options, command, ci: { budgets: toBudgetRequest(argv, options.enableEbpf), prometheus: toPrometheusRequest(argv, env) } };
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
  {
    name: 'compare',
    synopsis: 'compare BASE NEW | BASE... -- NEW... [--budget SPEC]',
    usage: 'compare [runs..]',
    describe: 'Compare saved runs: BASE NEW, or BASE... -- NEW... (several runs a side); deltas per syscall, category and command; --budget',
    builder: (y) =>
      addBudgetOptions(y.positional('runs', { type: 'string', array: true, describe: 'saved runs (-o files, their sidecars, or --json output)' }), false)
        // Its own --format: table or markdown (a run's is table or strace).
        .option('format', { choices: ['table', 'markdown'] as const, default: 'table' as const, describe: 'compare: a terminal table, or Markdown for a CI job summary' }),
    choose: (argv, env) => {
      const runs = ((argv.runs as unknown[] | undefined) ?? []).map(String);
      const after = ((argv['--'] as unknown[] | undefined) ?? []).map(String);
      const example = 'tsdenet compare base.jsonl new.jsonl, or tsdenet compare base1.jsonl base2.jsonl -- new1.jsonl new2.jsonl';
      const option = after.find((a) => a.startsWith('-') && a !== '-');
      if (option) throw new UsageError(`${option} comes after --, where only the new runs go`, { hint: 'put the options before the runs, e.g. tsdenet compare --budget total=+5% base.jsonl -- new.jsonl' });
      let sides: [string[], string[]];
      if (after.length > 0) sides = [runs, after];
      else if (runs.length === 2) sides = [[runs[0]!], [runs[1]!]];
      else throw new UsageError(runs.length < 2 ? 'compare needs a base run and a new run' : `compare got ${runs.length} runs: put -- between the base runs and the new runs`, { hint: example });
      if (sides[0].length === 0) throw new UsageError('compare needs at least one base run before --', { hint: example });
      // yargs adds the choices to the global --format's (table|strace): strace is refused here.
      if (argv.format !== 'table' && argv.format !== 'markdown') throw new UsageError(`compare --format is table or markdown, not ${String(argv.format)}`);
      const markdown = argv.format === 'markdown';
      // The global --format (table|strace) is a run's: compare's own is table|markdown.
      const options = toGlobalOptions({ ...argv, format: 'table' }, env);
      return { name: 'compare', options, base: sides[0], new: sides[1], budgets: toBudgetRequest(argv, undefined), markdown };
    },
  },
];
