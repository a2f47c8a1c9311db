/**
 * Badge placement for the overlay: pure geometry, so the content script only measures (getBoundingClientRect) and
 * writes transforms. Badges live in one fixed layer above the page and never take part in its layout.
 */

export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface Size {
  width: number;
  height: number;
}

export interface BadgeBox {
  x: number;
  y: number;
  width: number;
  height: number;
  visible: boolean;
}

/** The smallest rectangle holding every rectangle with an area (an image link's `<a>` is often 0 px high). */
export function unionRect(rects: readonly Rect[]): Rect | undefined {
  let l = Infinity;
  let t = Infinity;
  let r = -Infinity;
  let b = -Infinity;
  for (const x of rects) {
    if (x.width <= 0 || x.height <= 0) continue;
    l = Math.min(l, x.left);
    t = Math.min(t, x.top);
    r = Math.max(r, x.left + x.width);
    b = Math.max(b, x.top + x.height);
  }
  return l === Infinity ? undefined : { left: l, top: t, width: r - l, height: b - t };
}

/** Approximate badge width for `text` at the overlay's fixed 11 px font: measuring each badge would force layout. */
export function badgeWidth(text: string): number {
  return Math.ceil(text.length * 6.6 + 10);
}

export const BADGE_HEIGHT = 18;
/** How far a badge sits above its link's top edge: it overlaps the edge by 4 px and leaves the link's text readable. */
export const BADGE_LIFT = BADGE_HEIGHT - 4;

const overlaps = (a: BadgeBox, b: BadgeBox): boolean =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/**
 * Places one badge per target on the target's top-left corner (lifted by BADGE_LIFT), inside the viewport, sliding a badge right (then
 * down) past badges already placed so none covers another: repeated links in a row of a table layout sit close.
 * A target outside the viewport or without area gets an invisible box.
 */
export function placeBadges(targets: readonly (Rect | undefined)[], sizes: readonly Size[], viewport: Size): BadgeBox[] {
  const out: BadgeBox[] = new Array(targets.length);
  const order = targets
    .map((r, i) => ({ r, i }))
    .filter((x): x is { r: Rect; i: number } => x.r !== undefined)
    .sort((a, b) => a.r.top - b.r.top || a.r.left - b.r.left);
  const placed: BadgeBox[] = [];
  for (let i = 0; i < targets.length; i++) out[i] = { x: 0, y: 0, width: sizes[i]?.width ?? 0, height: sizes[i]?.height ?? 0, visible: false };
  for (const { r, i } of order) {
    const size = sizes[i] ?? { width: 0, height: 0 };
    const inView = r.width > 0 && r.height > 0 && r.left < viewport.width && r.top < viewport.height && r.left + r.width > 0 && r.top + r.height > 0;
    if (!inView) continue;
    const maxX = Math.max(0, viewport.width - size.width);
    const maxY = Math.max(0, viewport.height - size.height);
    const box: BadgeBox = {
      x: Math.min(Math.max(0, r.left), maxX),
      y: Math.min(Math.max(0, r.top - BADGE_LIFT), maxY),
      width: size.width,
      height: size.height,
      visible: true,
    };
    // Only recently placed badges can be near: rows come in order of top.
    for (let attempt = 0; attempt < 12; attempt++) {
      const hit = placed.find((p) => overlaps(p, box));
      if (!hit) break;
      if (hit.x + hit.width + 2 + box.width <= viewport.width) box.x = hit.x + hit.width + 2;
      else box.y = Math.min(hit.y + hit.height + 2, maxY);
    }
    placed.push(box);
    out[i] = box;
  }
  return out;
}
