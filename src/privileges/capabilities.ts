/**
 * Capability sets as the kernel prints them in /proc/<pid>/status (hex
 * masks, bit N = capability N), decoded to the names of linux/capability.h.
 * Pure: no file access.
 */

/** linux/capability.h, index = bit number (CAP_PERFMON, CAP_BPF and CAP_CHECKPOINT_RESTORE: Linux 5.8/5.9). */
export const CAPABILITY_NAMES = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_DAC_READ_SEARCH',
  'CAP_FOWNER',
  'CAP_FSETID',
  'CAP_KILL',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETPCAP',
  'CAP_LINUX_IMMUTABLE',
  'CAP_NET_BIND_SERVICE',
  'CAP_NET_BROADCAST',
  'CAP_NET_ADMIN',
  'CAP_NET_RAW',
  'CAP_IPC_LOCK',
  'CAP_IPC_OWNER',
  'CAP_SYS_MODULE',
  'CAP_SYS_RAWIO',
  'CAP_SYS_CHROOT',
  'CAP_SYS_PTRACE',
  'CAP_SYS_PACCT',
  'CAP_SYS_ADMIN',
  'CAP_SYS_BOOT',
  'CAP_SYS_NICE',
  'CAP_SYS_RESOURCE',
  'CAP_SYS_TIME',
  'CAP_SYS_TTY_CONFIG',
  'CAP_MKNOD',
  'CAP_LEASE',
  'CAP_AUDIT_WRITE',
  'CAP_AUDIT_CONTROL',
  'CAP_SETFCAP',
  'CAP_MAC_OVERRIDE',
  'CAP_MAC_ADMIN',
  'CAP_SYSLOG',
  'CAP_WAKE_ALARM',
  'CAP_BLOCK_SUSPEND',
  'CAP_AUDIT_READ',
  'CAP_PERFMON',
  'CAP_BPF',
  'CAP_CHECKPOINT_RESTORE',
] as const;

export type CapabilityName = (typeof CAPABILITY_NAMES)[number];

export interface CapabilitySets {
  inheritable: bigint;
  permitted: bigint;
  effective: bigint;
  bounding: bigint;
  ambient: bigint;
}

/** Whether `mask` holds capability `name`. */
export function hasCapability(mask: bigint, name: CapabilityName): boolean {
  return ((mask >> BigInt(CAPABILITY_NAMES.indexOf(name))) & 1n) === 1n;
}

/** Names of the capabilities in `mask`; bits newer than this table come out as `cap_<bit>`. */
export function capabilityNames(mask: bigint): string[] {
  const names: string[] = [];
  for (let bit = 0; bit < 64; bit++) {
    if (((mask >> BigInt(bit)) & 1n) === 1n) names.push(CAPABILITY_NAMES[bit] ?? `cap_${bit}`);
  }
  return names;
}

/** Mask with exactly the given capabilities. */
export function capabilityMask(names: readonly CapabilityName[]): bigint {
  return names.reduce((mask, name) => mask | (1n << BigInt(CAPABILITY_NAMES.indexOf(name))), 0n);
}

/** Parses a CapXxx value ("000000c000000000"); undefined when it is not hex. */
export function parseCapabilityMask(hex: string): bigint | undefined {
  const text = hex.trim();
  return /^[0-9a-fA-F]{1,16}$/.test(text) ? BigInt(`0x${text}`) : undefined;
}
