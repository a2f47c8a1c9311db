import type { SafeEmailRow, TrackingDb } from '../db/schema';
import { restoreSanitized, sanitizeEmail, sanitizerFingerprint, type SanitizedEmail } from './sanitize';

/**
 * The hot-clicks view's email, sanitised once and kept (the `safeEmails` table): sanitising a 100-link newsletter
 * took ~30 ms of the view's ~130 (DOMPurify's walk of every node), each time the tab opened, for the same HTML.
 *
 * Only the default policy (remote images held back) is kept; with remote images allowed the email is sanitised at
 * each view. A kept copy serves only the HTML it was made from (kept beside it and compared whole: a string
 * comparison is native and quick, where hashing ~60 KB in a page's fresh script context took ~12 ms) and only the
 * sanitiser that made it (`sanitizerFingerprint`): an email replaced by its source or by a dropped file, or a changed
 * rule, means sanitising again. A kept copy is parsed in an inert document and put through the sanitiser's own
 * inertness check before it goes near the frame (lib/email/sanitize.ts `restoreSanitized`); one that fails it is
 * sanitised again from the HTML.
 */

/** The kept copy of a delivery's email, if any; a failed read is no copy (the email is sanitised again). */
export async function readSafeEmail(db: TrackingDb, deliveryId: number): Promise<SafeEmailRow | undefined> {
  try {
    return await db.safeEmails.get(deliveryId);
  } catch (error) {
    console.warn('Tracking Logs: the kept copy of the email could not be read; sanitising it again', error);
    return undefined;
  }
}

export interface ViewEmail {
  sanitized: SanitizedEmail;
  /** Whether it came from the kept copy. */
  kept: boolean;
  /** The row to keep, when the email was sanitised now under the default policy. */
  keep?: SafeEmailRow | undefined;
}

/**
 * The email for the frame: the kept copy when it is for this HTML, this sanitiser and the default policy; otherwise
 * sanitised now (throws if the sanitiser refuses it, as {@link sanitizeEmail} does).
 */
export function emailForView(
  deliveryId: number,
  html: string,
  kept: SafeEmailRow | undefined,
  win: Window & typeof globalThis,
  remoteImages: boolean,
): ViewEmail {
  if (!remoteImages && kept && kept.sanitizer === sanitizerFingerprint() && kept.html === html) {
    try {
      const { anchors, blockedImages, removedTracking, trackingHosts } = kept;
      return { sanitized: restoreSanitized(kept.markup, win, false, { anchors, blockedImages, removedTracking, trackingHosts }), kept: true };
    } catch (error) {
      console.warn('Tracking Logs: the kept copy of the email failed its check; sanitising it again', error);
    }
  }
  const sanitized = sanitizeEmail(html, win, { remoteImages });
  if (remoteImages) return { sanitized, kept: false };
  const { anchors, blockedImages, removedTracking, trackingHosts } = sanitized;
  return {
    sanitized,
    kept: false,
    keep: { deliveryId, sanitizer: sanitizerFingerprint(), html, markup: sanitized.body.outerHTML, anchors, blockedImages, removedTracking, trackingHosts },
  };
}

/** Keeps a sanitised email for the next view. A copy that goes stale (new HTML) is ignored there and replaced. */
export async function keepSafeEmail(db: TrackingDb, row: SafeEmailRow): Promise<void> {
  await db.safeEmails.put(row);
}
