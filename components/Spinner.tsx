import type { JSX } from 'preact';
import { t } from '../lib/i18n';

/** A quiet loading indicator, announced once to screen readers. */
export function Spinner({ label, inline = false }: { label?: string; inline?: boolean }): JSX.Element {
  return (
    <span class={inline ? 'spinner spinner--inline' : 'spinner'} role="status">
      <span class="spinner__ring" aria-hidden="true" />
      <span class="spinner__label">{label ?? t('loading')}</span>
    </span>
  );
}
