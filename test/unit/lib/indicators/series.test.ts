import { describe, expect, it } from 'vitest';
import { bucketEnd, buildSeries, dayStart, incompleteLast, sameHourlySeries, zoneOffsetSeconds } from '../../../../lib/indicators/series';

const hourOf = (iso: string): number => Date.parse(iso) / 3_600_000;

describe('opens and clicks over time', () => {
  const hours = [hourOf('2026-03-28T21:00Z'), hourOf('2026-03-28T23:00Z'), hourOf('2026-03-29T01:00Z')];
  const opens = [5, 3, 2];
  const clicks = [1, 0, 4];

  it('fills calendar hours without holes', () => {
    const s = buildSeries({ hours, columns: [opens, clicks], unit: 'hour', axis: 'calendar', timeZone: 'UTC', cumulative: false });
    expect(s.axis).toBe('calendar');
    expect(s.x).toEqual([0, 1, 2, 3, 4].map((i) => (hours[0]! + i) * 3600));
    expect(s.ys).toEqual([
      [5, 0, 3, 0, 2],
      [1, 0, 0, 0, 4],
    ]);
  });

  it('groups calendar days at midnight in the chosen zone, across a DST change', () => {
    // Stockholm: 21:00Z on 28 March is 22:00 local (UTC+1); 23:00Z is 00:00 on the 29th; clocks go to UTC+2 at
    // 01:00Z, so 01:00Z is 03:00 local, still the 29th.
    const s = buildSeries({ hours, columns: [opens], unit: 'day', axis: 'calendar', timeZone: 'Europe/Stockholm', cumulative: false });
    expect(s.x).toEqual([Date.parse('2026-03-27T23:00Z') / 1000, Date.parse('2026-03-28T23:00Z') / 1000]);
    expect(s.ys).toEqual([[5, 5]]);
    const utc = buildSeries({ hours, columns: [opens], unit: 'day', axis: 'calendar', timeZone: 'UTC', cumulative: false });
    expect(utc.ys).toEqual([[8, 2]]);
    expect(zoneOffsetSeconds(Date.parse('2026-03-29T01:00Z') / 1000, 'Europe/Stockholm')).toBe(7200);
    expect(dayStart(Date.parse('2026-03-29T12:00Z') / 1000, 'Europe/Stockholm')).toBe(Date.parse('2026-03-28T23:00Z') / 1000);
  });

  it('counts hours and days since the send, and sums them up when cumulative', () => {
    const sentAt = Date.parse('2026-03-28T21:40Z'); // hour 0 is the send's own hour
    const s = buildSeries({ hours, columns: [opens, clicks], unit: 'hour', axis: 'since', sentAt, timeZone: 'UTC', cumulative: true });
    expect(s.axis).toBe('since');
    expect(s.x).toEqual([0, 1, 2, 3, 4]);
    expect(s.ys).toEqual([
      [5, 5, 8, 8, 10],
      [1, 1, 1, 1, 5],
    ]);
    const days = buildSeries({
      hours: [...hours, hours[0]! + 30],
      columns: [[...opens, 7]],
      unit: 'day',
      axis: 'since',
      sentAt,
      timeZone: 'UTC',
      cumulative: false,
    });
    expect(days.x).toEqual([0, 1]);
    expect(days.ys).toEqual([[10, 7]]);
  });

  it('falls back to calendar time without a send time, and is empty without events', () => {
    expect(buildSeries({ hours, columns: [opens], unit: 'hour', axis: 'since', timeZone: 'UTC', cumulative: false }).axis).toBe(
      'calendar',
    );
    expect(buildSeries({ hours: [], columns: [[], []], unit: 'day', axis: 'calendar', timeZone: 'UTC', cumulative: true })).toEqual({
      x: [],
      ys: [[], []],
      axis: 'calendar',
    });
  });
});

describe('the last bucket of a chart', () => {
  const at = (iso: string): number => Date.parse(iso);

  it('ends an hour, a day of the zone, or a bucket since the send later', () => {
    const input = { unit: 'hour' as const, axis: 'calendar' as const, timeZone: 'UTC' };
    expect(bucketEnd(at('2026-11-27T16:00Z') / 1000, input)).toBe(at('2026-11-27T17:00Z') / 1000);
    // A day in Stockholm across the end of summer time is 25 hours long.
    const oct25 = at('2026-10-24T22:00Z') / 1000;
    expect(bucketEnd(oct25, { ...input, unit: 'day', timeZone: 'Europe/Stockholm' })).toBe(at('2026-10-25T23:00Z') / 1000);
    // Hour 2 since a send at 14:07 is 16:00–17:00; day 0 ends 24 hours after the send's hour began.
    const sentAt = at('2026-11-27T14:07Z');
    expect(bucketEnd(2, { ...input, axis: 'since', sentAt })).toBe(at('2026-11-27T17:00Z') / 1000);
    expect(bucketEnd(0, { ...input, unit: 'day', axis: 'since', sentAt })).toBe(at('2026-11-28T14:00Z') / 1000);
  });

  it('is incomplete while its hour is under way, or when a time window cuts it', () => {
    const s = buildSeries({
      hours: [hourOf('2026-11-27T14:00Z'), hourOf('2026-11-27T16:00Z')],
      columns: [[1880, 4]],
      unit: 'hour',
      axis: 'calendar',
      timeZone: 'UTC',
      cumulative: false,
    });
    const input = { unit: 'hour' as const, timeZone: 'UTC' };
    expect(incompleteLast(s, input, at('2026-11-27T16:05Z'))).toBe('now');
    expect(incompleteLast(s, input, at('2026-11-27T17:00Z'))).toBeUndefined();
    expect(incompleteLast(s, input, at('2026-11-28T09:00Z'), at('2026-11-27T16:07Z') / 1000)).toBe('window');
    expect(incompleteLast({ x: [], axis: 'calendar' }, input, 0)).toBeUndefined();
  });
});

describe('a series read again', () => {
  const series = (hours: number[], opens: number[], clicks: number[]) => ({
    hours: Uint32Array.from(hours),
    opens: Uint32Array.from(opens),
    clicks: Uint32Array.from(clicks),
  });

  it('is the same when every hour and count is, and differs at the first count that does', () => {
    const a = series([10, 11, 12], [5, 0, 2], [1, 0, 0]);
    expect(sameHourlySeries(a, series([10, 11, 12], [5, 0, 2], [1, 0, 0]))).toBe(true);
    expect(sameHourlySeries(a, series([10, 11, 12], [5, 0, 3], [1, 0, 0]))).toBe(false);
    expect(sameHourlySeries(a, series([10, 11, 12], [5, 0, 2], [1, 1, 0]))).toBe(false);
    expect(sameHourlySeries(a, series([10, 11, 13], [5, 0, 2], [1, 0, 0]))).toBe(false);
    expect(sameHourlySeries(a, series([10, 11], [5, 0], [1, 0]))).toBe(false);
    expect(sameHourlySeries(series([], [], []), series([], [], []))).toBe(true);
  });
});
