/**
 * A one-shot message carried across a route change within the tracking view ("Source saved" shown on the list the
 * form returns to). Lives in memory only: a reload drops it, which is what a flash message should do.
 */
let pending: string | undefined;

export function setFlash(text: string): void {
  pending = text;
}

export function takeFlash(): string | undefined {
  const text = pending;
  pending = undefined;
  return text;
}
