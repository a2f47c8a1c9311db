import type { JSX } from 'preact';
import { t } from '../../../../lib/i18n';
import type { DeliveryTabProps } from './tab';

export function UrlsTab(_props: DeliveryTabProps): JSX.Element {
  return <p class="muted later-note">{t('delivery_tabs_later')}</p>;
}
