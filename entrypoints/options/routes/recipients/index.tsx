import type { JSX } from 'preact';
import { usePageTitle } from '../../../../components/use-page-title';
import { t } from '../../../../lib/i18n';
import type { RouteParams } from '../../../../lib/routes';
import type { ViewContext } from '../../context';

export function RecipientsRoute(_props: { ctx: ViewContext; params: RouteParams }): JSX.Element {
  usePageTitle(t('nav_recipients'));
  return (
    <>
      <h1>{t('nav_recipients')}</h1>
      <p class="muted later-note">{t('delivery_tabs_later')}</p>
    </>
  );
}

export function RecipientRoute(_props: { id: number; ctx: ViewContext; params: RouteParams }): JSX.Element {
  usePageTitle(t('nav_recipients'));
  return (
    <>
      <h1>{t('nav_recipients')}</h1>
      <p class="muted later-note">{t('delivery_tabs_later')}</p>
    </>
  );
}
