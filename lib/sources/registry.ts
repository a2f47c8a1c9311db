import { Dexie } from 'dexie';
import type { ProviderKind, SourceRow, TrackingDb } from '../db/schema';
import { setSecret, updateSecretFields } from './secrets';
import { feedConfigSchema, type FeedConfig, type FeedFormat } from './feed-config';
import {
  configFromValues,
  providerOf,
  secretFieldsOf,
  validateProviderValues,
  type ProviderDescriptor,
  type ProviderValues,
} from './providers';

/**
 * Adding, editing and removing sources (the user's side; the workflow only updates `cursor` and `last`).
 * Labels here are data, not UI text: the sample source is stored as "Sample data" and the views show their own
 * translated tag next to it.
 */

export { addSampleSource, SAMPLE_SOURCE_ID, SAMPLE_SOURCE_LABEL } from './sample-source';


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
      [db.sources, db.deliveries, db.contents, db.safeEmails, db.urls, db.segments, db.rcpFilters, db.heavyEvents, db.aggregates, db.totals],
      async () => {
        const deliveryIds = (await db.deliveries
          .where('[sourceId+extId]')
          .between([id, Dexie.minKey], [id, Dexie.maxKey])
          .primaryKeys()) as number[];
        const bySource = db.segments.where('[sourceId+tMax]').between([id, Dexie.minKey], [id, Dexie.maxKey]);
        // Each segment's recipient filter (lib/db/recipient-filter.ts) goes with it, and the heavy-recipient rows
        // of the source's pages (lib/db/heavy.ts).
        await db.rcpFilters.bulkDelete((await bySource.primaryKeys()) as number[]);
        await bySource.delete();
        await db.heavyEvents.where('sourceId').equals(id).delete();
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
          await db.safeEmails.bulkDelete(deliveryIds);
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

// ---------------------------------------------------------------------------------------------------------------
// Provider sources (lib/sources/providers.ts)

export interface ProviderSourceInput {
  kind: ProviderKind;
  label: string;
  /** The form's fields by name, secrets included (they are split off and never reach IndexedDB). */
  values: ProviderValues;
}

function provider(kind: string): ProviderDescriptor {
  const p = providerOf(kind);
  if (!p) throw new Error(`Not a provider: ${kind}`);
  return p;
}

/** The secret fields of `values`: a typed value replaces, an empty one keeps what is saved. */
function secretUpdate(p: ProviderDescriptor, values: ProviderValues): Record<string, string | undefined> {
  const update: Record<string, string | undefined> = {};
  for (const f of secretFieldsOf(p)) {
    const v = values[f.name]?.trim();
    update[f.name] = v ? v : undefined;
  }
  return update;
}

function checkedConfig(p: ProviderDescriptor, values: ProviderValues, saved: readonly string[]): Record<string, unknown> {
  const errors = validateProviderValues(p, values, saved);
  const first = Object.entries(errors)[0];
  if (first) throw new Error(`Invalid ${p.kind} setting ${first[0]}: ${first[1]!.code}`);
  return p.configSchema.parse(configFromValues(p, values));
}

/** Adds an enabled provider source; its secret fields go to browser.storage.local. Throws (nothing stored) when invalid. */
export async function addProviderSource(db: TrackingDb, input: ProviderSourceInput, now: number = Date.now()): Promise<SourceRow> {
  const p = provider(input.kind);
  const row: SourceRow = {
    id: crypto.randomUUID(),
    kind: p.kind,
    label: cleanLabel(input.label),
    enabled: true,
    config: checkedConfig(p, input.values, []),
    cursor: null,
    createdAt: now,
  };
  await db.sources.add(row);
  // As for feeds: the row first, so a failure leaves a source without a key (reported as such), never a lone key.
  await updateSecretFields(row.id, secretUpdate(p, input.values));
  return row;
}

/**
 * Edits a provider source: label, settings, and the secret fields typed in (empty = keep the saved one). Settings
 * that name another account or host (region, domain, stream, base URL) restart it from the beginning: the old
 * cursor belongs to the old account. A new key alone keeps the cursor.
 */
export async function updateProviderSource(
  db: TrackingDb,
  id: string,
  update: { label: string; values: ProviderValues; savedSecrets: readonly string[] },
): Promise<SourceRow> {
  const updated = await db.transaction('rw', db.sources, async () => {
    const row = await db.sources.get(id);
    if (!row) throw new Error(`No source ${id}`);
    const p = provider(row.kind);
    const config = checkedConfig(p, update.values, update.savedSecrets);
    const next: SourceRow = { ...row, label: cleanLabel(update.label), config };
    if (JSON.stringify(config) !== JSON.stringify(p.configSchema.safeParse(row.config).data ?? row.config)) next.cursor = null;
    await db.sources.put(next);
    return next;
  });
  await updateSecretFields(id, secretUpdate(provider(updated.kind), update.values));
  return updated;
}
