import type { JSX } from 'preact';
import { t } from '../../../lib/i18n';
import type { ProviderDescriptor, ProviderErrors, ProviderField, ProviderValues } from '../../../lib/sources/providers';

/** The id of a provider field's input, so the form can focus the first wrong one. */
export const providerInputId = (name: string): string => `provider-${name}`;

function FieldInput({
  field,
  value,
  error,
  secretSaved,
  onChange,
}: {
  field: ProviderField;
  value: string;
  error: ProviderErrors[string];
  secretSaved: boolean;
  onChange: (value: string) => void;
}): JSX.Element {
  const id = providerInputId(field.name);
  const describedBy = error ? `${id}-error` : `${id}-hint`;
  const hint =
    field.kind === 'secret' && secretSaved ? t('provider_secret_saved') : field.hintKey ? t(field.hintKey) : undefined;
  const common = {
    id,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy,
    'aria-required': field.required && !(field.kind === 'secret' && secretSaved) ? true : undefined,
  } as const;
  let input: JSX.Element;
  if (field.kind === 'select') {
    input = (
      <select {...common} value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        {(field.options ?? []).map((o) => (
          <option key={o.value} value={o.value}>
            {t(o.labelKey)}
          </option>
        ))}
      </select>
    );
  } else {
    input = (
      <input
        {...common}
        type={field.kind === 'secret' && !field.plain ? 'password' : field.kind === 'url' ? 'url' : 'text'}
        inputMode={field.kind === 'url' ? 'url' : field.kind === 'number' ? 'numeric' : undefined}
        value={value}
        maxLength={field.kind === 'secret' ? 4000 : field.kind === 'number' ? 9 : 2000}
        autoComplete={field.kind === 'secret' ? (field.plain ? 'off' : 'new-password') : 'off'}
        spellcheck={false}
        placeholder={field.placeholder}
        onInput={(e) => onChange(e.currentTarget.value)}
      />
    );
  }
  return (
    <div class="field">
      <label for={id}>{t(field.labelKey)}</label>
      {input}
      {error ? (
        <p id={`${id}-error`} class="field__error">
          {error.code === 'required' ? t('src_error_required') : t('src_error_invalid', error.reason)}
        </p>
      ) : (
        hint && (
          <p id={`${id}-hint`} class="field__hint">
            {hint}
          </p>
        )
      )}
    </div>
  );
}

/** A provider's settings, from its descriptor; "Advanced" fields (the base-URL override) folded away. */
export function ProviderFields({
  provider,
  values,
  errors,
  savedSecrets,
  onChange,
}: {
  provider: ProviderDescriptor;
  values: ProviderValues;
  errors: ProviderErrors;
  savedSecrets: readonly string[];
  onChange: (name: string, value: string) => void;
}): JSX.Element {
  const render = (f: ProviderField): JSX.Element => (
    <FieldInput
      key={f.name}
      field={f}
      value={values[f.name] ?? ''}
      error={errors[f.name]}
      secretSaved={savedSecrets.includes(f.name)}
      onChange={(v) => onChange(f.name, v)}
    />
  );
  // Derived fields (Mailchimp's data centre) come from other fields and are never shown.
  const shown = provider.fields.filter((f) => f.kind !== 'derived');
  const advanced = shown.filter((f) => f.advanced);
  const advancedOpen = advanced.some((f) => (values[f.name] ?? '') !== '' || errors[f.name]);
  return (
    <>
      {shown.filter((f) => !f.advanced).map(render)}
      {advanced.length > 0 && (
        <details class="form__advanced" open={advancedOpen}>
          <summary>{t('src_advanced')}</summary>
          {advanced.map(render)}
        </details>
      )}
    </>
  );
}
