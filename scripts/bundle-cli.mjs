// Bundles the CLI (what bin/tsdenet.js runs) from tsc's output in dist/
// into dist/cli-bundle/: a few files instead of ~150 modules, because
// resolving, reading and compiling each ES module one by one was the
// largest part of tsdenet's own start-up (docs/startup.md). The Node API
// (package exports, dist/index.js) stays tsc's output, unbundled.
//
// Dynamic import() stays lazy: with splitting, each one becomes a chunk
// loaded when it is reached (a plain run never loads report/, compare/ or
// the HTML code). koffi is a native addon and stays in node_modules, like
// everything loaded through createRequire (yargs, uplot's files).
//
// Runs after tsc (npm run build, prepare, pretest); the output lies inside
// dist/, which setup/tracefs.sh's check_package_ownership walks, so a root
// launcher never runs a bundle that a user could have written.
import { build } from 'esbuild';
import { readFile, rm } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const outdir = join(dist, 'cli-bundle');

/**
 * Every module keeps the import.meta.url it had in dist/ (paths such as
 * ../../bpf/ and ../package.json are relative to it): all outputs lie in
 * outdir, flat, so one relative path from there leads to the module's own
 * place.
 */
const keepModuleUrls = {
  name: 'keep-module-urls',
  setup(b) {
    b.onLoad({ filter: /\.js$/ }, async (args) => {
      const contents = await readFile(args.path, 'utf8');
      if (!args.path.startsWith(dist + sep) || !contents.includes('import.meta.url')) return { contents, loader: 'js' };
      const fromOutdir = relative(outdir, args.path).split(sep).join('/');
      return { contents: contents.replaceAll('import.meta.url', `new URL(${JSON.stringify(fromOutdir)}, import.meta.url).href`), loader: 'js' };
    });
  },
};

/**
 * yargs (CommonJS, loaded through createRequire in src/cli/parser.ts) goes
 * into the bundle too: requiring its 15 files one by one took ~40 ms of a
 * start, bundled ~22 ms. Its only path of its own, the locales directory,
 * is where the installed yargs is (resolved at run time, hoisting or not).
 */
const bundleYargs = {
  name: 'bundle-yargs',
  setup(b) {
    b.onLoad({ filter: /[/\\]dist[/\\]cli[/\\]parser\.js$/ }, async (args) => {
      const contents = await readFile(args.path, 'utf8');
      const call = "createRequire(import.meta.url)('yargs/yargs')";
      if (!contents.includes(call)) throw new Error(`${args.path}: ${call} not found: update scripts/bundle-cli.mjs`);
      return { contents: contents.replace(call, "require('yargs/yargs')"), loader: 'js' };
    });
    b.onLoad({ filter: /[/\\]node_modules[/\\]yargs[/\\]build[/\\]index\.cjs$/ }, async (args) => {
      const contents = await readFile(args.path, 'utf8');
      const locales = 're(__dirname,"../locales")';
      if (!contents.includes(locales)) throw new Error(`${args.path}: ${locales} not found: update scripts/bundle-cli.mjs`);
      return { contents: contents.replace(locales, 're(require("path").dirname(require.resolve("yargs/package.json")),"locales")'), loader: 'js' };
    });
  },
};

await rm(outdir, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: { main: join(dist, 'cli/main.js'), 'open-files-limit': join(dist, 'proc/open-files-limit.js') },
  outdir,
  entryNames: '[name]',
  chunkNames: 'chunk-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['koffi'],
  plugins: [bundleYargs, keepModuleUrls],
  // CommonJS code in the bundle (yargs) requires Node's built-in modules.
  banner: { js: "import { createRequire as __tsdenetCreateRequire } from 'node:module'; const require = __tsdenetCreateRequire(import.meta.url);" },
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
});
if (process.argv.includes('--verbose')) {
  for (const [file, out] of Object.entries(result.metafile.outputs)) console.log(`${(out.bytes / 1024).toFixed(0).padStart(6)} KiB ${file}`);
}
