import type { ComponentType, JSX } from 'preact';
import { useLayoutEffect, useState } from 'preact/hooks';
import { t } from '../lib/i18n';
import { Spinner } from './Spinner';

/**
 * A view whose code loads when it is first shown, not with the page: the tracking view's page evaluated every view's
 * modules when it started (the sources' provider schemas, the file import's parsers and store writer, …), about a
 * third of its script's evaluation before any statistics could be drawn. The deliveries list and a delivery's
 * statistics, where analysts land, stay in the page; the other views and tabs load their chunk on first use (a
 * spinner meanwhile, a message if it fails) and show at once after that.
 */
export interface LazyView<P> {
  (props: P): JSX.Element;
  /** Loads the view's code now (when the page is idle, say), so that its first showing needs no spinner. */
  preload(): void;
}

export function lazyView<P extends object>(load: () => Promise<ComponentType<P>>): LazyView<P> {
  let loaded: ComponentType<P> | undefined;
  let pending: Promise<ComponentType<P>> | undefined;
  const start = (): Promise<ComponentType<P>> => (pending ??= load().then((view) => (loaded = view)));
  const view = function LazyView(props: P): JSX.Element {
    const [failed, setFailed] = useState(false);
    const [, setReady] = useState(false);
    // Asked for before the first paint (the spinner's), not after it.
    useLayoutEffect(() => {
      if (loaded) return undefined;
      let live = true;
      start().then(
        () => live && setReady(true),
        (error: unknown) => {
          pending = undefined; // a later visit tries again
          console.error('Tracking Logs: a view could not be loaded', error);
          if (live) setFailed(true);
        },
      );
      return () => {
        live = false;
      };
    }, []);
    const View = loaded;
    if (View) return <View {...props} />;
    if (failed) {
      return (
        <p class="notice notice--error" role="alert">
          {t('view_load_error')}
        </p>
      );
    }
    return <Spinner />;
  };
  view.preload = (): void => {
    start().catch(() => {
      pending = undefined; // shown later, the view tries again and says so if it still fails
    });
  };
  return view;
}
