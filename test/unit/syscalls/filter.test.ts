import { describe, expect, it } from 'vitest';
import { closeMatches, filterSlots } from '../../../src/syscalls/filter.js';
import { slotName, slotsForName } from '../../../src/syscalls/names.js';

describe('filterSlots', () => {
  it('maps names to native and ia32 slots on x86_64, native only on arm64', () => {
    expect(filterSlots(['read', 'write'], [], 'x86_64')).toEqual([0, 1, 512 + 3, 512 + 4]);
    expect(filterSlots(['read'], [], 'arm64')).toEqual([63]);
    expect(slotsForName('socketcall', 'x86_64')).toEqual([512 + 102]);
  });

  it('adds every syscall of a category', () => {
    const slots = filterSlots([], ['network'], 'x86_64');
    expect(slots).toContain(41); // socket
    expect(slots).toContain(42); // connect
    expect(slots).not.toContain(0); // read
  });

  it('rejects unknown names with close matches', () => {
    expect(() => filterSlots(['opnat'], [], 'x86_64')).toThrowError(/unknown syscall "opnat" \(did you mean .*openat/);
    expect(() => filterSlots([], ['netwrk'], 'x86_64')).toThrowError(/unknown category "netwrk" \(did you mean network\?\)/);
    expect(() => filterSlots(['open'], [], 'arm64')).toThrowError(/unknown syscall "open"/);
  });

  it('suggests nothing for a name far from all', () => {
    expect(closeMatches('zzzzzzzzzzzz', ['read', 'write'])).toEqual([]);
  });

  it('takes i386:NAME as the ia32 slot alone, NAME as both ABIs', () => {
    expect(slotsForName('getpid', 'x86_64')).toEqual([39, 512 + 20]);
    expect(slotsForName('i386:getpid', 'x86_64')).toEqual([512 + 20]);
    expect(slotsForName('i386:no_such_call', 'x86_64')).toEqual([]);
    expect(slotsForName('i386:getpid', 'arm64')).toEqual([]);
  });

  it('names slots by ABI', () => {
    expect(slotName(3, 'x86_64')).toBe('close');
    expect(slotName(512 + 3, 'x86_64')).toBe('i386:read');
    expect(slotName(512 + 20, 'x86_64')).toBe('i386:getpid');
    expect(slotName(0x40000000 + 1, 'x86_64')).toBe('write');
    // x32's own numbers: 512 is rt_sigaction there (nothing in the 64-bit table).
    expect(slotName(0x40000000 + 512, 'x86_64')).toBe('rt_sigaction');
    expect(slotName(0x40000000 + 999, 'x86_64')).toBe('syscall_999');
    expect(slotName(63, 'arm64')).toBe('read');
  });
});
