import { z } from 'zod';

/**
 * What the background sends the overlay's content script (lib/messaging.ts `overlayDraw`). Only what the overlay
 * draws: shares, counts and the legend's labels; never recipients. Bounded so a frame cannot be flooded.
 */

export const MAX_OVERLAY_LINKS = 5000;
export const MAX_HREF = 4096;

export const basisSchema = z.enum(['clicks', 'clickers']);
/** Every click counted, or only those that count as a person's (lib/indicators/human.ts `Who`). */
export const whoSchema = z.enum(['all', 'human']);

export const badgeSchema = z
  .object({
    /** The link's position among the frame's links (as the frame reported them). */
    i: z.number().int().min(0).max(MAX_OVERLAY_LINKS),
    share: z.number().min(0).max(1).nullable(),
    clicks: z.number().int().min(0),
    clickers: z.number().int().min(0),
    heat: z.number().int().min(0).max(5),
    repeated: z.boolean(),
    label: z.string().max(500).optional(),
  })
  .strict();

export const legendSchema = z
  .object({
    state: z.enum(['ok', 'no-match']),
    deliveryId: z.number().int().optional(),
    label: z.string().max(500).optional(),
    basis: basisSchema,
    who: whoSchema,
    candidates: z
      .array(
        z
          .object({
            deliveryId: z.number().int(),
            label: z.string().max(500),
            matched: z.number().int().min(0),
            total: z.number().int().min(0),
          })
          .strict(),
      )
      .max(50),
    matched: z.number().int().min(0),
    total: z.number().int().min(0),
    totalClicks: z.number().int().min(0),
    totalClickers: z.number().int().min(0),
    unmatched: z
      .array(
        z
          .object({
            href: z.string().max(MAX_HREF),
            reason: z.enum(['other-delivery', 'opaque-redirect', 'no-match']),
            provider: z.string().max(20).optional(),
          })
          .strict(),
      )
      .max(MAX_OVERLAY_LINKS),
    missing: z.number().int().min(0),
    framesReached: z.number().int().min(0),
    framesUnreached: z.number().int().min(0),
  })
  .strict();

export const overlayDrawSchema = z
  .object({
    badges: z.array(badgeSchema).max(MAX_OVERLAY_LINKS),
    /** Only the top frame draws the legend. */
    legend: legendSchema.optional(),
  })
  .strict();

/** What the injected script answers executeScript with: its links, in document order. */
export const frameReportSchema = z
  .object({
    links: z.array(z.string().max(MAX_HREF)).max(MAX_OVERLAY_LINKS),
    /** `<iframe>`/`<frame>` elements in the document: frames the tab should have below this one. */
    iframes: z.number().int().min(0).max(10_000),
  })
  .strict();

export type Badge = z.infer<typeof badgeSchema>;
export type Legend = z.infer<typeof legendSchema>;
export type OverlayDraw = z.infer<typeof overlayDrawSchema>;
export type FrameReport = z.infer<typeof frameReportSchema>;
