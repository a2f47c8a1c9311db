import { render } from 'preact';
import '../../components/styles.css';
import { messagesLocale, t } from '../../lib/i18n';
import { preloadHealth } from '../../components/use-health';
import { App } from './App';

document.documentElement.lang = messagesLocale();
document.title = t('extName');
// The health is read before anything is drawn, and the popup's first render shows it (../../components/use-health.ts
// preloadHealth). Should the store be slow to answer, the popup draws its loading state after PRELOAD_WAIT_MS and the
// live query takes over.
const PRELOAD_WAIT_MS = 150;
const root = document.getElementById('app');
if (root) {
  const preloaded = preloadHealth().catch(() => undefined);
  void Promise.race([preloaded, new Promise<undefined>((r) => setTimeout(r, PRELOAD_WAIT_MS))]).then((value) =>
    render(<App preloaded={value} />, root),
  );
}
