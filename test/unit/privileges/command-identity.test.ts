import { describe, expect, it } from 'vitest';
import { chooseCommandIdentity, describeIdentity } from '../../../src/privileges/command-identity.js';
import { findInPasswd, parsePasswdLine, type UserEntry } from '../../../src/privileges/users.js';
import { commandEnv, setprivArgs } from '../../../src/privileges/credential-wrapper.js';

const PASSWD = `root:x:0:0:root:/root:/bin/bash
alice:x:1000:1000:Alice,,,:/home/alice:/bin/bash
bob:x:1001:1001::/home/bob:/bin/sh
`;
const lookup = (spec: string): UserEntry | undefined => findInPasswd(PASSWD, spec);
const ask = (euid: number, env: NodeJS.ProcessEnv, extra: { user?: string; asRoot?: boolean } = {}) =>
  chooseCommandIdentity({ euid, env, user: extra.user, asRoot: extra.asRoot ?? false, lookup });

describe('chooseCommandIdentity', () => {
  it('runs the command as the user who ran sudo, with their uid and gid', () => {
    const id = ask(0, { SUDO_UID: '1000', SUDO_GID: '1000', SUDO_USER: 'alice' });
    expect(id).toEqual({ uid: 1000, gid: 1000, name: 'alice', home: '/home/alice', source: 'sudo' });
    expect(describeIdentity(id!)).toBe('the command runs as alice (uid 1000), the user who ran sudo; --as-root keeps root');
  });

  it('keeps a sudo uid the user database does not know, without groups', () => {
    expect(ask(0, { SUDO_UID: '4242', SUDO_GID: '4243' })).toEqual({ uid: 4242, gid: 4243, name: undefined, home: undefined, source: 'sudo' });
  });

  it('stays root for --as-root, for sudo from root, and for a plain root login', () => {
    expect(ask(0, { SUDO_UID: '1000', SUDO_GID: '1000' }, { asRoot: true })).toBeUndefined();
    expect(ask(0, { SUDO_UID: '0', SUDO_GID: '0', SUDO_USER: 'root' })).toBeUndefined();
    expect(ask(0, {})).toBeUndefined();
  });

  it('--user wins over sudo and takes names or uids', () => {
    expect(ask(0, { SUDO_UID: '1000' }, { user: 'bob' })?.uid).toBe(1001);
    expect(ask(0, {}, { user: '1000' })?.name).toBe('alice');
    expect(ask(0, {}, { user: 'root' })).toBeUndefined();
  });

  it('follows doas', () => {
    expect(ask(0, { DOAS_USER: 'bob' })?.source).toBe('doas');
    expect(() => ask(0, { DOAS_USER: 'nobody-here' })).toThrow(/DOAS_USER=nobody-here: no such user/);
  });

  it('changes nothing for a non-root tsdenet', () => {
    expect(ask(1000, { SUDO_UID: '1001' })).toBeUndefined();
    expect(ask(1000, {}, { user: 'alice' })).toBeUndefined();
  });

  it('refuses what cannot be done, with the fix', () => {
    expect(() => ask(0, {}, { user: 'alice', asRoot: true })).toThrow(/cannot be used together/);
    expect(() => ask(0, {}, { user: 'carol' })).toThrow(/--user carol: no such user/);
    expect(() => ask(1000, {}, { user: 'bob' })).toThrow(/--user bob needs root: tsdenet runs as uid 1000/);
    expect(() => ask(1000, {}, { asRoot: true })).toThrow(/not running as root/);
    expect(() => ask(0, { SUDO_UID: 'x' })).toThrow(/SUDO_UID=x is not a numeric id/);
  });
});

describe('users and the setpriv wrapper', () => {
  it('parses passwd lines', () => {
    expect(parsePasswdLine('alice:x:1000:1000:Alice,,,:/home/alice:/bin/bash')).toEqual({ name: 'alice', uid: 1000, gid: 1000, home: '/home/alice', shell: '/bin/bash' });
    expect(parsePasswdLine('broken:x:notanumber:1::/:/bin/sh')).toBeUndefined();
    expect(parsePasswdLine('')).toBeUndefined();
  });

  it('builds setpriv arguments that keep groups, clear capabilities, and exec the command', () => {
    const alice = { uid: 1000, gid: 1000, name: 'alice', home: '/home/alice', source: 'sudo' } as const;
    expect(setprivArgs(alice, '/usr/bin/make', ['-j4'])).toEqual([
      '--reuid=1000', '--regid=1000', '--init-groups', '--inh-caps=-all', '--ambient-caps=-all', '--', '/usr/bin/make', '-j4',
    ]);
    expect(setprivArgs({ ...alice, name: undefined }, '/bin/true', [])).toContain('--clear-groups');
    expect(commandEnv(alice, { HOME: '/root', USER: 'root', PATH: '/usr/bin' })).toEqual({ HOME: '/home/alice', USER: 'alice', LOGNAME: 'alice', PATH: '/usr/bin' });
  });
});
