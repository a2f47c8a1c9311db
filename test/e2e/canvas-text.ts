import type { BrowserContext, Page } from 'playwright-core';

/**
 * What the charts write on their canvases (uPlot draws tick labels and axis titles as canvas text, out of reach of
 * the DOM): an init script wraps `fillText` and keeps each canvas's text since its last full clear, i.e. of its last
 * draw, with position, alignment and measured width in canvas pixels.
 */
export interface CanvasText {
  text: string;
  x: number;
  y: number;
  align: string;
  width: number;
}

/** Installs the recorder in every page the context opens from now on. */
export async function recordCanvasText(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const drawn = new WeakMap<HTMLCanvasElement, CanvasText[]>();
    const proto = CanvasRenderingContext2D.prototype;
    const fillText = proto.fillText;
    const clearRect = proto.clearRect;
    proto.clearRect = function (x: number, y: number, w: number, h: number): void {
      if (x <= 0 && y <= 0 && w >= this.canvas.width && h >= this.canvas.height) drawn.set(this.canvas, []);
      clearRect.call(this, x, y, w, h);
    };
    proto.fillText = function (text: string, x: number, y: number, maxWidth?: number): void {
      let list = drawn.get(this.canvas);
      if (!list) drawn.set(this.canvas, (list = []));
      list.push({ text: String(text), x, y, align: this.textAlign, width: this.measureText(String(text)).width });
      if (maxWidth === undefined) fillText.call(this, text, x, y);
      else fillText.call(this, text, x, y, maxWidth);
    };
    (window as unknown as { __canvasText: (c: HTMLCanvasElement) => CanvasText[] }).__canvasText = (c) => drawn.get(c) ?? [];
  });
}

/** Per canvas matched by `selector`: its text and its width (canvas pixels). */
export function canvasTexts(page: Page, selector: string): Promise<{ width: number; texts: CanvasText[] }[]> {
  return page.$$eval(selector, (canvases) =>
    (canvases as HTMLCanvasElement[]).map((c) => ({
      width: c.width,
      texts: (window as unknown as { __canvasText: (c: HTMLCanvasElement) => CanvasText[] }).__canvasText(c),
    })),
  );
}

/**
 * Tick labels of an x axis that touch or run off the canvas: centred text on one line (same y), not the axis titles,
 * compared by their measured widths.
 */
export function crowdedTicks(canvas: { width: number; texts: CanvasText[] }, titles: readonly string[]): string[] {
  const rows = new Map<number, CanvasText[]>();
  for (const d of canvas.texts) {
    if (d.align !== 'center' || titles.includes(d.text)) continue;
    const y = Math.round(d.y);
    rows.set(y, [...(rows.get(y) ?? []), d]);
  }
  const out: string[] = [];
  for (const row of rows.values()) {
    row.sort((a, b) => a.x - b.x);
    row.forEach((d, i) => {
      if (d.x + d.width / 2 > canvas.width || d.x - d.width / 2 < 0) out.push(`${d.text} runs off the canvas`);
      const prev = row[i - 1];
      if (prev && prev.x + prev.width / 2 + 2 > d.x - d.width / 2) out.push(`${prev.text} | ${d.text}`);
    });
  }
  return out;
}
