import { z } from 'zod';
import type { TrackingDb } from '../db/schema';
import type { HotClickBasis } from '../hotclicks/shares';
import type { Who } from '../indicators/human';
import type { MachineRules } from '../indicators/machine';
import { basisSchema, frameReportSchema, MAX_HREF, MAX_OVERLAY_LINKS, whoSchema, type OverlayDraw } from './protocol';
import { planOverlay, type FrameLinks } from './service';

/**
 * The overlay's life in a tab, driven by the background: inject into every frame the permission allows, collect
 * their links, plan, send each frame its draw; redraw on the legend's choices; remove on the off switch. Browser
 * APIs come in as functions so unit tests drive it without a browser.
 */

/** What executeScript answers per frame it reached. */
export interface InjectionResult {
  frameId: number;
  result?: unknown;
}

const tabStateSchema = z.object({
  frames: z.array(z.object({ frameId: z.number().int(), links: z.array(z.string().max(MAX_HREF)).max(MAX_OVERLAY_LINKS) })),
  framesUnreached: z.number().int().min(0),
  deliveryId: z.number().int().optional(),
  basis: basisSchema,
  // State saved before the switch existed counts every click.
  who: whoSchema.default('all'),
});
export type TabState = z.infer<typeof tabStateSchema>;

export interface OverlayDeps {
  db: TrackingDb;
  /** scripting.executeScript of the overlay script in every frame of the tab; throws when the top frame is out of reach. */
  inject(tabId: number): Promise<InjectionResult[]>;
  /** Sends one frame its draw, or `remove`; a frame that went away is no error. */
  send(tabId: number, frameId: number, message: OverlayDraw | 'remove'): Promise<void>;
  /** Per-tab state between messages (storage.session: the worker may stop between the user's clicks). */
  load(tabId: number): Promise<unknown>;
  save(tabId: number, state: TabState | undefined): Promise<void>;
  /** Time source for the draw timing (performance.now). */
  now?: () => number;
  /** The human-or-machine rules of the settings, for the humans-only count (the defaults when absent). */
  rules?: () => Promise<MachineRules>;
}

export interface ShowResult {
  ok: boolean;
  reason?: 'no-access';
  framesReached: number;
  framesUnreached: number;
  deliveryId?: number;
  matched: number;
  total: number;
}

/**
 * Frames reached and the count of those that were not: each reached document reports its `<iframe>` elements,
 * so the tab should hold 1 + Σ of them; those executeScript did not answer for were out of the permission's reach
 * (cross-origin frames under activeTab) or sandboxed. A lower bound: frames inside an unreached frame are unseen.
 */
export function framesFromResults(results: readonly InjectionResult[]): { frames: FrameLinks[]; unreached: number } {
  const frames: FrameLinks[] = [];
  let expected = 1;
  for (const r of [...results].sort((a, b) => a.frameId - b.frameId)) {
    const report = frameReportSchema.safeParse(r.result);
    if (!report.success) continue;
    frames.push({ frameId: r.frameId, links: report.data.links });
    expected += report.data.iframes;
  }
  return { frames, unreached: Math.max(0, expected - frames.length) };
}

export function createOverlayController(deps: OverlayDeps): {
  show(tabId: number): Promise<ShowResult>;
  select(tabId: number, choice: { deliveryId?: number | undefined; basis: HotClickBasis; who: Who }): Promise<boolean>;
  off(tabId: number): Promise<void>;
} {
  const draw = async (tabId: number, state: TabState): Promise<{ deliveryId: number | undefined; matched: number; total: number }> => {
    const choice = { deliveryId: state.deliveryId, basis: state.basis, who: state.who };
    const rules = state.who === 'human' && deps.rules ? await deps.rules() : undefined;
    const plan = await planOverlay(deps.db, state.frames, choice, state.framesUnreached, rules);
    await deps.save(tabId, { ...state, ...(plan.deliveryId !== undefined ? { deliveryId: plan.deliveryId } : {}) });
    await Promise.all([...plan.draws].map(([frameId, message]) => deps.send(tabId, frameId, message)));
    const legend = plan.draws.get(state.frames[0]?.frameId ?? 0)?.legend;
    return { deliveryId: plan.deliveryId, matched: legend?.matched ?? 0, total: legend?.total ?? 0 };
  };

  const loadState = async (tabId: number): Promise<TabState | undefined> => {
    const parsed = tabStateSchema.safeParse(await deps.load(tabId));
    return parsed.success ? parsed.data : undefined;
  };

  return {
    async show(tabId) {
      let results: InjectionResult[];
      try {
        results = await deps.inject(tabId);
      } catch {
        return { ok: false, reason: 'no-access', framesReached: 0, framesUnreached: 0, matched: 0, total: 0 };
      }
      const { frames, unreached } = framesFromResults(results);
      if (frames.length === 0) return { ok: false, reason: 'no-access', framesReached: 0, framesUnreached: unreached, matched: 0, total: 0 };
      const previous = await loadState(tabId);
      const state: TabState = { frames, framesUnreached: unreached, basis: previous?.basis ?? 'clicks', who: previous?.who ?? 'all' };
      const drawn = await draw(tabId, state);
      return {
        ok: true,
        framesReached: frames.length,
        framesUnreached: unreached,
        ...(drawn.deliveryId !== undefined ? { deliveryId: drawn.deliveryId } : {}),
        matched: drawn.matched,
        total: drawn.total,
      };
    },
    async select(tabId, choice) {
      const state = await loadState(tabId);
      if (!state) return false;
      const next: TabState = { frames: state.frames, framesUnreached: state.framesUnreached, basis: choice.basis, who: choice.who };
      const deliveryId = choice.deliveryId ?? state.deliveryId;
      if (deliveryId !== undefined) next.deliveryId = deliveryId;
      await draw(tabId, next);
      return true;
    },
    async off(tabId) {
      const state = await loadState(tabId);
      await deps.save(tabId, undefined);
      if (!state) return;
      await Promise.all(state.frames.map((f) => deps.send(tabId, f.frameId, 'remove')));
    },
  };
}
