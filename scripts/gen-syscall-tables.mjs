#!/usr/bin/env node
// Generates the syscall name tables in src/syscalls/ from the Linux UAPI headers
// shipped by Debian:
//
//   src/syscalls/table-x86_64.ts  <- /usr/include/x86_64-linux-gnu/asm/unistd_64.h
//                                    (package linux-libc-dev)
//   src/syscalls/table-i386.ts    <- /usr/include/x86_64-linux-gnu/asm/unistd_32.h
//   src/syscalls/table-x32.ts     <- /usr/include/x86_64-linux-gnu/asm/unistd_x32.h
//                                    (package linux-libc-dev; 32-bit x86 compat numbering)
//   src/syscalls/table-arm64.ts   <- /usr/aarch64-linux-gnu/include/asm/unistd.h
//                                    (package linux-libc-dev-arm64-cross; expanded with
//                                    the C preprocessor so the arm64 __ARCH_WANT_* defines
//                                    select the right parts of asm-generic/unistd.h)
//
// plus scripts/syscalls-unified.tbl (numbers >= 424 added after the 6.1 headers,
// identical on all architectures) and a few x86_64-only numbers listed below.
//
// And the errno names a failed syscall returns, per architecture:
//
//   src/syscalls/errno-x86_64.ts  <- /usr/include/x86_64-linux-gnu/asm/errno.h
//                                    (+ asm-generic/errno.h, errno-base.h; linux-libc-dev)
//   src/syscalls/errno-arm64.ts   <- /usr/aarch64-linux-gnu/include/asm/errno.h
//                                    (linux-libc-dev-arm64-cross)
//
// both expanded with cpp (aliases such as EWOULDBLOCK = EAGAIN keep the first
// name), plus the kernel-internal numbers 512-531 listed below (not in the UAPI
// headers, but a tracer sees them at sys_exit: an interrupted call returns
// -ERESTARTSYS and the like before the kernel restarts it or turns it into EINTR).
//
// Usage:
//   node scripts/gen-syscall-tables.mjs          write the tables (npm run gen:syscalls)
//   node scripts/gen-syscall-tables.mjs --check  exit 1 if a committed table differs from
//                                                what would be generated
//
// No dependencies beyond Node itself, dpkg-query and cpp. The output depends only on
// the header contents and the package versions, so running it twice gives the same bytes.

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const UNIFIED_TBL = join(ROOT, 'scripts', 'syscalls-unified.tbl');

const X86_64_HEADER = '/usr/include/x86_64-linux-gnu/asm/unistd_64.h';
const I386_HEADER = '/usr/include/x86_64-linux-gnu/asm/unistd_32.h';
const X32_HEADER = '/usr/include/x86_64-linux-gnu/asm/unistd_x32.h';
const ARM64_INCLUDE_DIR = '/usr/aarch64-linux-gnu/include';
const ARM64_HEADER = `${ARM64_INCLUDE_DIR}/asm/unistd.h`;
const ARM64_GENERIC_HEADER = `${ARM64_INCLUDE_DIR}/asm-generic/unistd.h`;

const ARM64_CPP_ARGS = [
  '-dM',
  '-undef',
  '-nostdinc',
  '-D__aarch64__',
  `-I${ARM64_INCLUDE_DIR}`,
  '-include',
  'asm/unistd.h',
  '/dev/null',
];

// x86_64-specific numbers below 424 added after Linux 6.1 (not shared with other
// architectures, so they do not belong in syscalls-unified.tbl), per
// arch/x86/entry/syscalls/syscall_64.tbl:
//   335 uretprobe  (Linux 6.11; entered from the uretprobe trampoline)
//   336 uprobe     (Linux 6.18; entered from the optimized uprobe trampoline)
const X86_64_EXTRA = [
  [335, 'uretprobe'],
  [336, 'uprobe'],
];

const X86_64_ERRNO_CPP_ARGS = ['-dM', '-undef', '-nostdinc', '-I/usr/include/x86_64-linux-gnu', '-I/usr/include', '-include', 'asm/errno.h', '/dev/null'];
const ARM64_ERRNO_CPP_ARGS = ['-dM', '-undef', '-nostdinc', `-I${ARM64_INCLUDE_DIR}`, '-include', 'asm/errno.h', '/dev/null'];

// include/linux/errno.h (kernel-internal, Linux 6.18): never returned to user
// space, but seen by a tracer at sys_exit.
const KERNEL_INTERNAL_ERRNOS = [
  [512, 'ERESTARTSYS'],
  [513, 'ERESTARTNOINTR'],
  [514, 'ERESTARTNOHAND'],
  [515, 'ENOIOCTLCMD'],
  [516, 'ERESTART_RESTARTBLOCK'],
  [517, 'EPROBE_DEFER'],
  [518, 'EOPENSTALE'],
  [519, 'ENOPARAM'],
  [521, 'EBADHANDLE'],
  [522, 'ENOTSYNC'],
  [523, 'EBADCOOKIE'],
  [524, 'ENOTSUPP'],
  [525, 'ETOOSMALL'],
  [526, 'ESERVERFAULT'],
  [527, 'EBADTYPE'],
  [528, 'EJUKEBOX'],
  [529, 'EIOCBQUEUED'],
  [530, 'ERECALLCONFLICT'],
  [531, 'ENOGRACE'],
];

// Macros in asm-generic/unistd.h that share the __NR_ prefix but are not syscalls.
const ARM64_NOT_SYSCALLS = new Set(['syscalls', 'arch_specific_syscall']);

function fail(message) {
  process.stderr.write(`gen-syscall-tables: ${message}\n`);
  process.exit(2);
}

function packageVersion(pkg) {
  try {
    return execFileSync('dpkg-query', ['-W', '-f', '${Version}', pkg], { encoding: 'utf8' }).trim();
  } catch {
    return fail(`cannot query the version of Debian package ${pkg} (is it installed?)`);
  }
}

function readText(path, pkg) {
  if (!existsSync(path)) fail(`${path} not found (install Debian package ${pkg})`);
  return readFileSync(path, 'utf8');
}

/** Adds name at nr to table (a Map nr -> name), rejecting conflicting duplicates. */
function put(table, nr, name, source) {
  const existing = table.get(nr);
  if (existing !== undefined && existing !== name) {
    fail(`${source}: number ${nr} is both ${existing} and ${name}`);
  }
  for (const [otherNr, otherName] of table) {
    if (otherName === name && otherNr !== nr) {
      fail(`${source}: ${name} is both number ${otherNr} and ${nr}`);
    }
  }
  table.set(nr, name);
}

/** Parses a plain unistd_{32,64}.h: only "#define __NR_name number" lines. */
function parsePlainHeader(path, pkg) {
  const table = new Map();
  for (const line of readText(path, pkg).split('\n')) {
    const m = /^#define\s+__NR_(\w+)\s+(\d+)\s*$/.exec(line);
    if (m) put(table, Number(m[2]), m[1], path);
  }
  if (table.size === 0) fail(`${path}: no __NR_ definitions found`);
  return table;
}

/** unistd_x32.h: `#define __NR_read (__X32_SYSCALL_BIT + 0)`; the table is indexed without the bit. */
function parseX32Header(path, pkg) {
  const table = new Map();
  for (const line of readText(path, pkg).split('\n')) {
    const m = /^#define\s+__NR_(\w+)\s+\(__X32_SYSCALL_BIT \+ (\d+)\)\s*$/.exec(line);
    if (m) put(table, Number(m[2]), m[1], path);
  }
  if (table.size === 0) fail(`${path}: no __NR_ definitions found`);
  return table;
}

/** Expands the arm64 headers with cpp and resolves the __NR_ macros to numbers. */
function parseArm64() {
  readText(ARM64_HEADER, 'linux-libc-dev-arm64-cross');
  readText(ARM64_GENERIC_HEADER, 'linux-libc-dev-arm64-cross');
  let out;
  try {
    out = execFileSync('cpp', ARM64_CPP_ARGS, { encoding: 'utf8' });
  } catch (err) {
    return fail(`cpp failed on the arm64 headers: ${err.message}`);
  }
  const macros = new Map();
  for (const line of out.split('\n')) {
    const m = /^#define\s+(\w+)\s+(.*?)\s*$/.exec(line);
    if (m) macros.set(m[1], m[2]);
  }
  const resolve = (value, depth) => {
    let v = value.trim();
    while (v.startsWith('(') && v.endsWith(')')) v = v.slice(1, -1).trim();
    if (/^\d+$/.test(v)) return Number(v);
    const plus = /^(\w+)\s*\+\s*(\d+)$/.exec(v);
    if (plus && depth < 10) {
      const base = resolve(plus[1], depth + 1);
      return base === undefined ? undefined : base + Number(plus[2]);
    }
    if (/^\w+$/.test(v) && macros.has(v) && depth < 10) return resolve(macros.get(v), depth + 1);
    return undefined;
  };
  const table = new Map();
  for (const [macro, value] of [...macros].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!macro.startsWith('__NR_')) continue;
    const name = macro.slice('__NR_'.length);
    if (ARM64_NOT_SYSCALLS.has(name)) continue;
    const nr = resolve(value, 0);
    if (nr === undefined) fail(`arm64: cannot resolve ${macro} = ${value}`);
    put(table, nr, name, `arm64 (${ARM64_HEADER})`);
  }
  if (table.size === 0) fail('arm64: no __NR_ definitions found');
  return table;
}

/** The errno numbers of `asm/errno.h`, expanded with cpp; an alias (#define EWOULDBLOCK EAGAIN) is skipped. */
function parseErrno(cppArgs, header, pkg) {
  readText(header, pkg);
  let out;
  try {
    out = execFileSync('cpp', cppArgs, { encoding: 'utf8' });
  } catch (err) {
    return fail(`cpp failed on ${header}: ${err.message}`);
  }
  const table = new Map();
  for (const line of out.split('\n')) {
    const m = /^#define\s+(E[A-Z0-9_]+)\s+(\d+)\s*$/.exec(line);
    if (m) put(table, Number(m[2]), m[1], header);
  }
  if (table.size < 100) fail(`${header}: only ${table.size} errno definitions found`);
  return table;
}

/** The comment every generated file starts with: what it is, how to regenerate it, its sources. */
function generatedHeader(title, sources, notes, table) {
  return [
    `// ${title}`,
    '//',
    '// GENERATED FILE - DO NOT EDIT. Regenerate with `npm run gen:syscalls`',
    '// (node scripts/gen-syscall-tables.mjs); check with',
    '// `node scripts/gen-syscall-tables.mjs --check`.',
    '//',
    '// Sources:',
    ...sources.map((s) => `//   ${s}`),
    ...(notes.length > 0 ? ['//', ...notes.map((n) => `// ${n}`)] : []),
    '//',
    `// ${table.size} names, highest number ${Math.max(...table.keys())}.`,
    '',
  ];
}

function renderErrno({ constName, arch, sources, table }) {
  const numbers = [...table.keys()].sort((a, b) => a - b);
  const lines = [
    ...generatedHeader(`Errno names for ${arch}, by number.`, sources, [], table),
    `/** ${arch} errno names by number (a failed syscall returns -number). */`,
    `export const ${constName}: Readonly<Record<number, string>> = Object.freeze({`,
    ...numbers.map((nr) => `  ${nr}: '${table.get(nr)}',`),
    '});',
    '',
  ];
  return lines.join('\n');
}

function parseUnifiedTbl() {
  const entries = [];
  const lines = readFileSync(UNIFIED_TBL, 'utf8').split('\n');
  lines.forEach((raw, i) => {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') return;
    const m = /^(\d+)\s+(\w+)$/.exec(line);
    if (!m) fail(`${UNIFIED_TBL}:${i + 1}: expected "NR NAME", got: ${raw}`);
    const nr = Number(m[1]);
    if (nr < 424) fail(`${UNIFIED_TBL}:${i + 1}: ${nr} is below 424, not a unified number`);
    entries.push([nr, m[2]]);
  });
  return entries;
}

/** Merges extra entries where the number is absent; errors on a conflicting name. */
function merge(table, entries, source) {
  const added = [];
  for (const [nr, name] of entries) {
    const existing = table.get(nr);
    if (existing === undefined) {
      put(table, nr, name, source);
      added.push(nr);
    } else if (existing !== name) {
      fail(`${source}: number ${nr} is ${name}, but the header already defines it as ${existing}`);
    }
  }
  return added;
}

function render({ constName, maxName, arch, sources, notes, table }) {
  const max = Math.max(...table.keys());
  const lines = [
    ...generatedHeader(`Syscall names for ${arch}, indexed by syscall number.`, sources, notes, table),
    `/** ${arch} syscall names indexed by number; \`undefined\` marks unassigned numbers. */`,
    `export const ${constName}: readonly (string | undefined)[] = Object.freeze([`,
  ];
  for (let nr = 0; nr <= max; nr++) {
    const name = table.get(nr);
    lines.push(name === undefined ? `  undefined, // ${nr}` : `  '${name}', // ${nr}`);
  }
  lines.push(']);', '', `/** Highest syscall number in {@link ${constName}}. */`);
  lines.push(`export const ${maxName} = ${max};`, '');
  return lines.join('\n');
}

function describeAdded(added) {
  return added.length === 0 ? 'none' : `${added.length} (${Math.min(...added)}-${Math.max(...added)})`;
}

function generate() {
  const unified = parseUnifiedTbl();
  const libcDev = packageVersion('linux-libc-dev');
  const arm64Cross = packageVersion('linux-libc-dev-arm64-cross');
  const unifiedRel = relative(ROOT, UNIFIED_TBL);
  const outputs = [];

  {
    const table = parsePlainHeader(X86_64_HEADER, 'linux-libc-dev');
    merge(table, X86_64_EXTRA, 'x86_64 extras in scripts/gen-syscall-tables.mjs');
    const addedUnified = merge(table, unified, unifiedRel);
    outputs.push({
      file: 'src/syscalls/table-x86_64.ts',
      text: render({
        constName: 'X86_64_SYSCALL_NAMES',
        maxName: 'X86_64_SYSCALL_MAX',
        arch: 'x86_64',
        sources: [
          `${X86_64_HEADER} (Debian linux-libc-dev ${libcDev})`,
          `${unifiedRel} (unified numbers >= 424 after Linux 6.1; added: ${describeAdded(addedUnified)})`,
          `x86_64-only additions in scripts/gen-syscall-tables.mjs: ${X86_64_EXTRA.map(([n, s]) => `${n} ${s}`).join(', ')}`,
        ],
        notes: ['x32 numbers (unistd_x32.h) are in table-x32.ts.'],
        table,
      }),
    });
  }
  {
    const table = parsePlainHeader(I386_HEADER, 'linux-libc-dev');
    const addedUnified = merge(table, unified, unifiedRel);
    outputs.push({
      file: 'src/syscalls/table-i386.ts',
      text: render({
        constName: 'I386_SYSCALL_NAMES',
        maxName: 'I386_SYSCALL_MAX',
        arch: 'i386 (32-bit x86, also the ia32 compat numbering on x86_64)',
        sources: [
          `${I386_HEADER} (Debian linux-libc-dev ${libcDev})`,
          `${unifiedRel} (unified numbers >= 424 after Linux 6.1; added: ${describeAdded(addedUnified)})`,
        ],
        notes: [],
        table,
      }),
    });
  }
  {
    const table = parseX32Header(X32_HEADER, 'linux-libc-dev');
    const addedUnified = merge(table, unified, unifiedRel);
    outputs.push({
      file: 'src/syscalls/table-x32.ts',
      text: render({
        constName: 'X32_SYSCALL_NAMES',
        maxName: 'X32_SYSCALL_MAX',
        arch: 'x32 (the ILP32 ABI on x86_64; numbers without __X32_SYSCALL_BIT)',
        sources: [
          `${X32_HEADER} (Debian linux-libc-dev ${libcDev})`,
          `${unifiedRel} (unified numbers >= 424 after Linux 6.1; added: ${describeAdded(addedUnified)})`,
        ],
        notes: [],
        table,
      }),
    });
  }
  {
    const table = parseArm64();
    const addedUnified = merge(table, unified, unifiedRel);
    outputs.push({
      file: 'src/syscalls/table-arm64.ts',
      text: render({
        constName: 'ARM64_SYSCALL_NAMES',
        maxName: 'ARM64_SYSCALL_MAX',
        arch: 'arm64 (aarch64)',
        sources: [
          `${ARM64_HEADER} + ${ARM64_GENERIC_HEADER}`,
          `  (Debian linux-libc-dev-arm64-cross ${arm64Cross}), expanded with`,
          `  cpp ${ARM64_CPP_ARGS.join(' ')}`,
          `${unifiedRel} (unified numbers >= 424 after Linux 6.1; added: ${describeAdded(addedUnified)})`,
        ],
        notes: [],
        table,
      }),
    });
  }
  for (const [arch, constName, cppArgs, header, pkg, version] of [
    ['x86_64', 'X86_64_ERRNO_NAMES', X86_64_ERRNO_CPP_ARGS, '/usr/include/x86_64-linux-gnu/asm/errno.h', 'linux-libc-dev', libcDev],
    ['arm64', 'ARM64_ERRNO_NAMES', ARM64_ERRNO_CPP_ARGS, `${ARM64_INCLUDE_DIR}/asm/errno.h`, 'linux-libc-dev-arm64-cross', arm64Cross],
  ]) {
    const table = parseErrno(cppArgs, header, pkg);
    merge(table, KERNEL_INTERNAL_ERRNOS, 'kernel-internal errnos in scripts/gen-syscall-tables.mjs');
    outputs.push({
      file: `src/syscalls/errno-${arch}.ts`,
      text: renderErrno({
        constName,
        arch,
        sources: [
          `${header} + asm-generic/errno.h + asm-generic/errno-base.h (Debian ${pkg} ${version}),`,
          `  expanded with cpp ${cppArgs.join(' ')}`,
          `kernel-internal 512-531 (include/linux/errno.h) in scripts/gen-syscall-tables.mjs`,
        ],
        table,
      }),
    });
  }
  return outputs;
}

/**
 * The header names the Debian package version the headers came from; a
 * point release of linux-libc-dev (a new stable kernel, same syscalls)
 * changes only that, so --check compares the tables without it.
 */
function withoutPackageVersions(text) {
  return text.replace(/\(Debian (\S+) [^)]+\)/g, '(Debian $1)');
}

function main(argv) {
  const args = argv.slice(2);
  const check = args.includes('--check');
  const unknown = args.filter((a) => a !== '--check');
  if (unknown.length > 0) fail(`unknown argument(s): ${unknown.join(' ')} (only --check is accepted)`);

  const outputs = generate();
  let stale = 0;
  for (const { file, text } of outputs) {
    const path = join(ROOT, file);
    const current = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
    if (check) {
      if (current !== undefined && withoutPackageVersions(current) === withoutPackageVersions(text)) continue;
      stale++;
      if (current === undefined) {
        process.stderr.write(`${file}: missing\n`);
      } else {
        const a = withoutPackageVersions(current).split('\n');
        const b = withoutPackageVersions(text).split('\n');
        const i = a.findIndex((line, k) => line !== b[k]);
        const at = i === -1 ? Math.min(a.length, b.length) : i;
        process.stderr.write(
          `${file}: differs from generated output at line ${at + 1}\n` +
            `  committed: ${a[at] ?? '<end of file>'}\n` +
            `  generated: ${b[at] ?? '<end of file>'}\n`,
        );
      }
    } else if (current !== text) {
      writeFileSync(path, text);
      process.stdout.write(`wrote ${file}\n`);
    } else {
      process.stdout.write(`unchanged ${file}\n`);
    }
  }
  if (check) {
    if (stale > 0) {
      process.stderr.write(`${stale} table(s) out of date; run \`npm run gen:syscalls\`\n`);
      process.exit(1);
    }
    process.stdout.write('syscall and errno tables are up to date\n');
  }
}

main(process.argv);
