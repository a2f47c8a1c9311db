import { z } from 'zod';
import { basisSchema, overlayDrawSchema, whoSchema } from './overlay/protocol';
import { PROVIDER_KINDS } from './sources/provider-kinds';
import { ISSUE_CODES, type RunIssue } from './workflow/issues';

/**
 * The schemas of the one message protocol between the extension's contexts (lib/messaging.ts): every message's data
 * has one here, and the background validates on receipt (lib/messaging-guard.ts) and checks the sender before
 * acting. Apart from lib/messaging.ts, which takes only their types: the pages that send messages (the popup, the
 * tracking view) then build none of these schemas as they load (building them was ~5 ms of the page's script, in a
 * page whose first paint is measured; test/unit/lib/messaging.test.ts).
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
  /** Popup: show hot clicks on a tab (the popup's activeTab grant lets the background inject into it). */
  overlayShow: z.object({ tabId: z.number().int().min(0) }).strict(),
  /** Overlay legend (content script, top frame): draw another delivery or basis. The tab is the sender's. */
  overlaySelect: z.object({ deliveryId: z.number().int().min(0).optional(), basis: basisSchema, who: whoSchema }).strict(),
  /** Overlay legend (content script): the off switch; every frame of the sender's tab removes its overlay. */
  overlayOff: z.object({}).strict(),
  /** Background → a frame's overlay script: what to draw (badges, and the legend in the top frame). */
  overlayDraw: overlayDrawSchema,
  /** Background → a frame's overlay script: remove every trace. */
  overlayRemove: z.object({}).strict(),
} as const;

/** A line of a run's log (lib/workflow/issues.ts `RunIssue`; the checks below keep the two the same). */
export const runIssueSchema = z.object({
  level: z.enum(['info', 'warning', 'error']),
  code: z.enum(ISSUE_CODES),
  params: z.record(z.string(), z.union([z.string(), z.number()])).default({}),
  sourceId: z.string().optional(),
  /** Epoch ms. */
  at: z.number(),
});
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const runIssueMatches: Same<z.infer<typeof runIssueSchema>, RunIssue> = true;
void runIssueMatches;

export const runNowResultSchema = z.object({ started: z.boolean(), runId: z.number().optional() });
export const testConnectionResultSchema = z.object({
  ok: z.boolean(),
  deliveries: z.number(),
  urls: z.number(),
  events: z.number(),
  rejected: z.number(),
  issue: runIssueSchema.optional(),
});
export const overlayShowResultSchema = z.object({
  ok: z.boolean(),
  /** Why nothing was drawn: the page cannot be scripted (browser pages, the web store, no permission). */
  reason: z.enum(['no-access']).optional(),
  framesReached: z.number(),
  framesUnreached: z.number(),
  deliveryId: z.number().optional(),
  matched: z.number(),
  total: z.number(),
});
export type OverlayShowResult = z.infer<typeof overlayShowResultSchema>;
export type RunNowResult = z.infer<typeof runNowResultSchema>;
export type TestConnectionResult = z.infer<typeof testConnectionResultSchema>;
