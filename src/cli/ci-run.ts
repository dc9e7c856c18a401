/**
 * What `run` does for CI and fleets around the measurement: before the
 * command starts, the budgets are read and checked, the base run loaded and
 * --prom-file opened (every mistake is found before anything runs, exit 2 or
 * 1 as for -o); after the local report is written, the budgets are checked,
 * --prom-file is moved into place and the metrics are pushed.
 *
 * Exit status: the command's when it is not 0 (the budget table is still
 * shown); else 1 when a budget is exceeded; a push that fails is one
 * warning and changes nothing.
 */
import { checkBudgets, type Budget, type BudgetResult } from '../compare/budget.js';
import { comparisonFigures, countFigures } from '../compare/budget-figures.js';
import { checkBaseForRun, compareRuns } from '../compare/compare.js';
import { loadBudgets } from '../compare/load-budgets.js';
import { loadRunProfile } from '../compare/load-run.js';
import { profileOfSummary, type RunProfile } from '../compare/run-profile.js';
import type { SummaryRecord } from '../records/schema.js';
import { renderExposition, runFamilies } from '../prometheus/exposition.js';
import { pushMetrics } from '../prometheus/pushgateway.js';
import { OutputFile } from '../report/output-file.js';
import type { BudgetRequest, PrometheusRequest } from './ci-options.js';

export interface RunCi {
  budgets: Budget[];
  base?: RunProfile;
  anyCommand: boolean;
  prometheus: PrometheusRequest;
  promFile?: OutputFile;
}

export interface RunCiRequest {
  budgets: BudgetRequest;
  prometheus: PrometheusRequest;
}

/**
 * Everything checked before the command starts. filter: what this run
 * counts (--syscalls, --category as given), to be the base's.
 */
export async function prepareRunCi(request: RunCiRequest, command: readonly string[], filter: readonly string[] | undefined): Promise<RunCi> {
  const budgets = loadBudgets(request.budgets.specs, request.budgets.file);
  let base: RunProfile | undefined;
  if (request.budgets.against !== undefined) {
    base = await loadRunProfile(request.budgets.against);
    checkBaseForRun(base, command, filter, { anyCommand: request.budgets.anyCommand });
  }
  // Checked now (a relative budget without a base) rather than after the run.
  if (!base) checkBudgets(budgets, () => ({ new: 0, varies: false }));
  const promFile = request.prometheus.promFile !== undefined ? OutputFile.open(request.prometheus.promFile) : undefined;
  return { budgets, base, anyCommand: request.budgets.anyCommand, prometheus: request.prometheus, promFile };
}

/** After a failed run: the temporary --prom-file goes. */
export function discardRunCi(ci: RunCi): void {
  ci.promFile?.discard();
}

function checkRun(ci: RunCi, run: RunProfile): BudgetResult[] {
  if (ci.budgets.length === 0 || !run.counts) return [];
  if (!ci.base) return checkBudgets(ci.budgets, countFigures(run.counts));
  return checkBudgets(ci.budgets, comparisonFigures(compareRuns([ci.base], [run], { anyCommand: true })));
}

/** After the local report: budgets, --prom-file, push. Resolves to tsdenet's exit status. */
export async function finishRunCi(ci: RunCi, summary: SummaryRecord, exitStatus: number, quiet: boolean): Promise<number> {
  const run = profileOfSummary(summary, 'this run');
  const results = checkRun(ci, run);
  const exceeded = results.some((r) => r.exceeded);
  if (results.length > 0 && !quiet) {
    const { renderBudgetTable } = await import('../report/compare-table.js');
    process.stderr.write(`\nsyscall budgets${ci.base ? ` against ${ci.base.source}` : ''}:\n` + renderBudgetTable(results));
  } else if (exceeded) {
    process.stderr.write(`tsdenet: ${results.filter((r) => r.exceeded).length} of ${results.length} syscall budgets exceeded\n`);
  }
  if (ci.budgets.length > 0 && !run.counts) process.stderr.write(`tsdenet: the syscall budgets were not checked: this run has no syscall counts (${run.noCountsReason})\n`);
  let fileError: unknown;
  const families = runFamilies(run);
  if (ci.promFile) {
    ci.promFile.stream.write(renderExposition(families, ci.prometheus.labels));
    await ci.promFile.commit().catch((error: unknown) => {
      fileError = error;
    });
  }
  if (ci.prometheus.pushgateway) {
    const failure = await pushMetrics(ci.prometheus.pushgateway, ci.prometheus.job, ci.prometheus.labels, renderExposition(families));
    if (failure) process.stderr.write(`tsdenet: warning: ${failure}; the metrics were not pushed (the run and its report are unaffected)\n`);
  }
  if (fileError) throw fileError;
  if (exitStatus !== 0) return exitStatus;
  return exceeded || (ci.budgets.length > 0 && !run.counts) ? 1 : 0;
}
