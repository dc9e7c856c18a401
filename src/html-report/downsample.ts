/**
 * Pure, streaming: samples → at most `maxPoints` chart points, in memory
 * bounded by `maxPoints` whatever the length of the file (a 1.9 M-sample
 * file must not become 1.9 M objects).
 *
 * Each point is a bucket of consecutive samples: the first sample alone,
 * then buckets of k samples (k doubles whenever the points would exceed
 * `maxPoints`: neighbouring buckets are merged in place). A bucket keeps
 *  - gauges (CPU, RSS, counts): the highest value of its samples, so a peak
 *    is never averaged away;
 *  - cumulative counters (bytes, syscall counts): its last sample's value,
 *    so the rate between two points is the exact average over the samples
 *    between them;
 *  - which counters went down inside it (or since the previous bucket):
 *    that interval has no rate (denet: a process left the tree and took its
 *    counts with it).
 * Files up to `maxPoints` samples keep every sample as its own point.
 */
import type { ChartPoint } from './points.js';

/** The cumulative counters of a point, by the name the rates use. */
export const COUNTERS = {
  diskReadBytes: (p: ChartPoint) => p.diskReadBytes,
  diskWriteBytes: (p: ChartPoint) => p.diskWriteBytes,
  netRxBytes: (p: ChartPoint) => p.netRxBytes,
  netTxBytes: (p: ChartPoint) => p.netTxBytes,
  syscallTotal: (p: ChartPoint) => p.syscallTotal,
} as const;

/** The counter key of a syscall category's running count. */
export function categoryCounter(name: string): string {
  return `category:${name}`;
}

export interface Bucket {
  /** Gauges: the bucket's highest; counters and time: its last sample's. */
  point: ChartPoint;
  samples: number;
  /** Counter keys that went down since the previous bucket's last sample; null when none did. */
  decreased: Set<string> | null;
}

export const DEFAULT_MAX_POINTS = 10_000;

function higher(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return b > a ? b : a;
}

/** `later` with the gauges of both: the two buckets as one. */
function merge(earlier: Bucket, later: Bucket): Bucket {
  const a = earlier.point;
  const b = later.point;
  let decreased = earlier.decreased;
  if (later.decreased) decreased = decreased ? new Set([...decreased, ...later.decreased]) : later.decreased;
  return {
    point: {
      ...b,
      cpuPercent: higher(a.cpuPercent, b.cpuPercent),
      rssKb: higher(a.rssKb, b.rssKb),
      threads: higher(a.threads, b.threads),
      processes: higher(a.processes, b.processes),
    },
    samples: earlier.samples + later.samples,
    decreased,
  };
}

export class Downsampler {
  readonly #maxPoints: number;
  readonly #buckets: Bucket[] = [];
  /** Samples per full bucket (after the first, which is one sample). */
  #perBucket = 1;
  #last: ChartPoint | undefined;
  #count = 0;
  #decreasingIntervals = 0;
  readonly #categories = new Set<string>();
  #anySyscalls = false;

  constructor(maxPoints = DEFAULT_MAX_POINTS) {
    // Two points at least: the first sample's bucket, and one more.
    this.#maxPoints = Math.max(2, Math.floor(maxPoints));
  }

  /** Samples taken. */
  get count(): number {
    return this.#count;
  }

  /** The last sample taken. */
  get last(): ChartPoint | undefined {
    return this.#last;
  }

  get samplesPerPoint(): number {
    return this.#perBucket;
  }

  /** Sample intervals in which a cumulative counter went down. */
  get decreasingIntervals(): number {
    return this.#decreasingIntervals;
  }

  /** Category names seen in any sample's running syscall counts. */
  get categories(): ReadonlySet<string> {
    return this.#categories;
  }

  /** Whether any sample carried a running syscall count. */
  get anySyscalls(): boolean {
    return this.#anySyscalls;
  }

  get buckets(): readonly Bucket[] {
    return this.#buckets;
  }

  add(point: ChartPoint): void {
    const decreased = this.#last ? this.#decreases(this.#last, point) : null;
    this.#last = point;
    this.#count++;
    if (point.syscallTotal !== null) this.#anySyscalls = true;
    for (const name of Object.keys(point.syscallsByCategory ?? {})) this.#categories.add(name);

    const bucket: Bucket = { point, samples: 1, decreased };
    const open = this.#buckets[this.#buckets.length - 1];
    // The first bucket is the first sample alone; later ones fill up to #perBucket.
    if (open && this.#buckets.length > 1 && open.samples < this.#perBucket) {
      this.#buckets[this.#buckets.length - 1] = merge(open, bucket);
    } else {
      this.#buckets.push(bucket);
      if (this.#buckets.length > this.#maxPoints) this.#halve();
    }
  }

  /** Counter keys that went down from `a` to `b` (null when none did). */
  #decreases(a: ChartPoint, b: ChartPoint): Set<string> | null {
    let out: Set<string> | null = null;
    const mark = (key: string, va: number | null | undefined, vb: number | null | undefined) => {
      if (va == null || vb == null || vb >= va) return;
      (out ??= new Set()).add(key);
    };
    for (const [key, read] of Object.entries(COUNTERS)) mark(key, read(a), read(b));
    if (a.syscallsByCategory && b.syscallsByCategory) {
      for (const [name, vb] of Object.entries(b.syscallsByCategory)) mark(categoryCounter(name), a.syscallsByCategory[name], vb);
    }
    if (out) this.#decreasingIntervals++;
    return out;
  }

  /** Merges neighbouring buckets after the first: about half as many, each twice as long. */
  #halve(): void {
    this.#perBucket *= 2;
    const merged: Bucket[] = [this.#buckets[0]!];
    for (let i = 1; i < this.#buckets.length; i += 2) {
      const a = this.#buckets[i]!;
      const b = this.#buckets[i + 1];
      merged.push(b ? merge(a, b) : a);
    }
    this.#buckets.splice(0, this.#buckets.length, ...merged);
  }
}
