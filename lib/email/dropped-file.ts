
/**
 * The HTML of a delivery from a file the user drops on the hot-clicks view: the `.html` as saved, or a saved email
 * (`.eml`, MIME) whose text/html part is decoded (quoted-printable/base64, charset) by postal-mime.
 */

/** Larger files are refused: a real email is well under 1 MB (Gmail clips at 102 kB). */
export const MAX_DROPPED_BYTES = 5 * 1024 * 1024;

export type DroppedFileError = 'too-large' | 'unsupported' | 'no-html' | 'unreadable';

export type DroppedFileResult = { ok: true; html: string } | { ok: false; error: DroppedFileError };

/** The charset a saved HTML file declares in its first bytes (`<meta charset>` or http-equiv), else UTF-8. */
export function sniffCharset(bytes: Uint8Array): string {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 2048));
  const m = /<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)/i.exec(head);
  const label = m?.[1]?.toLowerCase() ?? 'utf-8';
  try {
    new TextDecoder(label);
    return label;
  } catch {
    return 'utf-8';
  }
}

function kindOf(name: string, type: string): 'html' | 'eml' | undefined {
  const lower = name.toLowerCase();
  if (lower.endsWith('.eml') || type === 'message/rfc822') return 'eml';
  if (lower.endsWith('.html') || lower.endsWith('.htm') || type === 'text/html') return 'html';
  return undefined;
}

export async function readDroppedFile(file: Pick<File, 'name' | 'type' | 'size' | 'arrayBuffer'>): Promise<DroppedFileResult> {
  if (file.size > MAX_DROPPED_BYTES) return { ok: false, error: 'too-large' };
  const kind = kindOf(file.name, file.type);
  if (!kind) return { ok: false, error: 'unsupported' };
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await file.arrayBuffer());
  } catch {
    return { ok: false, error: 'unreadable' };
  }
  if (kind === 'html') {
    const html = new TextDecoder(sniffCharset(bytes)).decode(bytes);
    return /<[a-z!]/i.test(html) ? { ok: true, html } : { ok: false, error: 'no-html' };
  }
  try {
    // The MIME parser (~100 KB of script) loads only when an .eml is dropped, not with the hot-clicks view.
    const { default: PostalMime } = await import('postal-mime');
    const email = await PostalMime.parse(bytes);
    return email.html ? { ok: true, html: email.html } : { ok: false, error: 'no-html' };
  } catch {
    return { ok: false, error: 'unreadable' };
  }
}
