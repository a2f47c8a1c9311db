import type { JSX } from 'preact';

/** One figure: a label, its value, and an optional hint (the definition, or why it is missing). Use inside a `<dl>`. */
export function Indicator({ label, value, hint }: { label: string; value: string; hint?: string }): JSX.Element {
  return (
    <div class="indicator">
      <dt class="indicator__label">{label}</dt>
      <dd class="indicator__value">{value}</dd>
      {hint !== undefined && <dd class="indicator__hint">{hint}</dd>}
    </div>
  );
}
