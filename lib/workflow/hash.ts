/**
 * 53-bit string hash (cyrb53 by bryc, public domain), exact in a float64. Dedupe keys events by the hash of
 * their event id, per source: within one source and a time window, the chance of two different ids colliding is
 * ~n²/2^54 (about 1 in 700 000 for 100 000 events), and a collision would drop one event, never count one twice.
 */
export function hash53(str: string, seed = 0): number {
  return hash53Range(str, 0, str.length, seed);
}

/**
 * {@link hash53} of `str.slice(start, end)`, without making the slice: the store hashes event ids and recipients
 * straight out of a page's joined columns (lib/sources/packed-events.ts).
 */
export function hash53Range(str: string, start: number, end: number, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = start; i < end; i++) {
    const ch = str.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
