import type { JSX } from 'preact';
import { usePageTitle } from '../../../components/use-page-title';
import { t } from '../../../lib/i18n';
import { hrefFor } from '../../../lib/routes';

export function NotFoundRoute(): JSX.Element {
  usePageTitle(t('not_found_title'));
  return (
    <>
      <h1>{t('not_found_title')}</h1>
      <p>{t('not_found_body')}</p>
      <p>
        <a href={hrefFor({ name: 'deliveries' })}>{t('back_to_deliveries')}</a>
      </p>
    </>
  );
}
