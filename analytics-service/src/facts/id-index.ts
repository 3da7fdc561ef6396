/**
 * Rows by incident id without a string or a map entry per fact: each id is kept as its 128 bits
 * (four 32-bit words in one typed array, by row) and found through an open-addressing table of
 * row numbers (linear probing, at most three quarters full). A `Map` of id strings held about
 * 100 bytes of JavaScript heap per fact, which at ten million facts exhausted V8's 4 GB heap
 * (bench/RESULTS.md, issue 24); this takes 16 bytes per row and 4 to 10 per slot, off the heap.
 */
export class IdIndex {
  /** The ids by row: row r's words at 4r … 4r + 3. */
  private words: Uint32Array;
  /** Row + 1 in each used slot, 0 in a free one. */
  private slots: Int32Array;
  private mask: number;
  private rows = 0;
  private readonly parsed = new Uint32Array(4);

  constructor(capacity = 1024) {
    this.words = new Uint32Array(4 * Math.max(16, capacity));
    const size = slotsFor(Math.max(16, capacity));
    this.slots = new Int32Array(size);
    this.mask = size - 1;
  }

  /** The row of `id`, adding it as the next row when it is new. */
  rowFor(id: string): number {
    const words = parseUuid(id, this.parsed);
    let slot = this.slotOf(words);
    const found = this.slots[slot]!;
    if (found !== 0) return found - 1;
    const row = this.rows;
    if (4 * (row + 1) > this.words.length) {
      const wider = new Uint32Array(Math.ceil(this.words.length * 1.5));
      wider.set(this.words);
      this.words = wider;
    }
    this.words.set(words, 4 * row);
    this.rows = row + 1;
    if (4 * this.rows > 3 * this.slots.length) {
      this.rehash(this.slots.length * 2);
      slot = this.slotOf(words);
    }
    this.slots[slot] = row + 1;
    return row;
  }

  /** The slot holding the id in `words`, or the free slot where it would go. */
  private slotOf(words: Uint32Array): number {
    const [a, b, c, d] = words as unknown as [number, number, number, number];
    let slot = hash(a, b, c, d) & this.mask;
    for (;;) {
      const entry = this.slots[slot]!;
      if (entry === 0) return slot;
      const at = 4 * (entry - 1);
      if (this.words[at] === a && this.words[at + 1] === b && this.words[at + 2] === c && this.words[at + 3] === d) return slot;
      slot = (slot + 1) & this.mask;
    }
  }

  private rehash(size: number): void {
    const slots = new Int32Array(size);
    const mask = size - 1;
    for (let row = 0; row < this.rows; row++) {
      const at = 4 * row;
      let slot = hash(this.words[at]!, this.words[at + 1]!, this.words[at + 2]!, this.words[at + 3]!) & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = row + 1;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

/** A power of two at least 4/3 of `rows`, so the table starts at most three quarters full. */
function slotsFor(rows: number): number {
  let size = 16;
  while (3 * size < 4 * rows) size *= 2;
  return size;
}

/** All 128 bits mixed (random v4 ids and time-ordered v7 ids alike), murmur3's finalizer last. */
function hash(a: number, b: number, c: number, d: number): number {
  let h = Math.imul(a ^ Math.imul(b, 0x85ebca6b), 0xcc9e2d51) ^ Math.imul(c ^ (d >>> 7), 0x1b873593) ^ d;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const HEX = new Int8Array(128).fill(-1);
for (let digit = 0; digit < 16; digit++) {
  HEX['0123456789abcdef'.charCodeAt(digit)] = digit;
  HEX['0123456789ABCDEF'.charCodeAt(digit)] = digit;
}

/** A UUID in its canonical text (8-4-4-4-12 hex digits) as four 32-bit words, into `into`. */
export function parseUuid(id: string, into: Uint32Array): Uint32Array {
  if (id.length !== 36 || id.charCodeAt(8) !== 45 || id.charCodeAt(13) !== 45 || id.charCodeAt(18) !== 45 || id.charCodeAt(23) !== 45) {
    throw new Error(`not a UUID: ${JSON.stringify(id)}`);
  }
  let word = 0;
  let digits = 0;
  let at = 0;
  for (let index = 0; index < 36; index++) {
    const code = id.charCodeAt(index);
    if (code === 45) continue;
    const value = code < 128 ? HEX[code]! : -1;
    if (value < 0) throw new Error(`not a UUID: ${JSON.stringify(id)}`);
    word = word * 16 + value;
    if (++digits === 8) {
      into[at++] = word;
      word = 0;
      digits = 0;
    }
  }
  return into;
}
