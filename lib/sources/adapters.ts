import type { SourceKind } from '../db/schema';
import { createFeedSource } from './feed';
import type { FeedThread } from './feed-thread';
import type { ProviderHttpOptions } from './provider-kit';
import { PROVIDERS } from './providers';
import { sampleSource } from './sample';
import type { SourceAdapter } from './source';

/**
 * The adapter of every source kind, for the workflow (lib/workflow/run.ts picks one by `SourceRow.kind`) and for
 * "Test connection" (with short HTTP limits, so a test answers within seconds). Providers come from providers.ts.
 */
export function createAdapters(options: ProviderHttpOptions & { feedThread?: FeedThread } = {}): Record<SourceKind, SourceAdapter> {
  const { feedThread, ...http } = options;
  const adapters: Partial<Record<SourceKind, SourceAdapter>> = { sample: sampleSource, feed: createFeedSource({ ...http, thread: feedThread }) };
  for (const p of PROVIDERS) adapters[p.kind] = p.create(http);
  return adapters as Record<SourceKind, SourceAdapter>;
}
