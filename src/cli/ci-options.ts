/**
 * Options for CI and fleets: syscall budgets (--budget, --budget-file,
 * --budget-against) and Prometheus output (--pushgateway, --push-job,
 * --push-label, --prom-file). Values are checked here (exit 2); budget
 * files are read by the subcommand, before anything runs.
 */
import type { Argv } from 'yargs';
import { UsageError } from '../errors.js';
import { labelNameProblem, type Labels } from '../prometheus/exposition.js';
import { parsePushgatewayUrl, type PushTarget } from '../prometheus/pushgateway.js';

export interface BudgetRequest {
  /** Each --budget SPEC. */
  specs: string[];
  file?: string;
  /** run: the saved run the budgets compare with. */
  against?: string;
  /** Compare runs of different commands. */
  anyCommand: boolean;
}

export interface PrometheusRequest {
  pushgateway?: PushTarget;
  job: string;
  labels: Labels;
  promFile?: string;
}

export function addBudgetOptions(y: Argv, run: boolean): Argv {
  let out = y
    .option('budget', { type: 'string', requiresArg: true, describe: 'syscall budgets, e.g. openat=+10%,total=+5%,category:network<=0 (exit 1 when one is exceeded)' })
    .option('budget-file', { type: 'string', requiresArg: true, describe: 'budgets from FILE: one or more items a line, # comments' })
    .option('any-command', { type: 'boolean', default: false, describe: 'compare runs of different commands (else an error)' });
  if (run) out = out.option('budget-against', { type: 'string', requiresArg: true, describe: 'check the budgets against this saved run (-o file or its sidecar)' });
  return out;
}

export function addPrometheusOptions(y: Argv): Argv {
  return y
    .option('pushgateway', { type: 'string', requiresArg: true, describe: 'push the results to this Prometheus Pushgateway when the run ends (also TSDENET_PUSHGATEWAY)' })
    .option('push-job', { type: 'string', requiresArg: true, describe: 'the job label of the pushed group (default: tsdenet)' })
    .option('push-label', { type: 'string', requiresArg: true, describe: 'NAME=VALUE: a grouping label of the push and a label of every --prom-file line (repeatable)' })
    .option('prom-file', { type: 'string', requiresArg: true, describe: "write the results in Prometheus' text format to FILE (node_exporter's textfile collector), atomically" });
}

function strings(value: unknown): string[] {
  return value === undefined ? [] : (Array.isArray(value) ? value : [value]).map(String);
}

/** Whether any budget is given (--budget or --budget-file). */
export function budgetsGiven(b: Pick<BudgetRequest, 'specs' | 'file'>): boolean {
  return b.specs.length > 0 || b.file !== undefined;
}

/** Whether the results go to Prometheus (a push, or a textfile). */
export function prometheusWanted(p: PrometheusRequest): boolean {
  return p.pushgateway !== undefined || p.promFile !== undefined;
}

export function toBudgetRequest(argv: Record<string, unknown>, enableEbpf: boolean | undefined): BudgetRequest {
  const specs = strings(argv.budget);
  const file = argv['budget-file'] as string | undefined;
  const against = argv['budget-against'] as string | undefined;
  if (file === '') throw new UsageError('--budget-file needs a file name');
  if (against === '') throw new UsageError('--budget-against needs a saved run, e.g. --budget-against base.jsonl');
  const any = budgetsGiven({ specs, file });
  if (against !== undefined && !any) throw new UsageError('--budget-against checks budgets, and none is given', { hint: 'add --budget SPEC or --budget-file FILE' });
  // run: budgets are of syscall counts; without eBPF there are none to check.
  if (any && enableEbpf === false) throw new UsageError('--budget and --budget-file check syscall counts', { hint: 'add --enable-ebpf (and --require-ebpf, so that a run without counts fails at once)' });
  return { specs, file, against, anyCommand: argv['any-command'] === true };
}

function parseLabel(raw: string): [string, string] {
  const eq = raw.indexOf('=');
  if (eq <= 0) throw new UsageError(`--push-label ${raw} is no NAME=VALUE`, { hint: 'e.g. --push-label commit=3f2a9c1 --push-label runner=ci-7' });
  const name = raw.slice(0, eq);
  const problem = labelNameProblem(name);
  if (problem) throw new UsageError(`--push-label ${raw}: ${problem}`, { hint: name === 'job' ? 'use --push-job NAME' : 'choose another label name, e.g. commit, branch, runner' });
  return [name, raw.slice(eq + 1)];
}

export function toPrometheusRequest(argv: Record<string, unknown>, env: NodeJS.ProcessEnv): PrometheusRequest {
  const flag = argv.pushgateway as string | undefined;
  const raw = flag ?? (env.TSDENET_PUSHGATEWAY || undefined);
  let pushgateway: PushTarget | undefined;
  if (raw !== undefined) {
    const parsed = parsePushgatewayUrl(raw);
    const from = flag !== undefined ? '--pushgateway' : 'TSDENET_PUSHGATEWAY';
    if (typeof parsed === 'string') throw new UsageError(`${from}: ${parsed}`, { hint: 'give the Pushgateway\'s base URL, e.g. http://pushgateway:9091' });
    pushgateway = parsed;
  }
  const job = argv['push-job'] as string | undefined;
  if (job === '') throw new UsageError('--push-job needs a name');
  const labels = strings(argv['push-label']).map(parseLabel);
  const twice = labels.find(([name], i) => labels.findIndex(([n]) => n === name) !== i);
  if (twice) throw new UsageError(`--push-label ${twice[0]} is given twice`, { hint: 'give each label once' });
  const promFile = argv['prom-file'] as string | undefined;
  if (promFile === '') throw new UsageError('--prom-file needs a file name');
  if (!pushgateway && promFile === undefined && (job !== undefined || labels.length > 0)) {
    throw new UsageError(`${job !== undefined ? '--push-job' : '--push-label'} labels pushed or written metrics, and none are`, { hint: 'add --pushgateway URL (or TSDENET_PUSHGATEWAY) or --prom-file FILE' });
  }
  return { pushgateway, job: job ?? 'tsdenet', labels, promFile };
}
