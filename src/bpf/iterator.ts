/** Runs a BPF iterator (its link fd) once and returns everything it wrote. */
import { closeSync, readSync } from 'node:fs';
import { checkInt } from './errors.js';
import type { Libbpf } from './libbpf.js';

export function readIterator(lib: Libbpf, linkFd: number): Buffer {
  const fd = checkInt('create task iterator', lib.iterCreate(linkFd));
  const chunks: Buffer[] = [];
  try {
    for (;;) {
      const buf = Buffer.alloc(64 * 1024);
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      chunks.push(buf.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  return Buffer.concat(chunks);
}
