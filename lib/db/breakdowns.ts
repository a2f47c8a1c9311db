import { OTHERS, recipientDomainGroup } from '../indicators/domains';
import type { DictName, TrackingDb } from './schema';

/**
 * What the statistics breakdowns need from the dictionaries, cached per page: the domain group of every recipient
 * id and the string of every user-agent id. Dictionaries only grow (ids are given in order, in chunks), so a later
 * call reads only the chunks added since the previous one: opening a second delivery, or the same one after a run,
 * costs little.
 */

interface Cache<T> {
  /** Highest id loaded. */
  size: number;
  /** `firstId` of the last chunk loaded: if it is gone, the dictionary was cleared (source removed) and is reread. */
  lastFirst: number;
  values: T;
  loading?: Promise<void> | undefined;
}

const groupCaches = new WeakMap<TrackingDb, Cache<Int8Array>>();
const agentCaches = new WeakMap<TrackingDb, Cache<string[]>>();

/** Reads the chunks of `name` after `c.size` (all of them when the dictionary was cleared since). */
async function loadNewChunks<T>(
  db: TrackingDb,
  name: DictName,
  c: Cache<T>,
  reset: () => void,
  each: (firstId: number, keys: string[]) => void,
): Promise<void> {
  if (c.size > 0 && (await db.dicts.where('[name+firstId]').equals([name, c.lastFirst]).count()) === 0) {
    c.size = 0;
    c.lastFirst = 0;
    reset();
  }
  await db.dicts
    .where('[name+firstId]')
    .between([name, c.size + 1], [name, Infinity])
    .each((chunk) => {
      each(chunk.firstId, chunk.keys);
      c.size = Math.max(c.size, chunk.firstId + chunk.keys.length - 1);
      c.lastFirst = Math.max(c.lastFirst, chunk.firstId);
    });
}

/** A function giving the DOMAIN_GROUPS index (or OTHERS) of a recipient id, from the recipients dictionary. */
export async function recipientDomainGroups(db: TrackingDb): Promise<(recipientId: number) => number> {
  let cache = groupCaches.get(db);
  if (!cache) groupCaches.set(db, (cache = { size: 0, lastFirst: 0, values: new Int8Array(1024) }));
  const c = cache;
  // One load at a time: two views asking together share it.
  while (c.loading) await c.loading;
  c.loading = (async () => {
    const reset = (): void => {
      c.values = new Int8Array(1024);
    };
    await loadNewChunks(db, 'recipients', c, reset, (firstId, keys) => {
      const end = firstId + keys.length;
      if (end > c.values.length) {
        const grown = new Int8Array(Math.max(end, c.values.length * 2));
        grown.set(c.values);
        c.values = grown;
      }
      for (let i = 0; i < keys.length; i++) c.values[firstId + i] = recipientDomainGroup(keys[i]!);
    });
  })();
  try {
    await c.loading;
  } finally {
    c.loading = undefined;
  }
  const values = c.values;
  const size = c.size;
  return (id) => (id > 0 && id <= size ? values[id]! : OTHERS);
}

/** Every user-agent string by id (index = id; 0 unused). */
export async function agentKeys(db: TrackingDb): Promise<readonly string[]> {
  let cache = agentCaches.get(db);
  if (!cache) agentCaches.set(db, (cache = { size: 0, lastFirst: 0, values: [''] }));
  const c = cache;
  while (c.loading) await c.loading;
  c.loading = (async () => {
    const reset = (): void => {
      c.values = [''];
    };
    await loadNewChunks(db, 'agents', c, reset, (firstId, keys) => {
      for (let i = 0; i < keys.length; i++) c.values[firstId + i] = keys[i]!;
    });
  })();
  try {
    await c.loading;
  } finally {
    c.loading = undefined;
  }
  return c.values;
}

/** Forgets the caches of `db` (tests; a store that was cleared and refilled). */
export function resetBreakdownCaches(db: TrackingDb): void {
  groupCaches.delete(db);
  agentCaches.delete(db);
}
