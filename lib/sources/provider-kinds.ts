import type { ProviderKind } from '../db/schema';

/**
 * The provider kinds as a value (for message schemas and pickers), kept apart from providers.ts so the popup and the
 * messaging layer do not pull in the adapters. A unit test checks it lists every ProviderKind of lib/db/schema.ts.
 */
export const PROVIDER_KINDS = ['mailgun', 'postmark', 'sparkpost'] as const satisfies readonly ProviderKind[];

export function isProviderKind(kind: string): kind is ProviderKind {
  return (PROVIDER_KINDS as readonly string[]).includes(kind);
}
