/** Errors of `tsdenet report`. */
import { TsdenetError, type ErrorDetails } from '../errors.js';

/** The input file cannot be read or holds no record tsdenet or denet writes (exit 1). */
export class ReportInputError extends TsdenetError {
  constructor(message: string, details: ErrorDetails = {}) {
    super('REPORT_INPUT', message, 1, details);
  }
}

/** The charting library that the page inlines is not installed (a broken installation). */
export class ReportAssetError extends TsdenetError {
  constructor(message: string, details: ErrorDetails = {}) {
    super('REPORT_ASSET', message, 1, details);
  }
}
