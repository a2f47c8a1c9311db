import type { JSX } from 'preact';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { HealthBadge } from '../../components/HealthBadge';
import { lazyView } from '../../components/lazy-view';
import { RunNowButton } from '../../components/RunNowButton';
import { useHealth, type HealthView } from '../../components/use-health';
import { useNow } from '../../components/use-now';
import { useViewSettings } from '../../components/use-settings';
import { t, type MessageKey } from '../../lib/i18n';
import { hrefFor, parseRoute, sectionOf, type Route, type Section } from '../../lib/routes';
import type { ViewContext } from './context';
import { useFileDrop } from './file-drop';
import { DeliveriesRoute } from './routes/deliveries';
import { DeliveryRoute } from './routes/delivery';
import { NotFoundRoute } from './routes/not-found';

// Loaded on first use (components/lazy-view.tsx): the deliveries list and a delivery's statistics, where the view
// opens, are in the page; the recipient views (with the logs table's virtualiser and CSV writer) and the rest load
// their code when first shown.
const RecipientsRoute = lazyView(() => import('./routes/recipients').then((m) => m.RecipientsRoute));
const RecipientRoute = lazyView(() => import('./routes/recipients').then((m) => m.RecipientRoute));
const ImportRoute = lazyView(() => import('./routes/import').then((m) => m.ImportRoute));
const RunRoute = lazyView(() => import('./routes/run').then((m) => m.RunRoute));
const SettingsRoute = lazyView(() => import('./routes/settings').then((m) => m.SettingsRoute));
const SourceFormRoute = lazyView(() => import('./routes/source-form').then((m) => m.SourceFormRoute));
const SourcesRoute = lazyView(() => import('./routes/sources').then((m) => m.SourcesRoute));
const WorkflowRoute = lazyView(() => import('./routes/workflow').then((m) => m.WorkflowRoute));

const NAV: { section: Section; label: MessageKey; route: Route }[] = [
  { section: 'deliveries', label: 'nav_deliveries', route: { name: 'deliveries' } },
  { section: 'recipients', label: 'nav_recipients', route: { name: 'recipients' } },
  { section: 'sources', label: 'nav_sources', route: { name: 'sources' } },
  { section: 'workflow', label: 'nav_workflow', route: { name: 'workflow' } },
  { section: 'settings', label: 'nav_settings', route: { name: 'settings' } },
];

/** The current hash route; follows back/forward and links through `hashchange`. */
function useHashRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = (): void => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

/** `health`: the workflow's health, read once by the shell for the header; only the workflow view shows it. */
function View({ route, ctx, health }: { route: Route; ctx: ViewContext; health: HealthView | undefined }): JSX.Element {
  switch (route.name) {
    case 'deliveries':
      return <DeliveriesRoute ctx={ctx} params={route.params ?? {}} />;
    case 'delivery':
      return <DeliveryRoute key={route.id} id={route.id} tab={route.tab} params={route.params} ctx={ctx} />;
    case 'recipients':
      return <RecipientsRoute ctx={ctx} params={route.params ?? {}} />;
    case 'recipient':
      return <RecipientRoute key={route.id} id={route.id} ctx={ctx} params={route.params ?? {}} />;
    case 'sources':
      return <SourcesRoute ctx={ctx} />;
    case 'source-new':
      return <SourceFormRoute key="new" ctx={ctx} />;
    case 'source-edit':
      return <SourceFormRoute key={route.id} id={route.id} ctx={ctx} />;
    case 'import':
      return <ImportRoute ctx={ctx} />;
    case 'workflow':
      return <WorkflowRoute ctx={ctx} health={health ?? { status: 'loading' }} />;
    case 'run':
      return <RunRoute id={route.id} ctx={ctx} />;
    case 'settings':
      return <SettingsRoute ctx={ctx} />;
    case 'not-found':
      return <NotFoundRoute />;
  }
}

/** The tracking view: a header (name, navigation, health, "Run now") over the view the hash names. */
export function App(): JSX.Element {
  const route = useHashRoute();
  const health = useHealth();
  // One read of the settings for both (each hook of its own would read and watch storage again).
  const { timeZone, rules } = useViewSettings();
  const now = useNow();
  const main = useRef<HTMLElement>(null);
  const firstRender = useRef(true);
  // Focus moves to the new heading when the view changes, not when a filter or a delivery tab does (the user is
  // still working in the view, often typing in it).
  const routeKey = route.name === 'delivery' ? `delivery/${route.id}` : hrefFor(route).split('?')[0];

  // On a route change, move focus to the new view's heading, as a page load would, so keyboard and screen-reader
  // users land on the new content rather than on the link they used. Not on the first load: the page starts at top.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    const heading = main.current?.querySelector<HTMLElement>('h1');
    if (heading) {
      heading.setAttribute('tabindex', '-1');
      heading.focus();
    } else {
      main.current?.focus();
    }
    window.scrollTo(0, 0);
  }, [routeKey]);

  const navigate = useCallback((next: Route) => {
    location.hash = hrefFor(next);
  }, []);

  // A file dropped anywhere on the view opens the import (entrypoints/options/file-drop.ts).
  const dragging = useFileDrop(useCallback(() => navigate({ name: 'import' }), [navigate]));

  const running = health.status === 'ready' && health.health.state === 'running';
  const ctx = useMemo<ViewContext>(() => ({ timeZone, now, running, navigate, rules }), [timeZone, now, running, navigate, rules]);
  // The view is drawn again only when its route or context changes, or, for the workflow view, the health. The health
  // changes with every page a run commits (its progress), and every other view drawn again with it cost the page's
  // main thread ~0.3 s per million events ingested (the settings view's list of time zones diffed each time), on two
  // cores that the ingest wants both of.
  const viewHealth = route.name === 'workflow' ? health : undefined;
  const view = useMemo(() => <View route={route} ctx={ctx} health={viewHealth} />, [route, ctx, viewHealth]);
  const section = sectionOf(route);

  return (
    <div class="shell">
      <button
        type="button"
        class="skip-link"
        onClick={() => {
          const heading = main.current?.querySelector<HTMLElement>('h1');
          heading?.setAttribute('tabindex', '-1');
          (heading ?? main.current)?.focus();
        }}
      >
        {t('skip_to_content')}
      </button>
      <header class="app-header">
        <a class="app-header__brand" href={hrefFor({ name: 'deliveries' })}>
          {t('extName')}
        </a>
        <nav class="app-nav" aria-label={t('nav_label')}>
          <ul>
            {NAV.map((item) => (
              <li key={item.section}>
                <a href={hrefFor(item.route)} aria-current={section === item.section ? 'page' : undefined}>
                  {t(item.label)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="app-header__status">
          {health.status === 'ready' && (
            <a
              class="app-header__health"
              href={hrefFor({ name: 'workflow' })}
              title={t('health_badge_hint')}
              aria-label={t('health_badge_label', t(`health_${health.health.state}`))}
            >
              <HealthBadge state={health.health.state} />
            </a>
          )}
          {/* The workflow page has its own, primary Run now: one button for one action on a page. */}
          {route.name !== 'workflow' && <RunNowButton running={running} />}
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1} class="app-main">
        {view}
      </main>
      {dragging && (
        <div class="drop-overlay" aria-hidden="true">
          <p>{t('import_drop_overlay')}</p>
        </div>
      )}
    </div>
  );
}
