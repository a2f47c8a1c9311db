import { Dexie } from 'dexie';
import type { SourceRow, TrackingDb } from '../db/schema';
import { setSecret } from './secrets';
import { feedConfigSchema, type FeedConfig, type FeedFormat } from './feed-config';

/**
 * Adding, editing and removing sources (the user's side; the workflow only updates `cursor` and `last`).
 * Labels here are data, not UI text: the sample source is stored as "Sample data" and the views show their own
 * translated tag next to it.
 */

/** The one sample source has a fixed id, so turning sample data on twice can never make two. */
export const SAMPLE_SOURCE_ID = 'sample';
export const SAMPLE_SOURCE_LABEL = 'Sample data';


export { FEED_FORMATS, feedConfigSchema, type FeedConfig, type FeedFormat } from './feed-config';

/** The URL when `text` is an absolute http: or https: URL with a host, else undefined. */
export function parseHttpUrl(text: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return undefined;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) return undefined;
  return url;
}

/** The host-permission pattern a feed URL needs (`optional_host_permissions`), e.g. `https://esp.example/*`. */
export function originPattern(url: string): string | undefined {
  const parsed = parseHttpUrl(url);
  return parsed ? `${parsed.origin}/*` : undefined;
}

export interface FeedFormErrors {
  label?: 'required' | undefined;
  url?: 'required' | 'invalid' | undefined;
}

/** What is wrong with a feed form's values, field by field; an empty object when they can be saved. */
export function validateFeedInput(input: { label: string; url: string }): FeedFormErrors {
  const errors: FeedFormErrors = {};
  if (!input.label.trim()) errors.label = 'required';
  if (!input.url.trim()) errors.url = 'required';
  else if (!parseHttpUrl(input.url) || input.url.trim().length > 2000) errors.url = 'invalid';
  return errors;
}

/**
 * Turns sample data on: creates the sample source, or re-enables it when it exists. Its `anchor` (the time the sample
 * deliveries are laid out around) is set once, so re-enabling keeps the same deliveries rather than making new ones.
 */
export async function addSampleSource(db: TrackingDb, now: number): Promise<SourceRow> {
  return db.transaction('rw', db.sources, async () => {
    const existing = await db.sources.where('kind').equals('sample').first();
    if (existing) {
      if (!existing.enabled) await db.sources.update(existing.id, { enabled: true });
      return { ...existing, enabled: true };
    }
    const row: SourceRow = {
      id: SAMPLE_SOURCE_ID,
      kind: 'sample',
      label: SAMPLE_SOURCE_LABEL,
      enabled: true,
      config: { anchor: now },
      cursor: null,
      createdAt: now,
    };
    await db.sources.add(row);
    return row;
  });
}

export interface FeedSourceInput {
  label: string;
  url: string;
  format?: FeedFormat | undefined;
  /** Bearer token; empty or undefined = none. */
  secret?: string | undefined;
}

function feedConfig(input: { url: string; format?: FeedFormat | undefined }): FeedConfig {
  return feedConfigSchema.parse({ url: input.url.trim(), format: input.format ?? 'auto' });
}

function cleanLabel(label: string): string {
  const trimmed = label.trim();
  if (!trimmed) throw new Error('A source needs a label');
  return trimmed.slice(0, 200);
}

/** Adds an enabled feed source. Throws (nothing stored) when the label is empty or the URL is not http(s). */
export async function addFeedSource(db: TrackingDb, input: FeedSourceInput, now: number = Date.now()): Promise<SourceRow> {
  const row: SourceRow = {
    id: crypto.randomUUID(),
    kind: 'feed',
    label: cleanLabel(input.label),
    enabled: true,
    config: feedConfig(input),
    cursor: null,
    createdAt: now,
  };
  await db.sources.add(row);
  // The secret goes to browser.storage.local, never IndexedDB. Written after the row: a failure here leaves a source
  // without a token (the user sees "unauthorized" and can re-enter it), never a token without a source.
  if (input.secret) await setSecret(row.id, input.secret);
  return row;
}

export interface SourceUpdate {
  label?: string | undefined;
  /** Feed settings; a new URL restarts the source from the beginning (the old cursor belongs to the old feed). */
  url?: string | undefined;
  format?: FeedFormat | undefined;
  /** undefined = keep the saved secret; '' or null = remove it; a string = replace it. */
  secret?: string | null | undefined;
}

/** Edits a source. Throws when it does not exist or the new values are invalid (nothing is changed then). */
export async function updateSource(db: TrackingDb, id: string, update: SourceUpdate): Promise<SourceRow> {
  const updated = await db.transaction('rw', db.sources, async () => {
    const row = await db.sources.get(id);
    if (!row) throw new Error(`No source ${id}`);
    const next: SourceRow = { ...row };
    if (update.label !== undefined) next.label = cleanLabel(update.label);
    if (row.kind === 'feed' && (update.url !== undefined || update.format !== undefined)) {
      const current = feedConfigSchema.partial().parse(row.config);
      const config = feedConfig({
        url: update.url ?? current.url ?? '',
        format: update.format ?? current.format,
      });
      if (config.url !== current.url) next.cursor = null;
      next.config = { ...row.config, ...config };
    }
    await db.sources.put(next);
    return next;
  });
  if (update.secret !== undefined) await setSecret(id, update.secret ?? undefined);
  return updated;
}

export async function setSourceEnabled(db: TrackingDb, id: string, enabled: boolean): Promise<void> {
  const changed = await db.sources.update(id, { enabled });
  if (changed === 0 && !(await db.sources.get(id))) throw new Error(`No source ${id}`);
}

export interface RemoveOptions {
  /** Also delete the source's deliveries, their links, contents, event segments and aggregates. */
  withData?: boolean | undefined;
}

/**
 * Removes a source and its secret. Its events stay (the deliveries remain browsable) unless `withData`, which
 * deletes everything the source brought in, in one transaction: either all of it goes or none does.
 * Dictionary entries (recipients, user agents) are shared between sources and stay; they hold no events.
 */
export async function removeSource(db: TrackingDb, id: string, options: RemoveOptions = {}): Promise<void> {
  if (options.withData) {
    await db.transaction(
      'rw',
      [db.sources, db.deliveries, db.contents, db.urls, db.segments, db.rcpFilters, db.aggregates, db.totals],
      async () => {
        const deliveryIds = (await db.deliveries
          .where('[sourceId+extId]')
          .between([id, Dexie.minKey], [id, Dexie.maxKey])
          .primaryKeys()) as number[];
        const bySource = db.segments.where('[sourceId+tMax]').between([id, Dexie.minKey], [id, Dexie.maxKey]);
        // Each segment's recipient filter (lib/db/recipient-filter.ts) goes with it.
        await db.rcpFilters.bulkDelete((await bySource.primaryKeys()) as number[]);
        await bySource.delete();
        if (deliveryIds.length) {
          // Segments of these deliveries written under another source id cannot exist (a delivery belongs to one
          // source), but delete by delivery too so no orphan segment can outlive its delivery.
          for (const d of deliveryIds) {
            const byDelivery = db.segments.where('[deliveryId+id]').between([d, Dexie.minKey], [d, Dexie.maxKey]);
            await db.rcpFilters.bulkDelete((await byDelivery.primaryKeys()) as number[]);
            await byDelivery.delete();
          }
          await db.urls.where('deliveryId').anyOf(deliveryIds).delete();
          await db.contents.bulkDelete(deliveryIds);
          await db.aggregates.bulkDelete(deliveryIds);
          await db.totals.bulkDelete(deliveryIds);
          await db.deliveries.bulkDelete(deliveryIds);
        }
        await db.sources.delete(id);
      },
    );
  } else {
    await db.sources.delete(id);
  }
  await setSecret(id, undefined);
}
