import { browser } from 'wxt/browser';

/**
 * Source secrets (bearer tokens, API keys) live in browser.storage.local only: never in IndexedDB, never synced,
 * logged, exported or shown back (../shared/architecture.md, "Security model"). The UI only learns whether one is set.
 *
 * A feed keeps one string under `secret:<id>`. A provider source keeps an object of its secret fields by name
 * (`{ apiKey: "…" }`) under the same key; `getSecret` then answers the first field, so an adapter with a single
 * secret can read `FetchContext.secret` whatever the storage shape.
 */
const key = (sourceId: string): string => `secret:${sourceId}`;

type Stored = string | Record<string, string>;

async function read(sourceId: string): Promise<Stored | undefined> {
  const k = key(sourceId);
  const value = (await browser.storage.local.get(k))[k];
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const fields: Record<string, string> = {};
    for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
      if (typeof v === 'string' && v !== '') fields[name] = v;
    }
    return Object.keys(fields).length ? fields : undefined;
  }
  return undefined;
}

export async function getSecret(sourceId: string): Promise<string | undefined> {
  const stored = await read(sourceId);
  if (stored === undefined || typeof stored === 'string') return stored;
  return Object.values(stored)[0];
}

export async function setSecret(sourceId: string, secret: string | undefined): Promise<void> {
  if (secret === undefined || secret === '') await browser.storage.local.remove(key(sourceId));
  else await browser.storage.local.set({ [key(sourceId)]: secret });
}

export async function hasSecret(sourceId: string): Promise<boolean> {
  return (await read(sourceId)) !== undefined;
}

/** A provider source's secret fields by name (empty when none is saved). */
export async function getSecretFields(sourceId: string): Promise<Record<string, string>> {
  const stored = await read(sourceId);
  if (stored === undefined) return {};
  return typeof stored === 'string' ? { secret: stored } : stored;
}

/** Names of the secret fields saved for a source (what the edit form says is "saved"), never their values. */
export async function savedSecretFields(sourceId: string): Promise<string[]> {
  return Object.keys(await getSecretFields(sourceId));
}

/**
 * Changes a provider source's secret fields: a string replaces the field, '' or null removes it, undefined (or a
 * field left out) keeps what is saved. Removes the storage entry when no field is left.
 */
export async function updateSecretFields(
  sourceId: string,
  update: Readonly<Record<string, string | null | undefined>>,
): Promise<void> {
  const next = await getSecretFields(sourceId);
  for (const [name, value] of Object.entries(update)) {
    if (value === undefined) continue;
    if (value === null || value === '') delete next[name];
    else next[name] = value;
  }
  if (Object.keys(next).length === 0) await browser.storage.local.remove(key(sourceId));
  else await browser.storage.local.set({ [key(sourceId)]: next });
}
