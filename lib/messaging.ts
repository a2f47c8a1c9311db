import { z } from 'zod';
import { defineExtensionMessaging } from '@webext-core/messaging';
import { PROVIDER_KINDS } from './sources/provider-kinds';
import { runIssueSchema } from './workflow/issues';

/**
 * The one message protocol between the extension's contexts. Every message has a zod schema for its data; the
 * background validates on receipt (lib/messaging-guard.ts) and checks the sender before acting.
 */
export const messageSchemas = {
  /** Start a tracking workflow run now (popup, tracking view). */
  runNow: z.object({}).strict(),
  /** Settings changed: re-create the alarm with the new period. */
  settingsChanged: z.object({}).strict(),
  /** Try a source's settings without saving them. */
  testConnection: z
    .object({
      kind: z.enum(['feed', ...PROVIDER_KINDS]),
      config: z.record(z.string(), z.unknown()),
      secret: z.string().max(4000).optional(),
      /** A provider's secret fields by name (the form's typed values, or the saved ones when left empty). */
      secrets: z.record(z.string().max(100), z.string().max(4000)).optional(),
    })
    .strict(),
  /** A source was added, edited or removed: start a run so the user sees data right away. */
  sourcesChanged: z.object({}).strict(),
} as const;

export const runNowResultSchema = z.object({ started: z.boolean(), runId: z.number().optional() });
export const testConnectionResultSchema = z.object({
  ok: z.boolean(),
  deliveries: z.number(),
  urls: z.number(),
  events: z.number(),
  rejected: z.number(),
  issue: runIssueSchema.optional(),
});
export type RunNowResult = z.infer<typeof runNowResultSchema>;
export type TestConnectionResult = z.infer<typeof testConnectionResultSchema>;

export interface ProtocolMap {
  runNow(data: z.infer<typeof messageSchemas.runNow>): RunNowResult;
  settingsChanged(data: z.infer<typeof messageSchemas.settingsChanged>): void;
  testConnection(data: z.infer<typeof messageSchemas.testConnection>): TestConnectionResult;
  sourcesChanged(data: z.infer<typeof messageSchemas.sourcesChanged>): void;
}

export const { sendMessage, onMessage } = defineExtensionMessaging<ProtocolMap>();
