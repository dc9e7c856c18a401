#!/usr/bin/env node
// The open-file limit is checked before the rest is loaded: loading the
// module graph opens files in parallel, and failed with a raw EMFILE stack.
// dist/cli-bundle/ is the CLI bundled (scripts/bundle-cli.mjs, run by the
// build): a few files to load instead of ~150 modules (docs/startup.md).
import { openFilesLimit, openFilesProblem } from '../dist/cli-bundle/open-files-limit.js';

const problem = openFilesProblem(openFilesLimit());
if (problem) {
  process.stderr.write(`tsdenet: ${problem.message}\ntsdenet: fix: ${problem.hint}\n`);
  process.exitCode = 1;
} else {
  const { main } = await import('../dist/cli-bundle/main.js');
  process.exitCode = await main(process.argv.slice(2));
}
