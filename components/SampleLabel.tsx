import type { JSX } from 'preact';
import { t } from '../lib/i18n';

/** A visible tag on everything that comes from the built-in sample data, so it is never mistaken for real data. */
export function SampleLabel(): JSX.Element {
  return (
    <span class="tag tag--sample" title={t('sample_tag_hint')}>
      {t('sample_tag')}
    </span>
  );
}
