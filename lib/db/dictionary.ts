import { hash53, hash53Range } from '../workflow/hash';
import { detached } from '../workflow/strings';
import { HashMap53 } from '../workflow/hash-set';
import type { DictChunkRow, DictName, TrackingDb } from './schema';

/**
 * An interning dictionary (recipients, user agents, persons): each distinct string gets a small number, 1, 2, 3 …
 * in order of first appearance, and events store the number.
 *
 * Stored as chunks, one record per committed page that met new strings (`firstId` and the strings in id order),
 * never a record per string: a row per string with its indexes writes at the same ~7 000 rows/s as a row per
 * event (../shared/architecture.md), which a 300 000-recipient first import would feel for most of a minute. The
 * whole dictionary is read once per run (a few hundred ms for a million strings) and kept in memory for it.
 *
 * In memory, strings are found by their 53-bit hash (HashMap53), not in a Map<string, number>: that lookup was
 * the largest cost of ingest after JSON parsing. Two different strings with the same hash would share an id: for
 * a million recipients the chance is about 1 in 18 000 000.
 */
/** Most strings a dictionary's front cache keeps ({@link Dictionary.internCached}). */
const FRONT_CACHE_MAX = 4096;

export class Dictionary {
  private readonly ids: HashMap53;
  private size = 0;
  private pending: string[] = [];
  private pendingFirst = 1;
  /**
   * Ids by the string itself, in front of the hash map, for dictionaries of few, long strings (user agents: a
   * dozen to a few thousand strings of ~100 characters, one per event). Hashing such a string in JS for every
   * event cost more than the engine's own string hash, which a string computes once and keeps; with the page's
   * repeats made one string object (lib/sources/feed-format.ts) the lookup is then mostly a pointer compare.
   * Bounded: past FRONT_CACHE_MAX strings, new ones go to the hash map only.
   */
  private readonly front = new Map<string, number>();

  /** `capacity`: the number of strings expected, so a large dictionary is not rehashed as it loads. */
  private constructor(
    readonly name: DictName,
    capacity?: number,
  ) {
    this.ids = new HashMap53(capacity);
  }

  static async load(db: TrackingDb, name: DictName): Promise<Dictionary> {
    const chunks = await db.dicts.where('[name+firstId]').between([name, 0], [name, Infinity]).toArray();
    let expected = 0;
    for (const chunk of chunks) expected += chunk.keys.length;
    const dict = new Dictionary(name, Math.max(1024, expected * 1.25));
    for (const chunk of chunks) {
      const { keys, firstId } = chunk;
      for (let i = 0; i < keys.length; i++) dict.ids.setIfAbsent(hash53(keys[i]!), firstId + i);
      dict.size = Math.max(dict.size, firstId + keys.length - 1);
    }
    dict.pendingFirst = dict.size + 1;
    return dict;
  }

  get(key: string): number | undefined {
    return this.ids.get(hash53(key)) || undefined;
  }

  /** {@link intern} through a Map keyed by the string: for dictionaries of few distinct, long strings. */
  internCached(key: string): number {
    let id = this.front.get(key);
    if (id === undefined) {
      id = this.intern(key);
      // Copied: the key may be a slice of a page's body, which the cache would otherwise keep (../workflow/strings).
      if (this.front.size < FRONT_CACHE_MAX) this.front.set(detached(key), id);
    }
    return id;
  }

  /** The key's id, giving it the next id when new (written by the next `takePending`). */
  intern(key: string): number {
    const id = this.ids.getOrSet(hash53(key), this.size + 1);
    if (id !== 0) return id;
    this.pending.push(key);
    return ++this.size;
  }

  /**
   * {@link intern} of `text.slice(start, end)`, cut only when it is new: a page's recipients come as one joined
   * string (lib/sources/packed-events.ts), and most of them are already known.
   */
  internRange(text: string, start: number, end: number): number {
    const id = this.ids.getOrSet(hash53Range(text, start, end), this.size + 1);
    if (id !== 0) return id;
    this.pending.push(text.slice(start, end));
    return ++this.size;
  }

  /** The chunk of strings added since the last call, to commit with the page that introduced them. */
  takePending(): DictChunkRow | undefined {
    if (this.pending.length === 0) return undefined;
    const chunk: DictChunkRow = { name: this.name, firstId: this.pendingFirst, keys: this.pending };
    this.pending = [];
    this.pendingFirst = this.size + 1;
    return chunk;
  }
}

/** Every string of a dictionary by id (index = id; index 0 unused), for views that show recipients or agents. */
export async function dictionaryKeys(db: TrackingDb, name: DictName): Promise<string[]> {
  const out: string[] = [''];
  await db.dicts
    .where('[name+firstId]')
    .between([name, 0], [name, Infinity])
    .each((chunk) => {
      for (let i = 0; i < chunk.keys.length; i++) out[chunk.firstId + i] = chunk.keys[i]!;
    });
  return out;
}

/**
 * The strings of at least the given ids (a Map id → string), reading only the chunks that hold them: what a view needs
 * when the dictionary is large (every client IP, every user agent of the store) but it shows a few of them.
 */
export async function dictionaryStrings(db: TrackingDb, name: DictName, ids: Iterable<number>): Promise<Map<number, string>> {
  const wanted = [...new Set(ids)].filter((id) => id > 0).sort((a, b) => a - b);
  const out = new Map<number, string>();
  let end = 0; // ids below `end` were covered by the last chunk read
  for (const id of wanted) {
    if (id < end) continue;
    const chunk = await db.dicts.where('[name+firstId]').between([name, 0], [name, id], true, true).last();
    if (!chunk) continue;
    end = chunk.firstId + chunk.keys.length;
    for (let i = 0; i < chunk.keys.length; i++) out.set(chunk.firstId + i, chunk.keys[i]!);
  }
  return out; // with the other strings of the chunks read: harmless, and cheaper than picking

}
