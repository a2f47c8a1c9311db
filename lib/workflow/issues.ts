import { z } from 'zod';

/**
 * Everything the run log says is a code plus parameters, translated where it is shown (popup, workflow page), so
 * a Swedish user reads Swedish and the log never carries a secret or untrusted markup.
 * Each code has `issue_<code with - as _>` in public/_locales/{en,sv}/messages.json.
 */
export const ISSUE_CODES = [
  // Source failures (a source's run ends; the other sources go on)
  'unauthorized', // 401: wrong or expired token/key
  'forbidden', // 403: the key lacks the permission
  'not-found', // 404: wrong URL, domain or region
  'rate-limited', // 429 after all retries
  'server-error', // 5xx after all retries
  'http-error', // any other non-2xx status
  'timeout', // no answer within the time limit, after all retries
  'network', // the host could not be reached
  'unparseable', // the response could not be read at all
  'no-permission', // the extension may not reach the source's origin
  'config-invalid', // the source's settings are incomplete or wrong
  'internal', // a bug on our side, with the message
  // Notes and warnings
  'retrying', // a retry after a 429/5xx/timeout, with the wait
  'rejected', // records quarantined on a page (count)
  'interrupted', // the worker stopped mid-run; the next run resumes from the last committed cursor
  'page-limit', // the run stopped paging early to stay within the service-worker limits; the next run goes on
  'import-cancelled', // a file import stopped by the user; what it stored before stays
] as const;
export type IssueCode = (typeof ISSUE_CODES)[number];

export const runIssueSchema = z.object({
  level: z.enum(['info', 'warning', 'error']),
  code: z.enum(ISSUE_CODES),
  params: z.record(z.string(), z.union([z.string(), z.number()])).default({}),
  sourceId: z.string().optional(),
  /** Epoch ms. */
  at: z.number(),
});
export type RunIssue = z.infer<typeof runIssueSchema>;
