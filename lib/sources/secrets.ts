import { browser } from 'wxt/browser';

/**
 * Source secrets (bearer tokens, API keys) live in browser.storage.local only: never in IndexedDB, never synced,
 * logged, exported or shown back (../shared/architecture.md, "Security model"). The UI only learns whether one is set.
 */
const key = (sourceId: string): string => `secret:${sourceId}`;

export async function getSecret(sourceId: string): Promise<string | undefined> {
  const k = key(sourceId);
  const got = await browser.storage.local.get(k);
  const value = got[k];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export async function setSecret(sourceId: string, secret: string | undefined): Promise<void> {
  if (secret === undefined || secret === '') await browser.storage.local.remove(key(sourceId));
  else await browser.storage.local.set({ [key(sourceId)]: secret });
}

export async function hasSecret(sourceId: string): Promise<boolean> {
  return (await getSecret(sourceId)) !== undefined;
}
