import { emptyColumns } from './lib/db/events';
import { classifyEvents } from './lib/indicators/machine';
import { humanAggregate } from './lib/indicators/human';
const n = 1_000_000;
const cols = emptyColumns(n);
let seed = 7; const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
const agents = ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36', 'Mozilla/5.0', 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148'];
for (let i = 0; i < n; i++) { cols.t[i] = 1_800_000_000 + Math.floor(i * 2.6); cols.rcp[i] = 1 + Math.floor(rand() * 300000); const click = rand() < 0.3; cols.type[i] = click ? 1 : 2; cols.url[i] = click ? 1 + (i % 40) : 0; cols.ua[i] = 1 + (i % 4); cols.flags[i] = i % 3 === 0 && !click ? 2 : 0; }
for (let r = 0; r < 3; r++) {
  let t0 = performance.now();
  const cls = classifyEvents(cols, (id) => agents[id - 1]);
  const t1 = performance.now();
  const h = humanAggregate(1, cols, cls);
  const t2 = performance.now();
  console.log(`classify ${(t1 - t0).toFixed(0)} ms, aggregate ${(t2 - t1).toFixed(0)} ms, events ${h.row.totals.events}`);
}
