/**
 * Integer hashing: the only source of "randomness" in the mock server.
 *
 * Every noisy value, spike, burst and event is derived from a hash of its coordinates
 * (seed, source, metric, sample index) instead of a random number generator. That is what
 * makes the data reproducible: any sample, at any time, can be recomputed on its own, in any
 * order, without replaying a generator state. `Math.random` is never used for data.
 *
 * The mixers are MurmurHash3's 32-bit finalizer (`fmix32`) and FNV-1a for strings, both done
 * with `Math.imul` so they stay in exact 32-bit integer arithmetic in JavaScript.
 */

/** 2^32, to turn a 32-bit hash into a fraction and to split large integers. */
const TWO_POW_32 = 4294967296;

/** MurmurHash3 finalizer: a fast, well-avalanching bijection on 32-bit unsigned integers. */
export function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Combines a 32-bit hash with one more 32-bit word (order matters). */
export function combine(h: number, word: number): number {
  // The golden-ratio constant keeps combine(0, 0) away from the fixed point 0 of mix32.
  return mix32((h ^ Math.imul(word | 0, 0x9e3779b1)) + 0x7f4a7c15);
}

/**
 * Hashes a non-negative integer up to 2^53 (sample indexes at 1 kHz exceed 2^32) into `h`.
 * The integer is split into its low and high 32-bit halves, both mixed in.
 */
export function combineIndex(h: number, index: number): number {
  const low = index >>> 0; // ToUint32 is index mod 2^32 for any integer below 2^53
  const high = Math.floor(index / TWO_POW_32);
  return combine(combine(h, low), high);
}

/** FNV-1a over UTF-16 code units, then mixed: a stable 32-bit hash of a string. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h >>> 0);
}

/** Maps a 32-bit hash to a fraction in [0, 1). */
export function unit(h: number): number {
  return h / TWO_POW_32;
}

/** Maps a 32-bit hash to a fraction in [-1, 1). */
export function signedUnit(h: number): number {
  return (h / TWO_POW_32) * 2 - 1;
}
