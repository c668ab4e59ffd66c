/*
 * Compact de-duplication keys for imports of millions of rows. A key (`uscc:…`, `domain:…`,
 * `name:<normalised name>|<city>`, see domain/dedupe) is reduced to a 64-bit hash held as two
 * 32-bit halves, and the table maps hashes to small integers in typed arrays: 12 bytes a slot,
 * no per-key object, nothing for the garbage collector. With 64 bits, two different keys among
 * three million share a hash with probability about 2.4e-7.
 */

/** A key's 64-bit hash as two unsigned 32-bit halves; (0, 0) is reserved for "no key". */
export interface KeyHash {
  hi: number;
  lo: number;
}

/** Two independent 32-bit multiplicative hashes over the UTF-16 code units (cyrb53-style mixing). */
export function hashKey(text: string, out: Uint32Array, at: number): void {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  let hi = h1 >>> 0;
  const lo = h2 >>> 0;
  // Keep (0, 0) free to mean "no key".
  if (hi === 0 && lo === 0) hi = 1;
  out[at] = hi;
  out[at + 1] = lo;
}

/** Open-addressing hash table from 64-bit key hashes to non-negative integers; grows as needed. */
export class KeyTable {
  private hi: Uint32Array;
  private lo: Uint32Array;
  private values: Int32Array;
  private mask: number;
  private count = 0;

  constructor(expectedKeys = 1024) {
    let capacity = 1024;
    while (capacity * 0.7 < expectedKeys) capacity *= 2;
    this.hi = new Uint32Array(capacity);
    this.lo = new Uint32Array(capacity);
    this.values = new Int32Array(capacity);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.count;
  }

  /** Bytes held by the table's arrays. */
  get bytes(): number {
    return this.hi.byteLength + this.lo.byteLength + this.values.byteLength;
  }

  /** The value for the hash, or -1. */
  get(hi: number, lo: number): number {
    let slot = (lo ^ Math.imul(hi, 0x9e3779b1)) & this.mask;
    for (;;) {
      const h = this.hi[slot] as number;
      const l = this.lo[slot] as number;
      if (h === 0 && l === 0) return -1;
      if (h === hi && l === lo) return this.values[slot] as number;
      slot = (slot + 1) & this.mask;
    }
  }

  /** Stores the value unless the hash is already present; returns the value the table holds afterwards. */
  setIfAbsent(hi: number, lo: number, value: number): number {
    if ((this.count + 1) / (this.mask + 1) > 0.7) this.grow();
    let slot = (lo ^ Math.imul(hi, 0x9e3779b1)) & this.mask;
    for (;;) {
      const h = this.hi[slot] as number;
      const l = this.lo[slot] as number;
      if (h === 0 && l === 0) {
        this.hi[slot] = hi;
        this.lo[slot] = lo;
        this.values[slot] = value;
        this.count++;
        return value;
      }
      if (h === hi && l === lo) return this.values[slot] as number;
      slot = (slot + 1) & this.mask;
    }
  }

  /** Empties the table and gives back the memory of its arrays (a million-row import holds ~50 MB here). */
  clear(): void {
    this.hi = new Uint32Array(1024);
    this.lo = new Uint32Array(1024);
    this.values = new Int32Array(1024);
    this.mask = 1023;
    this.count = 0;
  }

  private grow(): void {
    const { hi, lo, values } = this;
    const capacity = (this.mask + 1) * 2;
    this.hi = new Uint32Array(capacity);
    this.lo = new Uint32Array(capacity);
    this.values = new Int32Array(capacity);
    this.mask = capacity - 1;
    this.count = 0;
    for (let i = 0; i < hi.length; i++) {
      const h = hi[i] as number;
      const l = lo[i] as number;
      if (h !== 0 || l !== 0) this.setIfAbsent(h, l, values[i] as number);
    }
  }
}

/*
 * The columns below grow by whole chunks of CHUNK entries: no doubling, so no moment that holds the old and the
 * new array at once and no unused half (a million leaders: 8 MiB a hash column instead of up to 16 + 8 while it
 * grows), and nothing in V8's heap.
 */
const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
const IN_CHUNK = CHUNK - 1;

/** A growable array of 64-bit hashes (two Uint32 per entry), indexed by a small integer; unset entries are (0, 0). */
export class HashColumn {
  private readonly chunks: Uint32Array[] = [];

  set(index: number, hi: number, lo: number): void {
    const c = index >>> CHUNK_BITS;
    while (this.chunks.length <= c) this.chunks.push(new Uint32Array(CHUNK * 2));
    const chunk = this.chunks[c] as Uint32Array;
    const at = (index & IN_CHUNK) * 2;
    chunk[at] = hi;
    chunk[at + 1] = lo;
  }

  hi(index: number): number {
    return this.chunks[index >>> CHUNK_BITS]?.[(index & IN_CHUNK) * 2] ?? 0;
  }

  lo(index: number): number {
    return this.chunks[index >>> CHUNK_BITS]?.[(index & IN_CHUNK) * 2 + 1] ?? 0;
  }
}

/** A growable list of 32-bit integers (line numbers), appended to and read by index. */
export class IntColumn {
  private readonly chunks: Int32Array[] = [];
  private count = 0;

  get length(): number {
    return this.count;
  }

  push(value: number): void {
    const c = this.count >>> CHUNK_BITS;
    if (c === this.chunks.length) this.chunks.push(new Int32Array(CHUNK));
    (this.chunks[c] as Int32Array)[this.count & IN_CHUNK] = value;
    this.count++;
  }

  /** The value at `index` (0 beyond the end). */
  at(index: number): number {
    return this.chunks[index >>> CHUNK_BITS]?.[index & IN_CHUNK] ?? 0;
  }
}
