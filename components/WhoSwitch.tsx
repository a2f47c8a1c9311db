import type { JSX } from 'preact';
import { t } from '../lib/i18n';
import type { Who } from '../lib/indicators/human';

/** The "Include: All events | Humans only" radio group of the URLs and hot-clicks tabs (`name`: the group's). */
export function WhoSwitch({ name, value, onChange }: { name: string; value: Who; onChange: (who: Who) => void }): JSX.Element {
  return (
    <fieldset class="segmented">
      <legend>{t('stats_toggle_who')}</legend>
      {(['all', 'human'] as const).map((who) => (
        <label key={who} class={value === who ? 'segmented__on' : undefined}>
          <input type="radio" name={name} value={who} checked={value === who} onChange={() => onChange(who)} />
          {t(who === 'all' ? 'stats_who_all' : 'stats_who_human')}
        </label>
      ))}
    </fieldset>
  );
}
