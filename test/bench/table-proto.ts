// An experiment, not part of `npm run bench`: what the logs table's layout costs the browser a frame, against one
// where each column's text is one block with a line per row. A standalone page in Chromium (no extension, no store)
// rewrites every cell of a 24-row, 8-column table on each animation frame, as a jump through a million rows does,
// and a trace gives each frame's CPU by phase (frame-cpu.ts):
//
//   sh scripts/node.sh node test/bench/table-proto.ts [cells|columns|columns+aria …]
//
//   cells         the table as it was drawn before its plain and link columns moved to lines: flex rows of
//                 fixed-width cells, each clipping its one line with an ellipsis and contained, a text node per cell;
//   columns       one block per column, `white-space: pre`, its rows' texts joined by line breaks: one text node and
//                 one clip per column, the ellipsis per line;
//   columns+aria  the same, over empty row and cell elements named by `aria-label` (for assistive technology): as
//                 the table drew its plain and link columns until 2026-11-29 (ColumnLines in
//                 components/VirtualTable.tsx draws them on a canvas now; the logs bench measures that).
//
// It prints, per variant: frames dropped (intervals over 17.5 ms), the script and layout work of each frame (p50,
// p95) and the trace's CPU a frame. Run it on a quiet machine; the variants run one after the other.
import { chromium } from 'playwright-core';
import { CHROMIUM } from '../e2e/harness.ts';
import { describeFrameCpu, frameCpu } from './frame-cpu.ts';
import { startPageTrace } from './trace.ts';

const FRAMES = Number(process.env.TABLE_PROTO_FRAMES ?? 600);
const modes = process.argv.slice(2).length ? process.argv.slice(2) : ['cells', 'columns', 'columns+aria'];

const PAGE = `<!doctype html><html><head><style>
body { font: 14px system-ui, sans-serif; margin: 0 }
.body { height: 720px; width: 1380px; overflow: hidden; position: relative; contain: strict; font-variant-numeric: tabular-nums }
.rows { position: absolute; top: 0; left: 0; width: 100% }
.row { display: flex; height: 30px; border-bottom: 1px solid #ddd; contain: strict; align-items: center; box-sizing: border-box }
.rows > .row:nth-child(even) { background: #f4f4f4 }
.cell { padding: 0 .6rem; overflow: hidden; white-space: nowrap; text-overflow: ellipsis; min-width: 0; contain: layout paint style; box-sizing: border-box }
.cols { display: flex; position: absolute; top: 0; left: 0; width: 100% }
.col { white-space: pre; overflow: hidden; text-overflow: ellipsis; line-height: 30px; padding: 0 .6rem; box-sizing: border-box }
</style></head><body><div class="body" id="b"></div></body></html>`;

/** In the page: builds the variant and returns nothing; `window.run(n)` then rewrites every cell on n frames. */
function setUp(mode: string): void {
  const W = [190, 120, 230, 200, 190, 150, 220, 80];
  const ROWS = 24;
  let seed = 7;
  const rnd = (): number => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  const word = (n: number): string => Math.floor(rnd() * 36 ** n).toString(36).padStart(n, 'a');
  const texts: (() => string)[] = [
    () => `Nov ${10 + Math.floor(rnd() * 19)}, 2026, ${1 + Math.floor(rnd() * 11)}:${word(2)}:${word(2)} PM`,
    () => (rnd() < 0.5 ? 'Open' : 'Email click'),
    () => `${word(8)}.${word(5)}@${word(6)}.example.com`,
    () => `https://shop.example.com/${word(10)}/${word(12)}?utm_source=${word(6)}`,
    () => 'Desktop · Chrome 120 · Windows 10',
    () => (rnd() < 0.8 ? 'Human' : 'Privacy proxy'),
    () => `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${word(3)}.0 Safari/537.36`,
    () => `10.${Math.floor(rnd() * 255)}.${Math.floor(rnd() * 255)}.${Math.floor(rnd() * 255)}`,
  ];
  const body = document.getElementById('b')!;
  const rowsEl = document.createElement('div');
  rowsEl.className = 'rows';
  body.append(rowsEl);
  // The rows, each a flex row of fixed-width cells; with `withText`, a text node in each cell (returned in order).
  const makeRows = (withText: boolean): { cells: HTMLElement[]; nodes: Text[] } => {
    const cells: HTMLElement[] = [];
    const nodes: Text[] = [];
    for (let r = 0; r < ROWS; r++) {
      const row = document.createElement('div');
      row.className = 'row';
      rowsEl.append(row);
      for (const w of W) {
        const cell = document.createElement('div');
        if (withText) cell.className = 'cell';
        cell.style.flex = `0 0 ${w}px`;
        if (withText) nodes.push(cell.appendChild(document.createTextNode('')));
        row.append(cell);
        cells.push(cell);
      }
    }
    return { cells, nodes };
  };
  let update: () => void;
  if (mode === 'cells') {
    const { nodes } = makeRows(true);
    update = () => {
      for (let i = 0; i < nodes.length; i++) nodes[i]!.data = texts[i % W.length]!();
    };
  } else {
    // Rows with empty cells (named for assistive technology in columns+aria), under one text block per column.
    const { cells } = makeRows(false);
    const cols = document.createElement('div');
    cols.className = 'cols';
    cols.setAttribute('aria-hidden', 'true');
    body.append(cols);
    const nodes = W.map((w) => {
      const col = document.createElement('div');
      col.className = 'col';
      col.style.width = `${w}px`;
      const t = document.createTextNode('');
      col.append(t);
      cols.append(col);
      return t;
    });
    const aria = mode === 'columns+aria';
    update = () => {
      for (let c = 0; c < W.length; c++) {
        const lines: string[] = [];
        for (let r = 0; r < ROWS; r++) {
          const text = texts[c]!();
          lines.push(text);
          if (aria) cells[r * W.length + c]!.setAttribute('aria-label', text);
        }
        nodes[c]!.data = lines.join('\n');
      }
    };
  }
  (window as unknown as { run: (n: number) => Promise<{ intervals: number[]; work: number[] }> }).run = (n) =>
    new Promise((done) => {
      const intervals: number[] = [];
      const work: number[] = [];
      let k = 0;
      let last = 0;
      const frame = (now: number): void => {
        if (last) intervals.push(now - last);
        last = now;
        if (k++ >= n) return done({ intervals, work });
        const t0 = performance.now();
        update();
        void body.getBoundingClientRect();
        void document.body.offsetHeight;
        work.push(performance.now() - t0);
        requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    });
}

const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? NaN;

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  for (const mode of modes) {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.setContent(PAGE);
    await page.evaluate(setUp, mode);
    await page.evaluate((n) => (window as unknown as { run: (n: number) => Promise<unknown> }).run(n), 60);
    const stop = await startPageTrace(page, { includedCategories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'toplevel'] });
    const r = await page.evaluate(
      (n) => (window as unknown as { run: (n: number) => Promise<{ intervals: number[]; work: number[] }> }).run(n),
      FRAMES,
    );
    const data = await stop();
    const cpu = frameCpu((JSON.parse(data) as { traceEvents: Parameters<typeof frameCpu>[0] }).traceEvents);
    console.log(
      `${mode.padEnd(13)} dropped ${r.intervals.filter((x) => x > 17.5).length} of ${r.intervals.length}; work p50 ${pct(r.work, 0.5).toFixed(2)} p95 ${pct(r.work, 0.95).toFixed(2)} ms; ${cpu ? describeFrameCpu(cpu) : 'no trace'}`,
    );
    await page.close();
  }
} finally {
  await browser.close();
}
