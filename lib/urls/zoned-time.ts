/**
 * Wall-clock times in an explicit IANA time zone (the view's zone, not the browser's), for the custom time window's
 * `from`/`to` fields: `<input type="datetime-local">` speaks "YYYY-MM-DDTHH:mm" with no zone, and the hash keeps the
 * same text so a link reopens the same window in the same zone setting.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The zone's wall clock at `ms`, read back as if it were UTC, minus `ms`: the zone's offset then (ms). */
function offsetAt(ms: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return wall - Math.floor(ms / 1000) * 1000;
}

const WALL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/** Epoch ms of a wall time "YYYY-MM-DDTHH:mm" in `timeZone`, or undefined when the text is no such time. */
export function zonedWallToEpoch(wall: string, timeZone: string): number | undefined {
  const m = WALL.exec(wall);
  if (!m) return undefined;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59) return undefined;
  const asUtc = Date.UTC(y, mo - 1, d, h, mi);
  try {
    // Two steps settle DST edges: the offset at the first guess may differ from the one at the answer.
    let ms = asUtc - offsetAt(asUtc, timeZone);
    ms = asUtc - offsetAt(ms, timeZone);
    return ms;
  } catch {
    return undefined;
  }
}

/** "YYYY-MM-DDTHH:mm" of epoch ms in `timeZone`. */
export function epochToZonedWall(ms: number, timeZone: string): string {
  const local = new Date(ms + offsetAt(ms, timeZone));
  return local.toISOString().slice(0, 16);
}
