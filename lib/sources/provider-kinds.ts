import type { ProviderKind } from '../db/schema';
import type { MessageKey } from '../i18n';

/**
 * The provider kinds as a value (for message schemas and pickers), kept apart from providers.ts so the popup and the
 * messaging layer do not pull in the adapters. A unit test checks it lists every ProviderKind of lib/db/schema.ts.
 */
export const PROVIDER_KINDS = ['mailgun', 'postmark', 'sparkpost', 'mailchimp', 'brevo', 'adobe-campaign'] as const satisfies readonly ProviderKind[];

/** Each provider's display name (the descriptors use these too), for views that need no more than the name. */
export const PROVIDER_NAME_KEYS: Record<ProviderKind, MessageKey> = {
  mailgun: 'provider_mailgun_name',
  postmark: 'provider_postmark_name',
  sparkpost: 'provider_sparkpost_name',
  mailchimp: 'provider_mailchimp_name',
  brevo: 'provider_brevo_name',
  'adobe-campaign': 'provider_adobe_name',
};

export function isProviderKind(kind: string): kind is ProviderKind {
  return (PROVIDER_KINDS as readonly string[]).includes(kind);
}
