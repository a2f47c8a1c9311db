import type { ComponentType, JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { t } from '../lib/i18n';
import { Spinner } from './Spinner';

/**
 * A view whose code loads when it is first shown, not with the page: the tracking view's page evaluated every view's
 * modules when it started (the sources' provider schemas, the file import's parsers and store writer, …), about a
 * third of its script's evaluation before any statistics could be drawn. The delivery and recipient views, where
 * analysts land, stay in the page; the others load their chunk on first use (a spinner meanwhile, a message if it
 * fails) and show at once after that.
 */
export function lazyView<P extends object>(load: () => Promise<ComponentType<P>>): (props: P) => JSX.Element {
  let loaded: ComponentType<P> | undefined;
  let pending: Promise<ComponentType<P>> | undefined;
  return function LazyView(props: P): JSX.Element {
    const [failed, setFailed] = useState(false);
    const [, setReady] = useState(false);
    useEffect(() => {
      if (loaded) return undefined;
      let live = true;
      pending ??= load().then((view) => (loaded = view));
      pending.then(
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
}
