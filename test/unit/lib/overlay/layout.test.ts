import { describe, expect, it } from 'vitest';
import { BADGE_LIFT, badgeWidth, placeBadges, unionRect } from '../../../../lib/overlay/layout';

const vp = { width: 800, height: 600 };
const size = { width: 60, height: 18 };

describe('badge layout', () => {
  it("puts a badge on its link's top-left corner, lifted to leave the link's text readable, and hides badges of links out of view or without area", () => {
    const boxes = placeBadges(
      [{ left: 100, top: 50, width: 200, height: 40 }, { left: 100, top: 900, width: 10, height: 10 }, { left: 5, top: 5, width: 0, height: 0 }, undefined],
      [size, size, size, size],
      vp,
    );
    expect(boxes[0]).toEqual({ x: 100, y: 50 - BADGE_LIFT, width: 60, height: 18, visible: true });
    expect(boxes.slice(1).map((b) => b.visible)).toEqual([false, false, false]);
  });

  it('keeps badges inside the viewport', () => {
    const [b] = placeBadges([{ left: 780, top: -10, width: 100, height: 30 }], [size], vp);
    expect([b!.x, b!.y]).toEqual([740, 0]);
  });

  it('slides a badge past one it would cover (two links side by side)', () => {
    const boxes = placeBadges(
      [
        { left: 100, top: 50, width: 30, height: 30 },
        { left: 110, top: 52, width: 30, height: 30 },
      ],
      [size, size],
      vp,
    );
    expect(boxes[1]!.x).toBeGreaterThanOrEqual(boxes[0]!.x + boxes[0]!.width);
    expect(boxes[1]!.y).toBe(52 - BADGE_LIFT);
  });

  it('takes the union of what an image link holds', () => {
    expect(unionRect([{ left: 0, top: 0, width: 0, height: 0 }, { left: 10, top: 20, width: 100, height: 50 }, { left: 50, top: 10, width: 100, height: 20 }])).toEqual({
      left: 10,
      top: 10,
      width: 140,
      height: 60,
    });
    expect(unionRect([])).toBeUndefined();
    expect(badgeWidth('12.3 % · 456')).toBeGreaterThan(badgeWidth('1 %'));
  });
});
