import type { z } from 'zod';
import type { ProviderKind, SourceRow } from '../db/schema';
import type { MessageKey } from '../i18n';
import { adobeConfigSchema, adobeHostPermissions, createAdobeSource } from './adobe';
import { BREVO_ORIGIN, brevoConfigSchema, brevoHostPermissions, brevoOrigin, createBrevoSource } from './brevo';
import {
  createMailchimpSource,
  dataCentreOf,
  mailchimpConfigSchema,
  mailchimpHostPermissions,
  mailchimpSecretSchema,
} from './mailchimp';
import { createMailgunSource, mailgunBase, mailgunConfigSchema, MAILGUN_HOSTS } from './mailgun';
import { createPostmarkSource, postmarkBase, postmarkConfigSchema, POSTMARK_HOST } from './postmark';
import { PROVIDER_NAME_KEYS } from './provider-kinds';
import { originPatternOf, type ProviderHttpOptions } from './provider-kit';
import { createSparkPostSource, sparkpostBase, sparkpostConfigSchema, SPARKPOST_HOSTS } from './sparkpost';
import type { SourceAdapter } from './source';

/**
 * The email providers Tracking Logs pulls from, one descriptor each: what the source form asks for, which fields
 * are secret (they go to chrome.storage.local, see secrets.ts, never to the source row), which API origins need
 * an optional host permission, and how to make the adapter.
 *
 * Adding a provider = one adapter file (`lib/sources/<kind>.ts`: a config schema and a SourceAdapter factory) +
 * its kind in `ProviderKind` (lib/db/schema.ts), PROVIDER_KINDS and its name key (provider-kinds.ts) + one entry here (with its
 * strings in both locales). The form, the registry, the workflow, "Test connection" and the permission check all
 * work from this list.
 */

export interface ProviderField {
  /** Key in the source's config (or, for a secret, in its stored secret object). */
  name: string;
  /**
   * `secret`: a password input, never stored in IndexedDB, never shown back. `number`: a whole number (stored as
   * one). `derived`: not shown; set by {@link ProviderField.derive} from other fields when they give it, else kept
   * as saved (Mailchimp's data centre, taken from the key's suffix).
   */
  kind: 'text' | 'secret' | 'select' | 'url' | 'number' | 'derived';
  labelKey: MessageKey;
  hintKey?: MessageKey | undefined;
  options?: readonly { value: string; labelKey: MessageKey }[] | undefined;
  required?: boolean | undefined;
  /** Shown under "Advanced" (the base-URL override). */
  advanced?: boolean | undefined;
  placeholder?: string | undefined;
  /** A secret that is not a password (a login name): typed in the clear, yet kept and handled as a secret. */
  plain?: boolean | undefined;
  /** A typed value's extra check (the shape of a key): the reason it is wrong, or undefined. */
  check?: ((value: string) => string | undefined) | undefined;
  /** For `derived` fields: the value other fields give (undefined = keep the saved one). */
  derive?: ((values: ProviderValues) => string | undefined) | undefined;
}

export interface ProviderDescriptor {
  kind: ProviderKind;
  nameKey: MessageKey;
  /** One paragraph: what is fetched and how. */
  aboutKey: MessageKey;
  fields: readonly ProviderField[];
  /** The non-secret settings as stored in SourceRow.config. */
  configSchema: z.ZodType<Record<string, unknown>>;
  /** Host-permission patterns (`https://api.example.com/*`) the adapter needs for a valid config. */
  origins(config: Record<string, unknown>): string[];
  /** A short line identifying the account in the sources list (e.g. the Mailgun domain). */
  summary(config: Record<string, unknown>): string;
  create(options?: ProviderHttpOptions): SourceAdapter;
}

const REGION: ProviderField = {
  name: 'region',
  kind: 'select',
  labelKey: 'provider_field_region',
  hintKey: 'provider_field_region_hint',
  options: [
    { value: 'us', labelKey: 'provider_region_us' },
    { value: 'eu', labelKey: 'provider_region_eu' },
  ],
  required: true,
};

const BASE_URL: ProviderField = {
  name: 'baseUrl',
  kind: 'url',
  labelKey: 'provider_field_base_url',
  hintKey: 'provider_field_base_url_hint',
  advanced: true,
  placeholder: 'https://',
};

const LOOKBACK_DAYS: ProviderField = {
  name: 'lookbackDays',
  kind: 'number',
  labelKey: 'provider_field_lookback_days',
  hintKey: 'provider_field_lookback_days_hint',
  advanced: true,
  placeholder: '30',
};

const pageSizeField = (placeholder: number): ProviderField => ({
  name: 'pageSize',
  kind: 'number',
  labelKey: 'provider_field_page_size',
  hintKey: 'provider_field_page_size_hint',
  advanced: true,
  placeholder: String(placeholder),
});

const hostOf = (base: string): string => new URL(base).host;
/** The host of an `https://host/*` permission pattern. */
const hostOfPattern = (pattern: string): string => pattern.replace(/^[a-z]+:\/\//, '').replace(/\/\*$/, '');

/** The reason a typed Mailchimp key is not a whole key (it must end with its data centre), or undefined. */
function mailchimpKeyProblem(value: string): string | undefined {
  const r = mailchimpSecretSchema.shape.apiKey.safeParse(value);
  return r.success ? undefined : r.error.issues[0]?.message;
}

export const PROVIDERS: readonly ProviderDescriptor[] = [
  {
    kind: 'mailgun',
    nameKey: PROVIDER_NAME_KEYS.mailgun,
    aboutKey: 'provider_mailgun_about',
    fields: [
      REGION,
      {
        name: 'domain',
        kind: 'text',
        labelKey: 'provider_field_domain',
        hintKey: 'provider_field_domain_hint',
        required: true,
        placeholder: 'mg.example.com',
      },
      { name: 'apiKey', kind: 'secret', labelKey: 'provider_field_api_key', hintKey: 'provider_field_api_key_hint', required: true },
      BASE_URL,
    ],
    configSchema: mailgunConfigSchema,
    origins: (c) => [originPatternOf(mailgunBase(mailgunConfigSchema.parse(c)))],
    summary: (c) => {
      const config = mailgunConfigSchema.parse(c);
      return `${config.domain} · ${hostOf(mailgunBase(config))}`;
    },
    create: createMailgunSource,
  },
  {
    kind: 'postmark',
    nameKey: PROVIDER_NAME_KEYS.postmark,
    aboutKey: 'provider_postmark_about',
    fields: [
      {
        name: 'serverToken',
        kind: 'secret',
        labelKey: 'provider_field_server_token',
        hintKey: 'provider_field_server_token_hint',
        required: true,
      },
      {
        name: 'messageStream',
        kind: 'text',
        labelKey: 'provider_field_message_stream',
        hintKey: 'provider_field_message_stream_hint',
        placeholder: 'outbound',
      },
      BASE_URL,
    ],
    configSchema: postmarkConfigSchema,
    origins: (c) => [originPatternOf(postmarkBase(postmarkConfigSchema.parse(c)))],
    summary: (c) => {
      const config = postmarkConfigSchema.parse(c);
      return [config.messageStream, hostOf(postmarkBase(config))].filter(Boolean).join(' · ');
    },
    create: createPostmarkSource,
  },
  {
    kind: 'sparkpost',
    nameKey: PROVIDER_NAME_KEYS.sparkpost,
    aboutKey: 'provider_sparkpost_about',
    fields: [
      REGION,
      {
        name: 'apiKey',
        kind: 'secret',
        labelKey: 'provider_field_sparkpost_key',
        hintKey: 'provider_field_sparkpost_key_hint',
        required: true,
      },
      BASE_URL,
    ],
    configSchema: sparkpostConfigSchema,
    origins: (c) => [originPatternOf(sparkpostBase(sparkpostConfigSchema.parse(c)))],
    summary: (c) => hostOf(sparkpostBase(sparkpostConfigSchema.parse(c))),
    create: createSparkPostSource,
  },
  {
    kind: 'mailchimp',
    nameKey: PROVIDER_NAME_KEYS.mailchimp,
    aboutKey: 'provider_mailchimp_about',
    fields: [
      {
        name: 'apiKey',
        kind: 'secret',
        labelKey: 'provider_field_mailchimp_key',
        hintKey: 'provider_field_mailchimp_key_hint',
        required: true,
        check: mailchimpKeyProblem,
      },
      {
        // The key's data centre names the API host (`us6` → us6.api.mailchimp.com). It is saved in the config so
        // the exact host permission can be asked for (origins() only sees the config, never the key).
        name: 'dc',
        kind: 'derived',
        labelKey: 'provider_field_mailchimp_dc',
        derive: (values) => {
          const key = values.apiKey?.trim();
          return key && !mailchimpKeyProblem(key) ? dataCentreOf(key) : undefined;
        },
      },
      LOOKBACK_DAYS,
      pageSizeField(1000),
      BASE_URL,
    ],
    configSchema: mailchimpConfigSchema,
    origins: (c) => mailchimpHostPermissions(mailchimpConfigSchema.parse(c)),
    summary: (c) => {
      const config = mailchimpConfigSchema.parse(c);
      const hosts = mailchimpHostPermissions(config).map(hostOfPattern);
      return config.baseUrl || config.dc ? hosts.join(', ') : '';
    },
    create: createMailchimpSource,
  },
  {
    kind: 'brevo',
    nameKey: PROVIDER_NAME_KEYS.brevo,
    aboutKey: 'provider_brevo_about',
    fields: [
      { name: 'apiKey', kind: 'secret', labelKey: 'provider_field_brevo_key', hintKey: 'provider_field_brevo_key_hint', required: true },
      LOOKBACK_DAYS,
      pageSizeField(2500),
      BASE_URL,
    ],
    configSchema: brevoConfigSchema,
    origins: (c) => brevoHostPermissions(brevoConfigSchema.parse(c)),
    summary: (c) => hostOf(brevoOrigin(brevoConfigSchema.parse(c))),
    create: createBrevoSource,
  },
  {
    kind: 'adobe-campaign',
    nameKey: PROVIDER_NAME_KEYS['adobe-campaign'],
    aboutKey: 'provider_adobe_about',
    fields: [
      {
        name: 'instanceUrl',
        kind: 'url',
        labelKey: 'provider_field_instance_url',
        hintKey: 'provider_field_instance_url_hint',
        required: true,
        placeholder: 'https://example.campaign.adobe.com',
      },
      {
        name: 'login',
        kind: 'secret',
        plain: true,
        labelKey: 'provider_field_login',
        hintKey: 'provider_field_login_hint',
        required: true,
      },
      { name: 'password', kind: 'secret', labelKey: 'provider_field_password', hintKey: 'provider_field_password_hint', required: true },
      LOOKBACK_DAYS,
      pageSizeField(1000),
    ],
    configSchema: adobeConfigSchema,
    origins: (c) => adobeHostPermissions(adobeConfigSchema.parse(c)),
    summary: (c) => hostOf(adobeConfigSchema.parse(c).instanceUrl),
    create: createAdobeSource,
  },
];

/** Every API origin a provider may use by default (documentation, README, tests). */
export const DEFAULT_PROVIDER_ORIGINS: Record<ProviderKind, readonly string[]> = {
  mailgun: Object.values(MAILGUN_HOSTS),
  postmark: [POSTMARK_HOST],
  sparkpost: Object.values(SPARKPOST_HOSTS),
  // The data centre comes from the key (`…-us6`); the form asks for that one host only.
  mailchimp: ['https://<dc>.api.mailchimp.com'],
  brevo: [BREVO_ORIGIN],
  // Each customer's own instance.
  'adobe-campaign': [],
};

export function providerOf(kind: string): ProviderDescriptor | undefined {
  return PROVIDERS.find((p) => p.kind === kind);
}

export const secretFieldsOf = (p: ProviderDescriptor): ProviderField[] => p.fields.filter((f) => f.kind === 'secret');
export const configFieldsOf = (p: ProviderDescriptor): ProviderField[] => p.fields.filter((f) => f.kind !== 'secret');

/** What the form holds: every field as text (selects included). */
export type ProviderValues = Readonly<Record<string, string>>;

export type ProviderFieldError = { code: 'required' } | { code: 'invalid'; reason: string };
export type ProviderErrors = Partial<Record<string, ProviderFieldError>>;

/**
 * The config a form's values make: non-secret fields, trimmed, empty ones left out (so defaults apply), whole
 * numbers as numbers, derived fields from the fields they come from (else as saved).
 */
export function configFromValues(p: ProviderDescriptor, values: ProviderValues): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const f of configFieldsOf(p)) {
    const v = (f.derive?.(values) ?? values[f.name])?.trim();
    if (!v) continue;
    config[f.name] = f.kind === 'number' && /^\d{1,9}$/.test(v) ? Number(v) : v;
  }
  return config;
}

/**
 * What is wrong with a provider form, field by field (empty when it can be saved). A secret is required unless one
 * is already saved for the field (`savedSecrets`), since the edit form never shows it back.
 */
export function validateProviderValues(
  p: ProviderDescriptor,
  values: ProviderValues,
  savedSecrets: readonly string[] = [],
): ProviderErrors {
  const errors: ProviderErrors = {};
  for (const f of p.fields) {
    const v = values[f.name]?.trim() ?? '';
    if (f.required && v === '' && !(f.kind === 'secret' && savedSecrets.includes(f.name))) {
      errors[f.name] = { code: 'required' };
    } else if (v !== '' && f.kind === 'number' && !/^\d{1,9}$/.test(v)) {
      errors[f.name] = { code: 'invalid', reason: 'not a whole number' };
    } else if (v !== '' && f.check) {
      const reason = f.check(v);
      if (reason) errors[f.name] = { code: 'invalid', reason };
    }
  }
  const r = p.configSchema.safeParse(configFromValues(p, values));
  if (!r.success) {
    for (const iss of r.error.issues) {
      const name = String(iss.path[0] ?? '');
      if (name && !errors[name]) errors[name] = { code: 'invalid', reason: iss.message };
    }
  }
  return errors;
}

/** Host-permission patterns a source needs: a feed's URL origin, a provider's API origin(s); [] when none apply. */
export function requiredOrigins(source: Pick<SourceRow, 'kind' | 'config'>): string[] {
  const provider = providerOf(source.kind);
  try {
    if (provider) return provider.origins(source.config);
    const url = source.config.url;
    if (typeof url === 'string') return [`${new URL(url).origin}/*`];
  } catch {
    // An invalid config cannot be reached; the adapter reports `config-invalid` with the field.
  }
  return [];
}
