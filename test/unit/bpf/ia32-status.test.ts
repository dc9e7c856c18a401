import { describe, expect, it } from 'vitest';
import { ia32StatusOffset } from '../../../src/bpf/ia32-status.js';

describe('ia32StatusOffset', () => {
  it('is 16 on x86_64 from Linux 5.11 (flags, syscall_work, status)', () => {
    expect(ia32StatusOffset('x64', '5.11.0')).toBe(16);
    expect(ia32StatusOffset('x64', '5.15.0-91-generic')).toBe(16);
    expect(ia32StatusOffset('x64', '6.18.44-fc-v595')).toBe(16);
  });

  it('is 0 (not told apart) before 5.11, on arm64, or for a release it cannot read', () => {
    expect(ia32StatusOffset('x64', '5.10.0-28-amd64')).toBe(0);
    expect(ia32StatusOffset('x64', '4.19.0')).toBe(0);
    expect(ia32StatusOffset('arm64', '6.1.0')).toBe(0);
    expect(ia32StatusOffset('x64', 'weird')).toBe(0);
  });
});
