import { emptyColumns, type EventColumns } from '../../../lib/db/events';

/** Event columns from rows of [seconds, recipient, type, url, agent, flags], in the order given. */
export function columns(events: readonly (readonly [number, number, number, number, number, number])[]): EventColumns {
  const cols = emptyColumns(events.length);
  events.forEach(([t, rcp, type, url, ua, flags], i) => {
    cols.t[i] = t;
    cols.rcp[i] = rcp;
    cols.type[i] = type;
    cols.url[i] = url;
    cols.ua[i] = ua;
    cols.flags[i] = flags;
  });
  return cols;
}
