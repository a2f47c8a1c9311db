import { fakeBrowser } from 'wxt/testing/fake-browser';
import en from '../../../public/_locales/en/messages.json';
import sv from '../../../public/_locales/sv/messages.json';

/**
 * WXT's fake browser leaves chrome.i18n unimplemented. This plays the catalogues the way Chrome does: `$NAME$`
 * placeholders resolve to their `content` ("$1"), positional `$n` take the substitutions, `$$` is a dollar sign,
 * a missing message is ''.
 */
export interface CatalogueEntry {
  message: string;
  description?: string;
  placeholders?: Record<string, { content: string; example?: string }>;
}
export type Catalogue = Record<string, CatalogueEntry>;

export const catalogues: Record<'en' | 'sv', Catalogue> = { en, sv };

export function getMessageFrom(catalogue: Catalogue, key: string, substitutions?: string | (string | number)[]): string {
  const entry = catalogue[key] ?? Object.entries(catalogue).find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1];
  if (!entry) return '';
  const subs = substitutions === undefined ? [] : Array.isArray(substitutions) ? substitutions.map(String) : [substitutions];
  const positional = (text: string): string =>
    text.replace(/\$(\d)/g, (_, digit: string) => subs[Number(digit) - 1] ?? '');
  const placeholders = Object.fromEntries(
    Object.entries(entry.placeholders ?? {}).map(([name, p]) => [name.toLowerCase(), p.content]),
  );
  return entry.message.replace(/\$\$|\$([A-Za-z0-9_@]+)\$|\$(\d)/g, (match, name?: string, digit?: string) => {
    if (match === '$$') return '$';
    if (name !== undefined) {
      const content = placeholders[name.toLowerCase()];
      return content === undefined ? '' : positional(content);
    }
    return subs[Number(digit) - 1] ?? '';
  });
}

/** Makes `browser.i18n` answer from a catalogue, with `uiLanguage` for Intl. Call after `fakeBrowser.reset()`. */
export function installI18n(locale: 'en' | 'sv' = 'en', uiLanguage: string = locale === 'sv' ? 'sv-SE' : 'en-US'): void {
  const catalogue = catalogues[locale];
  const i18n = fakeBrowser.i18n as unknown as {
    getMessage: (key: string, subs?: string | (string | number)[]) => string;
    getUILanguage: () => string;
  };
  i18n.getMessage = (key, subs) => getMessageFrom(catalogue, key, subs) || (locale === 'en' ? '' : getMessageFrom(catalogues.en, key, subs));
  i18n.getUILanguage = () => uiLanguage;
}
