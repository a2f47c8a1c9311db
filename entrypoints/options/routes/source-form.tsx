import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { Spinner } from '../../../components/Spinner';
import { notifySourcesChanged } from '../../../components/notify';
import { usePageTitle } from '../../../components/use-page-title';
import { db } from '../../../lib/db/instance';
import { sourceById } from '../../../lib/db/queries';
import type { ProviderKind, SourceRow } from '../../../lib/db/schema';
import { issueText, t, tn, type MessageKey } from '../../../lib/i18n';
import { sendMessage, type TestConnectionResult } from '../../../lib/messaging';
import {
  FEED_FORMATS,
  addFeedSource,
  feedConfigSchema,
  originPattern,
  parseHttpUrl,
  updateSource,
  validateFeedInput,
  type FeedFormat,
  type FeedFormErrors,
} from '../../../lib/sources/registry';
import {
  PROVIDERS,
  configFromValues,
  providerOf,
  secretFieldsOf,
  validateProviderValues,
  type ProviderDescriptor,
  type ProviderErrors,
} from '../../../lib/sources/providers';
import { addProviderSource, updateProviderSource } from '../../../lib/sources/registry';
import { getSecret, getSecretFields, hasSecret, savedSecretFields } from '../../../lib/sources/secrets';
import type { IssueCode } from '../../../lib/workflow/issues';
import { hrefFor } from '../../../lib/routes';
import type { ViewContext } from '../context';
import { setFlash } from '../flash';
import { ProviderFields, providerInputId } from './provider-fields';

type Kind = 'feed' | ProviderKind;

/** What to check when a provider test fails, by issue code (the issue text says what happened). */
const PROVIDER_HINTS: Partial<Record<IssueCode, MessageKey>> = {
  unauthorized: 'src_hint_unauthorized',
  forbidden: 'src_hint_forbidden',
  'not-found': 'src_hint_not_found',
  network: 'src_hint_network',
  timeout: 'src_hint_network',
  'rate-limited': 'src_hint_rate_limited',
  'no-permission': 'src_hint_no_permission',
  'key-or-region-rejected': 'provider_hint_key_or_region',
  'ip-not-allowed': 'provider_hint_ip_not_allowed',
  'login-failed': 'provider_hint_login_failed',
  'wrong-instance': 'provider_hint_wrong_instance',
};

/** A provider's form values from a saved config (secrets are never read back into the form). */
function valuesFromConfig(provider: ProviderDescriptor, config: Record<string, unknown>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const f of provider.fields) {
    const v = config[f.name];
    if (f.kind !== 'secret' && (typeof v === 'string' || typeof v === 'number')) values[f.name] = String(v);
    else if (f.kind === 'select' && f.options?.[0]) values[f.name] = f.options[0].value;
  }
  return values;
}

/** The origins a provider form's values need, or [] while they are invalid. */
function providerOrigins(provider: ProviderDescriptor, values: Record<string, string>): string[] {
  try {
    return provider.origins(configFromValues(provider, values));
  } catch {
    return [];
  }
}

const FORMAT_LABELS: Record<FeedFormat, MessageKey> = {
  auto: 'feed_format_auto',
  ndjson: 'feed_format_ndjson',
  csv: 'feed_format_csv',
};

type Loaded = { status: 'loading' } | { status: 'missing' } | { status: 'not-editable' } | { status: 'ready' };
type SaveState = 'idle' | 'saving' | 'denied' | 'failed';
type TestState =
  | { status: 'idle' }
  | { status: 'testing' }
  | { status: 'denied' }
  | { status: 'done'; result: TestConnectionResult }
  | { status: 'failed' };

/**
 * Asks for access to the feed's origin (optional_host_permissions). Must be called synchronously from the click or
 * submit handler: the browser only shows its prompt during a user gesture, and an `await` before it would lose it.
 */
function requestOrigins(origins: string[]): Promise<boolean> {
  if (origins.length === 0) return Promise.resolve(false);
  return browser.permissions.request({ origins }).catch((error: unknown) => {
    console.error('Tracking Logs: permission request failed', error);
    return false;
  });
}

function TestResult({ state, provider }: { state: TestState; provider: boolean }): JSX.Element | null {
  switch (state.status) {
    case 'idle':
      return null;
    case 'testing':
      return <Spinner inline label={t('test_running')} />;
    case 'denied':
      return <p class="text-error">{t('permission_denied_test')}</p>;
    case 'failed':
      return <p class="text-error">{t('test_failed')}</p>;
    case 'done': {
      const r = state.result;
      if (!r.ok) {
        const hint = provider && r.issue ? PROVIDER_HINTS[r.issue.code] : undefined;
        return (
          <>
            <p class="text-error">{r.issue ? issueText(r.issue) : t('test_failed')}</p>
            {hint && <p class="text-error">{t(hint)}</p>}
          </>
        );
      }
      return (
        <p class="text-ok">
          {t('test_found', [
            tn('count_deliveries', r.deliveries),
            tn('count_links', r.urls),
            tn('count_events', r.events),
            tn('count_rejected', r.rejected),
          ])}
        </p>
      );
    }
  }
}

/** Add (`id` undefined) or edit a feed source. */
export function SourceFormRoute({ id, ctx }: { id?: string; ctx: ViewContext }): JSX.Element {
  const editing = id !== undefined;
  const title = editing ? t('source_edit_title') : t('source_new_title');
  usePageTitle(title);

  const [loaded, setLoaded] = useState<Loaded>(editing ? { status: 'loading' } : { status: 'ready' });
  const [source, setSource] = useState<SourceRow>();
  const [label, setLabel] = useState('');
  const [url, setUrl] = useState('');
  const [format, setFormat] = useState<FeedFormat>('auto');
  const [token, setToken] = useState('');
  const [tokenSaved, setTokenSaved] = useState(false);
  const [removeToken, setRemoveToken] = useState(false);
  const [errors, setErrors] = useState<FeedFormErrors>({});
  const [kind, setKind] = useState<Kind>('feed');
  const [values, setValues] = useState<Record<string, string>>({});
  const [savedSecrets, setSavedSecrets] = useState<string[]>([]);
  const [providerErrors, setProviderErrors] = useState<ProviderErrors>({});
  const provider = kind === 'feed' ? undefined : providerOf(kind);
  const [save, setSave] = useState<SaveState>('idle');
  const [test, setTest] = useState<TestState>({ status: 'idle' });
  const labelInput = useRef<HTMLInputElement>(null);
  const urlInput = useRef<HTMLInputElement>(null);

  // Load once: a form must not change under the user's hands when the workflow updates the source's status.
  useEffect(() => {
    if (id === undefined) return;
    let alive = true;
    void (async () => {
      try {
        const row = await sourceById(db, id);
        if (!alive) return;
        if (!row) return setLoaded({ status: 'missing' });
        const rowProvider = providerOf(row.kind);
        if (rowProvider) {
          setSource(row);
          setKind(rowProvider.kind);
          setLabel(row.label);
          setValues(valuesFromConfig(rowProvider, row.config));
          const saved = await savedSecretFields(id);
          if (!alive) return;
          setSavedSecrets(saved);
          return setLoaded({ status: 'ready' });
        }
        if (row.kind !== 'feed') return setLoaded({ status: 'not-editable' });
        const config = feedConfigSchema.partial().safeParse(row.config);
        setSource(row);
        setLabel(row.label);
        setUrl(config.success ? (config.data.url ?? '') : '');
        setFormat(config.success ? (config.data.format ?? 'auto') : 'auto');
        setTokenSaved(await hasSecret(id));
        if (alive) setLoaded({ status: 'ready' });
      } catch (error) {
        console.error('Tracking Logs: could not load the source', error);
        if (alive) setLoaded({ status: 'missing' });
      }
    })();
    return () => {
      alive = false;
    };
  }, [id]);

  function originsToAsk(): string[] {
    if (provider) return providerOrigins(provider, values);
    const pattern = originPattern(url);
    return pattern ? [pattern] : [];
  }

  function check(): boolean {
    if (provider) {
      const found = validateProviderValues(provider, values, savedSecrets);
      const labelError = label.trim() ? undefined : ('required' as const);
      setErrors({ label: labelError });
      setProviderErrors(found);
      const firstField = provider.fields.find((f) => found[f.name]);
      if (labelError) labelInput.current?.focus();
      else if (firstField) document.getElementById(providerInputId(firstField.name))?.focus();
      return !labelError && !firstField;
    }
    const found = validateFeedInput({ label, url });
    setErrors(found);
    if (found.label) labelInput.current?.focus();
    else if (found.url) urlInput.current?.focus();
    return !found.label && !found.url;
  }

  async function persist(): Promise<void> {
    try {
      if (provider) {
        if (editing && id !== undefined) {
          await updateProviderSource(db, id, { label, values, savedSecrets });
          setFlash(t('source_saved', label.trim()));
        } else {
          await addProviderSource(db, { kind: provider.kind, label, values });
          setFlash(t('source_added', label.trim()));
        }
      } else if (editing && id !== undefined) {
        await updateSource(db, id, {
          label,
          url,
          format,
          // Empty field = keep the saved token, unless the user asked to remove it.
          secret: token !== '' ? token : removeToken ? null : undefined,
        });
        setFlash(t('source_saved', label.trim()));
      } else {
        await addFeedSource(db, { label, url, format, secret: token || undefined });
        setFlash(t('source_added', label.trim()));
      }
      void notifySourcesChanged();
      ctx.navigate({ name: 'sources' });
    } catch (error) {
      console.error('Tracking Logs: could not save the source', error);
      setSave('failed');
    }
  }

  function onSubmit(event: Event): void {
    event.preventDefault();
    if (save === 'saving' || !check()) return;
    setSave('saving');
    const origins = originsToAsk();
    // Synchronously, inside the submit gesture (see requestOrigins).
    void requestOrigins(origins).then((granted) => {
      if (!granted) {
        setSave('denied');
        return;
      }
      return persist();
    });
  }

  function onTest(): void {
    if (!check()) return;
    const origins = originsToAsk();
    setTest({ status: 'testing' });
    const permission = requestOrigins(origins);
    void (async () => {
      if (!(await permission)) return setTest({ status: 'denied' });
      if (provider) {
        try {
          // Typed secrets are tested as typed; a field left empty tests the saved one (read here, never shown).
          const saved = editing && id !== undefined ? await getSecretFields(id) : {};
          const secrets: Record<string, string> = {};
          for (const f of secretFieldsOf(provider)) {
            const v = values[f.name]?.trim() || saved[f.name];
            if (v) secrets[f.name] = v;
          }
          const result = await sendMessage('testConnection', {
            kind: provider.kind,
            config: provider.configSchema.parse(configFromValues(provider, values)),
            secrets,
          });
          setTest({ status: 'done', result });
        } catch (error) {
          console.error('Tracking Logs: testConnection failed', error);
          setTest({ status: 'failed' });
        }
        return;
      }
      try {
        const secret =
          token !== '' ? token : editing && id !== undefined && !removeToken ? await getSecret(id) : undefined;
        const result = await sendMessage('testConnection', {
          kind: 'feed',
          config: { url: url.trim(), format },
          ...(secret !== undefined ? { secret } : {}),
        });
        setTest({ status: 'done', result });
      } catch (error) {
        console.error('Tracking Logs: testConnection failed', error);
        setTest({ status: 'failed' });
      }
    })();
  }

  const back = (
    <p class="breadcrumb">
      <a href={hrefFor({ name: 'sources' })}>{t('back_to_sources')}</a>
    </p>
  );

  if (loaded.status !== 'ready') {
    return (
      <>
        {back}
        <h1>{title}</h1>
        {loaded.status === 'loading' ? (
          <Spinner />
        ) : (
          <p class="notice" role="alert">
            {loaded.status === 'missing' ? t('source_missing') : t('source_not_editable')}
          </p>
        )}
      </>
    );
  }

  const origin = parseHttpUrl(url)?.origin;
  const providerOriginList = provider ? providerOrigins(provider, values) : [];
  const deniedWhat = provider ? providerOriginList.map((o) => o.replace(/\/\*$/, '')).join(', ') : (origin ?? url);

  function chooseKind(next: Kind): void {
    const nextProvider = next === 'feed' ? undefined : providerOf(next);
    // A name the form filled in (a provider's name) follows the choice; a name the user typed stays.
    const auto = label.trim() === '' || PROVIDERS.some((p) => t(p.nameKey) === label);
    if (auto) setLabel(nextProvider ? t(nextProvider.nameKey) : '');
    setKind(next);
    setValues(nextProvider ? valuesFromConfig(nextProvider, {}) : {});
    setProviderErrors({});
    setErrors({});
    setTest({ status: 'idle' });
    if (save === 'denied') setSave('idle');
  }

  return (
    <>
      {back}
      <h1>{editing && source ? t('source_edit_named', source.label) : title}</h1>
      <p class="lead">{provider ? t(provider.aboutKey) : t('source_form_intro')}</p>
      <form class="form" onSubmit={onSubmit} noValidate>
        <div class="field">
          <label for="source-kind">{t('src_type')}</label>
          <select
            id="source-kind"
            value={kind}
            disabled={editing}
            aria-describedby="source-kind-hint"
            onChange={(e) => chooseKind(e.currentTarget.value as Kind)}
          >
            <option value="feed">{t('source_kind_feed')}</option>
            {PROVIDERS.map((p) => (
              <option key={p.kind} value={p.kind}>
                {t(p.nameKey)}
              </option>
            ))}
          </select>
          <p id="source-kind-hint" class="field__hint">
            {editing ? t('src_type_locked') : t('src_type_hint')}
          </p>
        </div>

        <div class="field">
          <label for="source-label">{t('field_label')}</label>
          <input
            id="source-label"
            ref={labelInput}
            type="text"
            value={label}
            maxLength={200}
            autoComplete="off"
            aria-invalid={errors.label ? true : undefined}
            aria-describedby={errors.label ? 'source-label-error' : 'source-label-hint'}
            onInput={(e) => {
              setLabel(e.currentTarget.value);
              if (errors.label) setErrors({ ...errors, label: undefined });
            }}
          />
          {errors.label ? (
            <p id="source-label-error" class="field__error">
              {t('error_label_required')}
            </p>
          ) : (
            <p id="source-label-hint" class="field__hint">
              {t('field_label_hint')}
            </p>
          )}
        </div>

        {provider ? (
          <ProviderFields
            provider={provider}
            values={values}
            errors={providerErrors}
            savedSecrets={savedSecrets}
            onChange={(name, value) => {
              setValues({ ...values, [name]: value });
              if (providerErrors[name]) setProviderErrors({ ...providerErrors, [name]: undefined });
              if (save === 'denied') setSave('idle');
            }}
          />
        ) : (
          <>
            <div class="field">
              <label for="source-url">{t('field_url')}</label>
              <input
                id="source-url"
                ref={urlInput}
                type="url"
                inputMode="url"
                value={url}
                maxLength={2000}
                autoComplete="off"
                spellcheck={false}
                placeholder="https://"
                aria-invalid={errors.url ? true : undefined}
                aria-describedby={errors.url ? 'source-url-error' : 'source-url-hint'}
                onInput={(e) => {
                  setUrl(e.currentTarget.value);
                  if (errors.url) setErrors({ ...errors, url: undefined });
                  if (save === 'denied') setSave('idle');
                }}
                onBlur={() => {
                  // A sensible default name: the feed's host, when the user has not named it yet.
                  const host = parseHttpUrl(url)?.hostname;
                  if (host && !label.trim()) setLabel(host);
                }}
              />
              {errors.url ? (
                <p id="source-url-error" class="field__error">
                  {errors.url === 'required' ? t('error_url_required') : t('error_url_invalid')}
                </p>
              ) : (
                <p id="source-url-hint" class="field__hint">
                  {t('field_url_hint')}
                </p>
              )}
            </div>

            <div class="field">
              <label for="source-token">{t('field_token')}</label>
              <input
                id="source-token"
                type="password"
                value={token}
                maxLength={4000}
                autoComplete="new-password"
                spellcheck={false}
                aria-describedby="source-token-hint"
                onInput={(e) => setToken(e.currentTarget.value)}
              />
              <p id="source-token-hint" class="field__hint">
                {tokenSaved && !removeToken ? t('field_token_saved') : t('field_token_hint')}
              </p>
              {tokenSaved && (
                <label class="checkbox">
                  <input
                    type="checkbox"
                    checked={removeToken}
                    onChange={(e) => setRemoveToken(e.currentTarget.checked)}
                  />
                  <span>{t('field_token_remove')}</span>
                </label>
              )}
            </div>

            <div class="field">
              <label for="source-format">{t('field_format')}</label>
              <select
                id="source-format"
                value={format}
                aria-describedby="source-format-hint"
                onChange={(e) => setFormat(e.currentTarget.value as FeedFormat)}
              >
                {FEED_FORMATS.map((f) => (
                  <option key={f} value={f}>
                    {t(FORMAT_LABELS[f])}
                  </option>
                ))}
              </select>
              <p id="source-format-hint" class="field__hint">
                {t('field_format_hint')}
              </p>
            </div>

          </>
        )}

        <div class="form__feedback" role="status">
          {save === 'denied' && (
            <p class="notice notice--error">{t('permission_denied_save', deniedWhat)}</p>
          )}
          {save === 'failed' && <p class="notice notice--error">{t('save_failed')}</p>}
        </div>

        <div class="button-row">
          <button type="submit" class="button button--primary" disabled={save === 'saving'}>
            {save === 'saving' ? t('saving') : editing ? t('save') : t('source_add_submit')}
          </button>
          <button type="button" class="button" onClick={onTest} disabled={test.status === 'testing'}>
            {t('test_connection')}
          </button>
          <a class="button button--quiet" href={hrefFor({ name: 'sources' })}>
            {t('cancel')}
          </a>
        </div>
        <div class="test-result" role="status" aria-live="polite">
          <TestResult state={test} provider={provider !== undefined} />
        </div>
        <p class="field__hint">
          {provider && providerOriginList.length > 0 ? t('src_origins', deniedWhat) : t('permission_explain')}
        </p>
      </form>
    </>
  );
}
