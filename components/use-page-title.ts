import { useEffect } from 'preact/hooks';
import { t } from '../lib/i18n';

/** Sets the tab's title to "<page> – Tracking Logs" (history entries and screen readers announce it). */
export function usePageTitle(page: string | undefined): void {
  useEffect(() => {
    document.title = page ? t('page_title', [page, t('extName')]) : t('extName');
  }, [page]);
}
