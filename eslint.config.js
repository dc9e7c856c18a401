// The boundaries of the code (README, "Code layout"), checked on every test
// run: data flows down, from cli/ to the pipeline (measure/) to what it uses,
// and what reads or shows records (records/, stats/, report/, html-report/)
// never reaches for the kernel. Only these rules: style is tsc's and the
// reviewers' business.
import tseslint from 'typescript-eslint';

/** Packages each confined to one place, with why. */
const PACKAGES = {
  koffi: 'koffi only in src/bpf/libbpf.ts and src/ffi/ (FFI in one place: koffi pointers are untyped, a wrong one crashes)',
  yargs: 'yargs only in src/cli/ (the CLI is the only layer that sees argv)',
  'cli-table3': 'cli-table3 only in src/report/, src/stats/ and src/doctor/render.ts (human output)',
  'json-stream-stringify': 'json-stream-stringify only in src/report/json.ts',
};

/**
 * A no-restricted-imports rule: the confined packages (but `allow`), and
 * the folders this one must not import, with why.
 */
function restrict({ folders = [], why = '', allow = [] }) {
  const paths = Object.entries(PACKAGES)
    .filter(([name]) => !allow.includes(name))
    .map(([name, message]) => ({ name, message }));
  const patterns = folders.length > 0 ? [{ group: [...new Set(folders)].map((f) => `**/${f}/*`), message: why }] : [];
  return { 'no-restricted-imports': ['error', { paths, patterns }] };
}

const KERNEL_SIDE = ['bpf', 'proc', 'monitor', 'measure', 'runner', 'privileges', 'ffi', 'doctor'];
const UPPER_FLOORS = ['cli', 'measure', 'report', 'stats', 'html-report'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bench-results/**', 'test-artifacts/**'] },
  { files: ['src/**/*.ts'], languageOptions: { parser: tseslint.parser }, rules: restrict({}) },
  { files: ['src/cli/**/*.ts'], rules: restrict({ allow: ['yargs'] }) },
  { files: ['src/bpf/libbpf.ts', 'src/ffi/**/*.ts'], rules: restrict({ allow: ['koffi'] }) },
  { files: ['src/doctor/render.ts'], rules: restrict({ allow: ['cli-table3'] }) },
  {
    files: ['src/report/**/*.ts', 'src/stats/**/*.ts'],
    rules: restrict({
      folders: [...KERNEL_SIDE, 'cli', 'html-report'],
      why: 'report/ and stats/ show records: they never reach the kernel, /proc or the pipeline (they take plain data)',
      allow: ['cli-table3', 'json-stream-stringify'],
    }),
  },
  {
    files: ['src/html-report/**/*.ts'],
    rules: restrict({ folders: [...KERNEL_SIDE, 'cli', 'report', 'stats'], why: 'the HTML report reads records only (src/records/)' }),
  },
  {
    files: ['src/records/**/*.ts'],
    rules: restrict({ folders: [...KERNEL_SIDE, ...UPPER_FLOORS], why: 'records/ is the schema, the reader and the summary: it depends on syscalls/ names only' }),
  },
  {
    files: ['src/compare/**/*.ts', 'src/prometheus/**/*.ts'],
    rules: restrict({
      folders: [...KERNEL_SIDE, ...UPPER_FLOORS],
      why: 'compare/ and prometheus/ turn saved summaries into deltas, budgets and metrics: plain data in, text out (the CLI calls them)',
    }),
  },
  {
    files: ['src/monitor/**/*.ts'],
    rules: restrict({ folders: ['cli', 'measure', 'report', 'html-report'], why: 'monitor/ samples the tree; the pipeline (measure/) uses it, never the other way' }),
  },
  {
    files: ['src/measure/**/*.ts'],
    rules: restrict({ folders: ['cli', 'report', 'stats', 'html-report'], why: 'measure/ produces the measurement; delivering it is report/\'s job, called by the CLI' }),
  },
  {
    files: ['src/proc/**/*.ts', 'src/syscalls/**/*.ts', 'src/text/**/*.ts'],
    rules: restrict({ folders: [...KERNEL_SIDE.filter((f) => f !== 'proc'), ...UPPER_FLOORS, 'records', 'compare', 'prometheus'], why: 'proc/, syscalls/ and text/ are the ground floor: pure parsers, tables and escaping' }),
  },
  {
    files: ['src/bpf/**/*.ts'],
    ignores: ['src/bpf/libbpf.ts'],
    rules: restrict({ folders: [...UPPER_FLOORS, 'monitor', 'records'], why: 'bpf/ loads and reads the counter, for the pipeline above it' }),
  },
);
