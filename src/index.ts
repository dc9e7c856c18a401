/**
 * tsdenet's Node API (the package's one entry point, `import … from
 * 'tsdenet'`). The CLI is built on the same functions. Every failure a
 * caller can cause is a TsdenetError (code, message, hint, exitCode);
 * nothing here prints or exits the process.
 */
export { profile, type ProfileOptions } from './api/profile.js';
export { attach, type AttachOptions } from './api/attach.js';
export { readRecords, summarize, type ReadOptions } from './api/records.js';
export type { MeasureOptions } from './api/options.js';
export type { ProfileResult } from './api/measurement.js';
export { TsdenetError, UsageError, CommandStartError, OutputError, LibbpfMissingError, BpfError } from './errors.js';
export { AttachError } from './measure/attach-target.js';
export { StatsInputError } from './stats/errors.js';
export type { Problem } from './records/read-file.js';
export type { ReadRecord } from './records/reader.js';
export type * from './records/schema.js';
export { VERSION } from './version.js';
