/** `tsdenet doctor`: the checks as a table (or --json); exit 0 when eBPF profiling works, 1 when not. */
import { renderDoctorJson, renderDoctorTable } from '../../doctor/render.js';
import { runDoctor } from '../../doctor/run-doctor.js';
import type { GlobalOptions } from '../options.js';

export async function doctorSubcommand(options: GlobalOptions): Promise<number> {
  const report = await runDoctor(options.attachMode);
  if (options.json) process.stdout.write(renderDoctorJson(report));
  else if (!options.quiet) process.stdout.write(renderDoctorTable(report, Math.max(100, process.stdout.columns ?? 140)));
  return report.ok ? 0 : 1;
}
