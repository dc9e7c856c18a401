/**
 * Turns libbpf's two error conventions (NULL + errno for pointers, -errno
 * for ints) into one BpfError whose message says what it means for a user.
 */
import { BpfError } from '../errors.js';
import { errnoName as kernelErrnoName } from '../syscalls/errno-names.js';
import type { Libbpf, Ptr } from './libbpf.js';

const PRIVILEGE_HINT =
  'run as root, or give tsdenet CAP_BPF and CAP_PERFMON (see setup/tracefs.sh); `tsdenet doctor` shows what is missing';

/** libbpf's own error codes (libbpf.h, enum libbpf_errno), returned as -errno. */
const LIBBPF_ERRNO: Record<number, string> = {
  4000: 'LIBBPF_ERRNO__LIBELF',
  4001: 'LIBBPF_ERRNO__FORMAT',
  4002: 'LIBBPF_ERRNO__KVERSION',
  4003: 'LIBBPF_ERRNO__ENDIAN',
  4004: 'LIBBPF_ERRNO__INTERNAL',
  4005: 'LIBBPF_ERRNO__RELOC',
  4006: 'LIBBPF_ERRNO__LOAD',
  4007: 'LIBBPF_ERRNO__VERIFY',
  4008: 'LIBBPF_ERRNO__PROG2BIG',
  4009: 'LIBBPF_ERRNO__KVER',
  4010: 'LIBBPF_ERRNO__PROGTYPE',
  4011: 'LIBBPF_ERRNO__WRNGPID',
  4012: 'LIBBPF_ERRNO__INVSEQ',
  4013: 'LIBBPF_ERRNO__NLPARSE',
};

/** Name of an errno value of this process (EPERM, ENOENT, LIBBPF_ERRNO__VERIFY, ...). */
export function errnoName(errno: number): string {
  const libbpf = LIBBPF_ERRNO[errno];
  if (libbpf) return libbpf;
  return kernelErrnoName(errno);
}

/** Builds the BpfError for operation `op` failing with `errno`. */
export function bpfError(op: string, errno: number): BpfError {
  const name = errnoName(errno);
  if (name === 'EPERM' || name === 'EACCES') {
    return new BpfError(op, errno, name, `${op}: permission denied (${name})`, { hint: PRIVILEGE_HINT });
  }
  return new BpfError(op, errno, name, `${op} failed: ${name}`);
}

/** Throws when an int-returning libbpf call failed (ret < 0 is -errno). */
export function checkInt(op: string, ret: number): number {
  if (ret < 0) throw bpfError(op, -ret);
  return ret;
}

/** Throws when a pointer-returning libbpf call returned NULL (errno says why). */
export function checkPtr(lib: Libbpf, op: string, ptr: Ptr | null): Ptr {
  if (ptr === null || ptr === 0n) throw bpfError(op, lib.lastErrno() || 22);
  return ptr;
}
