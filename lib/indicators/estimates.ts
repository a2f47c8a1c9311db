/**
 * Adobe Campaign's extrapolated indicators (../shared/reference/adobe-tracking.md §1.2, [V8-CALC]):
 *
 *   @estimatedRecipientOpen      = Iif((@toDeliver - @text) = 0, 0, round(toDouble(@recipientOpen) * @toDeliver / (@toDeliver - @text), 0))
 *   @estimatedTotalRecipientOpen = the same with @totalRecipientOpen
 *   @forward                     = @personClick - @recipientClick
 *   estimated reactivity         = percent(@recipientClick, @estimatedRecipientOpen)
 *
 * Text-only messages carry no pixel, so opens seen among the HTML messages are scaled up to all messages.
 */

/** Opens extrapolated from HTML messages to all; 0 when every message is text-only (or nothing was sent). */
export function estimatedOpens(opens: number, toDeliver: number | undefined, textOnly: number | undefined): number {
  const total = toDeliver ?? 0;
  const html = total - (textOnly ?? 0);
  if (html <= 0) return 0;
  return Math.round((opens * total) / html);
}

/** Estimated forwards: distinct persons who clicked minus distinct recipients who clicked. */
export function estimatedForwards(personClick: number, recipientClick: number): number {
  return personClick - recipientClick;
}

/** Estimated reactivity (0–1): recipient clicks over estimated distinct opens; undefined without opens. */
export function estimatedReactivity(recipientClick: number, estimatedRecipientOpen: number): number | undefined {
  return estimatedRecipientOpen > 0 ? recipientClick / estimatedRecipientOpen : undefined;
}
