import type { JSX } from 'preact';
import { browser } from 'wxt/browser';
import { DeliveryAnomalies } from '../../components/DeliveryAnomalies';
import { GetStarted } from '../../components/GetStarted';
import { HealthPanel } from '../../components/HealthPanel';
import { IssueList, sourceLabelsOf } from '../../components/RunLog';
import { RunNowButton } from '../../components/RunNowButton';
import { SampleLabel } from '../../components/SampleLabel';
import { ShowHotClicksButton } from '../../components/ShowHotClicksButton';
import { SourceStatus, sourceName } from '../../components/SourceStatus';
import { Spinner } from '../../components/Spinner';
import { rateOrDash } from '../../components/format';
import { openTrackingView } from '../../components/open-view';
import { useHealth, type PreloadedHealth } from '../../components/use-health';
import { useLiveQuery } from '../../components/use-live-query';
import { db } from '../../lib/db/instance';
import { listDeliveriesWithAggregates } from '../../lib/db/queries';
import { t } from '../../lib/i18n';
import { headlineIndicators } from '../../lib/indicators/headline';
import { hrefFor, type Route } from '../../lib/routes';

/** Opens the tracking view (at `route`) and closes the popup; a real link, so it also works from the keyboard. */
function ViewLink({ route, children, class: className }: { route?: Route; children: string; class?: string }): JSX.Element {
  const href = browser.runtime.getURL(`/options.html${route ? hrefFor(route) : ''}`);
  return (
    <a
      href={href}
      class={className}
      onClick={(event) => {
        event.preventDefault();
        void openTrackingView(route).then(() => window.close());
      }}
    >
      {children}
    </a>
  );
}

function RecentDeliveries(): JSX.Element | null {
  // A second, separate query: the health above never waits for it.
  const recent = useLiveQuery(() => listDeliveriesWithAggregates(db, 3), []);
  if (recent.status !== 'ready' || recent.value.length === 0) return null;
  return (
    <section class="popup-section" aria-labelledby="recent-title">
      <h2 id="recent-title">{t('popup_recent_deliveries')}</h2>
      <ul class="plain-list">
        {recent.value.map(({ delivery, totals, sourceKind }) => {
          const h = headlineIndicators(delivery, totals);
          return (
            <li key={delivery.id} class="recent-delivery">
              <span class="recent-delivery__name">
                <ViewLink route={{ name: 'delivery', id: delivery.id }}>
                  {delivery.label || t('delivery_untitled')}
                </ViewLink>
                {sourceKind === 'sample' && <SampleLabel />}
              </span>
              <span class="recent-delivery__figures muted">
                {delivery.trackingEnabled
                  ? t('popup_delivery_rates', [rateOrDash(h.openRate), rateOrDash(h.clickRate)])
                  : t('tracking_not_activated')}
              </span>
              <DeliveryAnomalies delivery={delivery} totals={totals} />
            </li>
          );
        })}
      </ul>
    </section>
  );
}

export function App({ preloaded }: { preloaded?: PreloadedHealth | undefined }): JSX.Element {
  const view = useHealth(preloaded);

  return (
    <main class="popup-main">
      <header class="popup-header">
        <h1>{t('extName')}</h1>
      </header>
      {view.status === 'loading' && <Spinner />}
      {view.status === 'error' && (
        <p class="notice notice--error" role="alert">
          {t('store_error')}
        </p>
      )}
      {view.status === 'ready' && view.health.empty && (
        <GetStarted
          headingLevel={2}
          onAddSource={() => void openTrackingView({ name: 'source-new' }).then(() => window.close())}
        />
      )}
      {view.status === 'ready' && !view.health.empty && (
        <>
          <HealthPanel health={view.health} now={view.now} timeZone={view.timeZone} />
          <div class="button-row">
            <RunNowButton running={view.health.state === 'running'} primary />
            <ViewLink class="button">{t('open_tracking_view')}</ViewLink>
          </div>

          <section class="popup-section" aria-labelledby="sources-title">
            <h2 id="sources-title">{t('nav_sources')}</h2>
            <ul class="plain-list">
              {view.sources.map((source) => (
                <li key={source.id} class="source-line">
                  <span class="source-line__name">{sourceName(source)}</span>
                  <SourceStatus source={source} now={view.now} />
                </li>
              ))}
            </ul>
          </section>

          {view.health.lastIssues.length > 0 && view.health.lastRun && (
            <section class="popup-section" aria-labelledby="issues-title">
              <h2 id="issues-title">{t('popup_last_issues')}</h2>
              <IssueList
                issues={view.health.lastIssues.slice(0, 3)}
                sourceLabels={sourceLabelsOf(view.health.lastRun)}
                timeZone={view.timeZone}
              />
              {view.health.lastRun.id !== undefined && (
                <ViewLink route={{ name: 'run', id: view.health.lastRun.id }}>{t('popup_open_run_log')}</ViewLink>
              )}
            </section>
          )}

          <ShowHotClicksButton />
          <RecentDeliveries />
        </>
      )}
    </main>
  );
}
