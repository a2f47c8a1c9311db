import type { JSX } from 'preact';
import { t, type MessageKey } from '../lib/i18n';
import type { HealthState } from '../lib/workflow/health';

const LABELS: Record<HealthState, MessageKey> = {
  never: 'health_never',
  running: 'health_running',
  healthy: 'health_healthy',
  warning: 'health_warning',
  failing: 'health_failing',
  stale: 'health_stale',
};

/** A symbol as well as a colour, so the state reads without colour vision too. Text presentation (U+FE0E), not emoji. */
const SYMBOLS: Record<HealthState, string> = {
  never: '○',
  running: '↻',
  healthy: '✓',
  warning: '!',
  failing: '✕',
  stale: '⏱\uFE0E',
};

export function healthLabel(state: HealthState): string {
  return t(LABELS[state]);
}

/** The workflow's state as a coloured pill with a symbol and a word. */
export function HealthBadge({ state, large = false }: { state: HealthState; large?: boolean }): JSX.Element {
  return (
    <span class={`health-badge health-badge--${state}${large ? ' health-badge--large' : ''}`} data-state={state}>
      <span class="health-badge__symbol" aria-hidden="true">
        {SYMBOLS[state]}
      </span>
      <span class="health-badge__label">{healthLabel(state)}</span>
    </span>
  );
}
