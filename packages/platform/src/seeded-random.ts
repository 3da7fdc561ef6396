/**
 * mulberry32: a small, fast generator of numbers in [0, 1) that gives the same sequence for the
 * same seed on every machine — for demo histories that must be the same on every start, and for
 * tests whose failures must be reproducible from the seed they print. Not for anything secret.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
