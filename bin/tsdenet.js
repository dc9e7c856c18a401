#!/usr/bin/env node
// The open-file limit is checked before the rest is loaded: loading the
// module graph opens files in parallel, and failed with a raw EMFILE stack.
import { openFilesLimit, openFilesProblem } from '../dist/proc/open-files-limit.js';

const problem = openFilesProblem(openFilesLimit());
if (problem) {
  process.stderr.write(`tsdenet: ${problem.message}\ntsdenet: fix: ${problem.hint}\n`);
  process.exitCode = 1;
} else {
  const { main } = await import('../dist/cli/main.js');
  process.exitCode = await main(process.argv.slice(2));
}
