// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { ROW_HEIGHT, VirtualTable, type VirtualColumn } from '../../../components/VirtualTable';
import { installI18n } from '../helpers/fake-i18n';
import { drawnLines, framesByHand } from '../helpers/vtable';

// What the table draws on its canvas (ColumnLines in components/VirtualTable.tsx): happy-dom has no 2D context, so a
// recording one stands in, with every character 7 px wide and a font 12 px above its baseline and 4 below.

interface Drawn {
  op: 'fillText' | 'fillRect';
  args: number[];
  text?: string;
  /** The compositing mode at the call: `destination-out` erases (the fade of a cut line). */
  mode: string;
}

function recordingContext(): { drawn: Drawn[]; context: unknown } {
  const drawn: Drawn[] = [];
  const state = { globalCompositeOperation: 'source-over' };
  const context = {
    font: '',
    fillStyle: '' as unknown,
    textBaseline: '',
    get globalCompositeOperation(): string {
      return state.globalCompositeOperation;
    },
    set globalCompositeOperation(mode: string) {
      state.globalCompositeOperation = mode;
    },
    measureText: (text: string) => ({ width: text.length * 7, fontBoundingBoxAscent: 12, fontBoundingBoxDescent: 4 }),
    createLinearGradient: () => ({ addColorStop: () => undefined }),
    setTransform: () => undefined,
    clearRect: () => undefined,
    save: () => undefined,
    restore: () => {
      state.globalCompositeOperation = 'source-over';
    },
    beginPath: () => undefined,
    rect: () => undefined,
    clip: () => undefined,
    fillText: (text: string, x: number, y: number) => drawn.push({ op: 'fillText', args: [x, y], text, mode: state.globalCompositeOperation }),
    fillRect: (x: number, y: number, w: number, h: number) => drawn.push({ op: 'fillRect', args: [x, y, w, h], mode: state.globalCompositeOperation }),
  };
  return { drawn, context };
}

let root: HTMLElement;
let drawn: Drawn[];
const getContext = HTMLCanvasElement.prototype.getContext;
beforeEach(() => {
  fakeBrowser.reset();
  installI18n('en');
  root = document.createElement('div');
  document.body.append(root);
  // happy-dom does no layout: a body 10 rows high, every element 200 px wide (each column's room for text).
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 300 });
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 200 });
  const recording = recordingContext();
  drawn = recording.drawn;
  HTMLCanvasElement.prototype.getContext = (() => recording.context) as typeof getContext;
});
afterEach(() => {
  render(null, root);
  root.remove();
  HTMLCanvasElement.prototype.getContext = getContext;
  delete (HTMLElement.prototype as { clientHeight?: number }).clientHeight;
  delete (HTMLElement.prototype as { clientWidth?: number }).clientWidth;
});

type K = 'n' | 'type' | 'who';
const COLUMNS: VirtualColumn<K>[] = [
  { key: 'n', label: 'Number', width: '1fr' },
  { key: 'type', label: 'Type', width: '1fr', kind: 'tag' },
  { key: 'who', label: 'Recipient', width: '1fr', kind: 'link' },
];
/** Every third row's number is 40 characters long: 280 px, more than the column's 200. */
const LONG = (row: number): string => `${row} `.padEnd(40, 'x');
const text = (row: number, key: K): string => (key === 'n' ? (row % 3 === 0 ? LONG(row) : `n ${row}`) : key === 'type' ? 'Open' : `who ${row}`);

async function draw(label = 'Logs'): Promise<HTMLElement> {
  await act(() => {
    render(<VirtualTable label={label} columns={COLUMNS} count={1000} text={text} href={(row) => `#/recipients/${row}`} />, root);
  });
  // The lines are drawn in a microtask after the rows mount (LineTexts.paintSoon).
  await act(async () => {
    await Promise.resolve();
  });
  return root.querySelector<HTMLElement>('.vtable__body')!;
}

const texts = (): Drawn[] => drawn.filter((d) => d.op === 'fillText');
const shownRows = (body: HTMLElement): number[] =>
  [...body.querySelectorAll('.vtable__row:not([hidden])')].map((r) => Number(r.getAttribute('aria-rowindex')) - 2);

describe('VirtualTable canvas', () => {
  it('draws each line on its row, fades out only the lines cut at their column’s edge, and underlines links', async () => {
    const body = await draw();
    const rows = shownRows(body);
    expect(rows.length).toBeGreaterThanOrEqual(10);
    // The font's ascent and descent centred in the 30 px line: the baseline 19 px below the line's top.
    const baseline = (ROW_HEIGHT - 12 - 4) / 2 + 12;
    const numbers = texts().filter((d) => !d.text!.startsWith('who'));
    expect(numbers.map((d) => d.text)).toEqual(rows.map((r) => text(r, 'n')));
    expect(numbers.map((d) => d.args[1])).toEqual(rows.map((_, k) => k * ROW_HEIGHT + baseline));
    // A tag column has no lines: its text is in its cells.
    expect(texts().some((d) => d.text === 'Open')).toBe(false);
    expect(drawnLines(root)[1]).toBeUndefined();
    // The fade erases the last px of a cut line's row (every third row), and of no other.
    const fades = drawn.filter((d) => d.mode === 'destination-out');
    const cut = rows.flatMap((r, k) => (r % 3 === 0 ? [k * ROW_HEIGHT] : []));
    expect(cut.length).toBeGreaterThan(0);
    expect(fades.map((d) => d.args[1])).toEqual(cut);
    for (const f of fades) {
      expect(f.args[0]! + f.args[2]!).toBe(200); // ends at the column's edge
      expect(f.args[3]).toBe(ROW_HEIGHT);
    }
    // The link column's lines are underlined as wide as their text, 0.15 em under the baseline (16 px font).
    const underlines = drawn.filter((d) => d.op === 'fillRect' && d.mode === 'source-over');
    expect(underlines.map((d) => d.args[2])).toEqual(rows.map((r) => `who ${r}`.length * 7));
    expect(underlines.map((d) => d.args[1])).toEqual(rows.map((_, k) => k * ROW_HEIGHT + Math.round(baseline + 16 * 0.15)));
  });

  it('draws nothing when the lines are the same, and the new lines on a scroll', async () => {
    const { frame, restore } = framesByHand();
    try {
      const body = await draw();
      const first = texts().length;
      // A render that changes no line (the table's label): nothing drawn again.
      await draw('Logs again');
      expect(texts()).toHaveLength(first);
      // A scroll by a page (10 rows): the lines drawn anew, those of the rows now shown (at rest: 4 rows either side).
      await act(async () => {
        body.scrollTop = 10 * ROW_HEIGHT;
        body.dispatchEvent(new Event('scroll'));
        await new Promise((r) => setTimeout(r, 0));
      });
      await frame();
      await frame();
      // The last paint's lines (its first line is the one drawn at the top: it starts the paint).
      const after = texts().slice(first);
      const top = after[0]!.args[1];
      const again = after.slice(after.findLastIndex((d) => d.args[1] === top && !d.text!.startsWith('who')));
      const rows = shownRows(body);
      expect(rows[0]).toBe(6);
      expect(again.filter((d) => !d.text!.startsWith('who')).map((d) => d.text)).toEqual(rows.map((r) => text(r, 'n')));
      expect(again.filter((d) => d.text!.startsWith('who')).map((d) => d.text)).toEqual(rows.map((r) => `who ${r}`));
    } finally {
      restore();
    }
  });
});
