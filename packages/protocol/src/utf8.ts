/**
 * Measuring text in UTF-8 bytes without encoding it: the protocol states its size limits in
 * bytes on the wire, and both sides check them on strings.
 *
 * @module
 */

/** UTF-8 bytes of `text`, counted until the count passes `stopAbove`. */
function countUtf8(text: string, stopAbove: number): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // A surrogate pair (2 code units) is 4 bytes: 2 per unit, which is what this adds.
    bytes += c < 0x80 ? 1 : c < 0x800 || (c >= 0xd800 && c <= 0xdfff) ? 2 : 3;
    if (bytes > stopAbove) return bytes;
  }
  return bytes;
}

/**
 * Whether `text` takes more than `maxBytes` in UTF-8. The exact size is only counted when the
 * cheap bounds cannot decide: a string of n UTF-16 code units encodes to between n and 3n
 * UTF-8 bytes, and the count stops as soon as it passes `maxBytes`.
 *
 * @param text - any string.
 * @param maxBytes - the limit.
 * @returns true when the UTF-8 size exceeds `maxBytes`.
 * @example
 * ```ts
 * if (exceedsUtf8(text, 16 * 1024)) reply("too_large");
 * ```
 */
export function exceedsUtf8(text: string, maxBytes: number): boolean {
  const n = text.length;
  if (n > maxBytes) return true;
  if (3 * n <= maxBytes) return false;
  return countUtf8(text, maxBytes) > maxBytes;
}

/**
 * @param text - any string.
 * @returns its size in UTF-8 bytes, as `new TextEncoder().encode(text).length` for well-formed
 *   text (a lone surrogate counts 2 bytes here, 3 there).
 */
export function utf8Length(text: string): number {
  return countUtf8(text, Infinity);
}
