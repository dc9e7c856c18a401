/**
 * Empties this process's inheritable capability set (capget/capset, bound
 * with koffi on first use). Lowering an inheritable capability lowers the
 * ambient one with it (capabilities(7)), so afterwards no program this
 * process starts can inherit a capability: an execve of an ordinary binary
 * gets P'(permitted) = (P(inheritable) & F(inheritable)) | P'(ambient) = 0.
 * The effective and permitted sets are left as they are.
 */
import { loadLibc } from './koffi.js';

/** _LINUX_CAPABILITY_VERSION_3: two 32-bit words per set. */
const CAPABILITY_VERSION_3 = 0x20080522;
/** struct __user_cap_data_struct[2]: {effective, permitted, inheritable} × 2, u32 each. */
const DATA_SIZE = 24;
const INHERITABLE_OFFSETS = [8, 20];

type CapCall = (header: Buffer, data: Buffer) => number;
let calls: { capget: CapCall; capset: CapCall } | undefined;

function bind(): { capget: CapCall; capset: CapCall } {
  if (!calls) {
    const libc = loadLibc();
    calls = {
      capget: libc.func('int capget(_Inout_ uint8_t *header, _Out_ uint8_t *data)') as CapCall,
      capset: libc.func('int capset(uint8_t *header, uint8_t *data)') as CapCall,
    };
  }
  return calls;
}

/** Pure: the capset data with both inheritable words zeroed. */
export function withoutInheritable(data: Buffer): Buffer {
  const out = Buffer.from(data);
  for (const offset of INHERITABLE_OFFSETS) out.writeUInt32LE(0, offset);
  return out;
}

/** Clears the inheritable (and so the ambient) set; throws when the kernel refuses. */
export function clearInheritableCapabilities(): void {
  const { capget, capset } = bind();
  const header = Buffer.alloc(8);
  header.writeUInt32LE(CAPABILITY_VERSION_3, 0);
  const data = Buffer.alloc(DATA_SIZE);
  if (capget(header, data) !== 0) throw new Error('capget failed');
  header.writeUInt32LE(CAPABILITY_VERSION_3, 0);
  header.writeInt32LE(0, 4);
  if (capset(header, withoutInheritable(data)) !== 0) throw new Error('capset failed');
}
