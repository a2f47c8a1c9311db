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
  'storage-full', // the browser could store no more: the disk is full (or the browser or system limits storage)
  // ESP API sources (lib/sources/mailchimp.ts, brevo.ts, adobe.ts)
  'credentials-missing', // no API key / login saved for the source
  'credentials-invalid', // the saved secret is not what the source needs (field named)
  'key-or-region-rejected', // 401 from a host chosen by the key's data centre/region: wrong key or wrong region
  'ip-not-allowed', // the provider only accepts its authorised IP addresses (Brevo)
  'login-failed', // the login or password was refused (Adobe Campaign Logon)
  'wrong-instance', // the address answers, but not as the expected API (Adobe Campaign SOAP router)
  'operator-lacks-right', // the account may not read what the source needs (Adobe Campaign operator rights)
  'soap-fault', // any other SOAP fault, with its text
  // Notes and warnings
  'retrying', // a retry after a 429/5xx/timeout, with the wait
  'rejected', // records quarantined on a page (count)
  'interrupted', // the worker stopped mid-run; the next run resumes from the last committed cursor
  'page-limit', // the run stopped paging early to stay within the service-worker limits; the next run goes on
  'row-ceiling', // the provider serves at most N rows of a listing (Postmark: 10 000); older rows were not read
  'import-cancelled', // a file import stopped by the user; what it stored before stays
] as const;
export type IssueCode = (typeof ISSUE_CODES)[number];

/**
 * Whether `e` is the browser refusing to store more (IndexedDB's QuotaExceededError: a full disk, since the extension
 * has unlimitedStorage), as thrown or inside the error Dexie wraps it in (`inner`) or a `cause`.
 */
export function isStorageFull(e: unknown): boolean {
  let x: unknown = e;
  for (let depth = 0; depth < 5 && typeof x === 'object' && x !== null; depth++) {
    if ((x as { name?: unknown }).name === 'QuotaExceededError') return true;
    const next = x as { inner?: unknown; cause?: unknown };
    x = next.inner ?? next.cause;
  }
  return false;
}

/**
 * One line of a run's log. Its schema (for the answers of `testConnection`) is in lib/message-schemas.ts, which
 * checks it describes this type: built here, it was built by every page that shows a log, on load.
 */
export interface RunIssue {
  level: 'info' | 'warning' | 'error';
  code: IssueCode;
  params: Record<string, string | number>;
  sourceId?: string | undefined;
  /** Epoch ms. */
  at: number;
}
