/** One row of `tsdenet doctor`: what was checked, how it stands, what was found, the fix. */

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'unknown';

export interface Check {
  /** Stable identifier for --json consumers (e.g. "cap_bpf", "load_tp_btf"). */
  id: string;
  /** What is checked, as shown in the table. */
  check: string;
  status: CheckStatus;
  found: string;
  /** The exact command or step that fixes a warn/fail. */
  fix?: string;
}

export function check(id: string, name: string, status: CheckStatus, found: string, fix?: string): Check {
  return fix === undefined ? { id, check: name, status, found } : { id, check: name, status, found, fix };
}
