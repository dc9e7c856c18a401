/**
 * src/bpf/layout.ts against the committed objects' own BTF (what clang laid
 * out): for every map of each object, its key and value, every member's
 * name, offset and size, and the size of the whole; the iterator records
 * too. Read with `bpftool btf dump file X.o format raw` (Debian's bpftool).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MAP_LAYOUTS, STRUCTS, type MapSlot } from '../../../src/bpf/layout.js';
import { BTF_OBJECT, TRACEPOINT_OBJECT } from '../../../src/bpf/names.js';
import { requireOrSkip, toolMissing } from '../../helpers/privileges.js';

const BPF_DIR = fileURLToPath(new URL('../../../bpf/', import.meta.url));

interface BtfType {
  kind: string;
  name: string;
  size?: number;
  type?: number;
  nrElems?: number;
  members: { name: string; type: number; bitsOffset: number }[];
}

/** The raw dump's types by id (pure: the lines bpftool prints). */
export function parseRawBtf(text: string): Map<number, BtfType> {
  const types = new Map<number, BtfType>();
  let last: BtfType | undefined;
  for (const line of text.split('\n')) {
    const head = /^\[(\d+)\] (\w+) '([^']*)'(.*)$/.exec(line);
    if (head) {
      const rest = head[4]!;
      const num = (key: string) => {
        const m = new RegExp(`\\b${key}=(\\d+)`).exec(rest);
        return m ? Number(m[1]) : undefined;
      };
      last = { kind: head[2]!, name: head[3]!, size: num('size'), type: num('type_id'), nrElems: num('nr_elems'), members: [] };
      types.set(Number(head[1]), last);
      continue;
    }
    const member = /^\t'([^']*)' type_id=(\d+) bits_offset=(\d+)/.exec(line);
    if (member && last) last.members.push({ name: member[1]!, type: Number(member[2]), bitsOffset: Number(member[3]) });
  }
  return types;
}

function btfOf(object: string): Map<number, BtfType> {
  return parseRawBtf(execFileSync('bpftool', ['btf', 'dump', 'file', BPF_DIR + object, 'format', 'raw'], { encoding: 'utf8' }));
}

/** Follows typedefs and qualifiers to the type that has a layout. */
function resolve(types: Map<number, BtfType>, id: number): BtfType {
  let t = types.get(id)!;
  while (['TYPEDEF', 'CONST', 'VOLATILE', 'RESTRICT'].includes(t.kind)) t = types.get(t.type!)!;
  return t;
}

function sizeOf(types: Map<number, BtfType>, id: number): number {
  const t = resolve(types, id);
  if (t.kind === 'ARRAY') return (t.nrElems ?? 0) * sizeOf(types, t.type!);
  return t.size!;
}

/** A map's key or value type: `__type(key, T)` is a pointer member of the map's anonymous struct. */
function mapSlotType(types: Map<number, BtfType>, map: string, slot: 'key' | 'value'): BtfType {
  const variable = [...types.values()].find((t) => t.kind === 'VAR' && t.name === map);
  expect(variable, `map ${map}`).toBeDefined();
  const def = resolve(types, variable!.type!);
  const member = def.members.find((m) => m.name === slot);
  expect(member, `${map}.${slot}`).toBeDefined();
  return resolve(types, types.get(member!.type)!.type!);
}

function expectStruct(types: Map<number, BtfType>, t: BtfType, name: keyof typeof STRUCTS): void {
  expect(t.kind, name).toBe('STRUCT');
  expect(t.name).toBe(name);
  const described = STRUCTS[name];
  expect(t.size, `${name} size`).toBe(described.size);
  const members = Object.fromEntries(t.members.map((m) => [m.name, [m.bitsOffset / 8, sizeOf(types, m.type)]]));
  expect(members, name).toEqual(described.members);
}

function expectSlot(types: Map<number, BtfType>, t: BtfType, slot: MapSlot, where: string): void {
  if (slot === 'u32' || slot === 'int') {
    expect(t.kind, where).toBe('INT');
    expect(t.size, where).toBe(4);
  } else if (slot === 'u64') {
    expect(t.kind, where).toBe('INT');
    expect(t.size, where).toBe(8);
  } else {
    expectStruct(types, t, slot);
  }
}

const OBJECTS = [
  // Not dump_usage: clang puts no BTF for it (a local variable's type only), so its offsets in layout.ts are not checked here.
  { object: BTF_OBJECT, maps: { ...MAP_LAYOUTS.both, ...MAP_LAYOUTS.btf }, records: ['dump_record', 'usage', 'tracked_task', 'offcpu_thread'] as const },
  { object: TRACEPOINT_OBJECT, maps: { ...MAP_LAYOUTS.both, ...MAP_LAYOUTS.tracepoint }, records: ['offcpu_thread'] as const },
];

describe.each(OBJECTS)('layout.ts against the BTF of bpf/$object', ({ object, maps, records }) => {
  it('describes every map, and every map key and value as clang laid it out', (ctx) => {
    requireOrSkip(ctx, toolMissing('bpftool', ['version'], 'bpftool'));
    const types = btfOf(object);
    const inObject = [...types.values()].filter((t) => t.kind === 'DATASEC' && t.name === '.maps');
    expect(inObject).toHaveLength(1);
    const mapNames = [...types.values()].filter((t) => t.kind === 'VAR' && resolve(types, t.type!).kind === 'STRUCT' && resolve(types, t.type!).name === '(anon)').map((t) => t.name);
    expect(mapNames.sort()).toEqual(Object.keys(maps).sort());
    for (const [map, layout] of Object.entries(maps)) {
      expectSlot(types, mapSlotType(types, map, 'key'), layout.key, `${map} key`);
      expectSlot(types, mapSlotType(types, map, 'value'), layout.value, `${map} value`);
    }
  });

  it.runIf(records.length > 0)('describes the iterator records and nested structs as clang laid them out', (ctx) => {
    requireOrSkip(ctx, toolMissing('bpftool', ['version'], 'bpftool'));
    const types = btfOf(object);
    for (const name of records) {
      const t = [...types.values()].find((x) => x.kind === 'STRUCT' && x.name === name);
      expect(t, name).toBeDefined();
      expectStruct(types, t!, name);
    }
  });
});

describe('parseRawBtf', () => {
  it('reads types and members from bpftool raw lines', () => {
    const types = parseRawBtf("[1] STRUCT 'seed' size=8 vlen=2\n\t'tgid' type_id=2 bits_offset=0\n\t'global_tgid' type_id=2 bits_offset=32\n[2] INT 'unsigned int' size=4 bits_offset=0 nr_bits=32 encoding=(none)\n");
    expect(types.get(1)).toMatchObject({ kind: 'STRUCT', name: 'seed', size: 8, members: [{ name: 'tgid', type: 2, bitsOffset: 0 }, { name: 'global_tgid', type: 2, bitsOffset: 32 }] });
    expect(sizeOf(types, 1)).toBe(8);
  });
});
