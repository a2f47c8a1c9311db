import { describe, expect, it } from 'vitest';
import { dictionaryKeys } from '../../../../lib/db/dictionary';
import type { TrackingDb } from '../../../../lib/db/schema';
import { packEvents } from '../../../../lib/sources/packed-events';
import type { EventInput } from '../../../../lib/sources/source';
import { EventFlag } from '../../../../lib/event-types';
import { hash53 } from '../../../../lib/workflow/hash';
import { StoreWriter } from '../../../../lib/workflow/store-writer';
import { addFeed, commitInPages, freshDb } from './helpers';

/**
 * 2 000 events over three deliveries, out of time order, with repeats of earlier ids (duplicates), persons, IPs,
 * machine and proxy flags, clicks by URL id or by URL only, and agents absent or empty.
 */
function events(): EventInput[] {
  const start = Date.UTC(2026, 10, 20, 9);
  return Array.from({ length: 2000 }, (_, i) => {
    const id = i % 9 === 8 ? `e${i - 40}` : `e${i}`; // a repeat of an event 40 back: same id, same time
    const at = i % 9 === 8 ? i - 40 : i;
    const click = at % 4 !== 0;
    return {
      id,
      deliveryExtId: `D${at % 3}`,
      recipient: `r${at % 311}@example.com`,
      type: click ? 1 : 2,
      // Pages are not in time order: every 10 events run backwards.
      time: start + (at - (at % 10) + (9 - (at % 10))) * 37_000,
      urlExtId: click && at % 2 ? `U${at % 5}` : undefined,
      url: click ? `https://shop.example/${at % 5}` : undefined,
      userAgent: at % 13 === 0 ? undefined : at % 17 === 0 ? '' : `Agent ${at % 6}`,
      ip: at % 3 === 0 ? `192.0.2.${at % 50}` : undefined,
      person: at % 4 === 1 ? `v${at % 90}` : undefined,
      machine: at % 19 === 0 ? true : at % 23 === 0 ? false : undefined,
      proxy: at % 29 === 0 ? true : undefined,
    } satisfies EventInput;
  });
}

async function ingest(db: TrackingDb, evts: EventInput[], packed: boolean): Promise<void> {
  await addFeed(db);
  const writer = new StoreWriter(db);
  await commitInPages(db, 'src-1', evts, 300, () => Promise.resolve(writer), packed ? packEvents : undefined);
  await writer.finish();
}

/** Every stored event with its strings looked up again, in a comparable form. */
async function stored(db: TrackingDb): Promise<string[]> {
  const [recipients, agents, persons, ips] = await Promise.all([
    dictionaryKeys(db, 'recipients'),
    dictionaryKeys(db, 'agents'),
    dictionaryKeys(db, 'persons'),
    dictionaryKeys(db, 'ips'),
  ]);
  const deliveries = new Map((await db.deliveries.toArray()).map((d) => [d.id!, d.extId]));
  const urls = new Map((await db.urls.toArray()).map((u) => [u.id!, u.extId]));
  const name = (keys: string[], id: number | undefined): string => (id ? keys[id]! : '-');
  const segments = await db.segments.toArray();
  return segments
    .flatMap((s) =>
      Array.from({ length: s.n }, (_, i) =>
        [
          s.h[i],
          deliveries.get(s.deliveryId),
          s.t[i],
          name(recipients, s.rcp[i]),
          s.type[i],
          urls.get(s.url[i]!) ?? '-',
          name(agents, s.ua[i]),
          name(persons, s.person[i]),
          name(ips, s.ip?.[i]),
          s.flags[i]! & (EventFlag.machine | EventFlag.proxy),
        ].join('|'),
      ),
    )
    .sort();
}

/** What the store should hold for `evts`: the first event of each id, as {@link stored} shows it. */
function expected(evts: EventInput[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const e of evts) {
    if (seen.has(e.id)) continue;
    seen.add(e.id);
    const flags = (e.machine ? EventFlag.machine : 0) | (e.proxy ? EventFlag.proxy : 0);
    out.push(
      [hash53(e.id), e.deliveryExtId, Math.floor(e.time / 1000), e.recipient, e.type, e.urlExtId ?? e.url ?? '-', e.userAgent || '-', e.person || '-', e.ip || '-', flags].join('|'),
    );
  }
  return out.sort();
}

describe('StoreWriter', () => {
  it('stores every field of every new event, given as objects or in columns, and drops the repeats', async () => {
    const evts = events();
    const want = expected(evts);
    expect(want.length).toBeLessThan(evts.length); // the fixture has repeats
    for (const packed of [false, true]) {
      const db = freshDb();
      await ingest(db, evts, packed);
      expect(await stored(db)).toEqual(want);
    }
  });
});
