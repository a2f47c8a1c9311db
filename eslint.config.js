// @ts-check
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import { importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const root = path.dirname(fileURLToPath(import.meta.url));

/**
 * Resolves relative and WXT-alias imports (`@/`, `~/`, `@@/`, `~~/`: the project root, as .wxt/tsconfig.json
 * says) by path arithmetic alone. `import-x/no-restricted-paths` skips any import its resolver cannot find, so
 * with a file-system resolver a boundary import to a file that is mistyped, not yet written, or spelled with a
 * `.js` extension or a `?raw` suffix would pass unseen. Packages are not resolved: none of them is inside our
 * folders. Only the boundary rule uses import-x, so nothing else relies on this resolver finding real files.
 * @type {{ interfaceVersion: 3, name: string, resolve: (source: string, file: string) => { found: boolean, path?: string | null } }}
 */
const lexicalResolver = {
  interfaceVersion: 3,
  name: 'tracking-logs-lexical',
  resolve(source, file) {
    const spec = source.split('?')[0];
    if (spec === '.' || spec === '..' || spec.startsWith('./') || spec.startsWith('../')) {
      return { found: true, path: path.resolve(path.dirname(file), spec) };
    }
    const alias = ['@@/', '~~/', '@/', '~/'].find((prefix) => spec.startsWith(prefix));
    if (alias) return { found: true, path: path.resolve(root, spec.slice(alias.length)) };
    return { found: false };
  },
};

// One zone per entrypoint (a folder such as `popup/`, or a single file such as `foo.content.ts`): it may import
// from itself, never from another entrypoint. Listed from disk at each lint run, so a new entrypoint is covered,
// plus the house's own entrypoints, so the rule holds for one before its folder exists.
const entrypointsDir = path.join(root, 'entrypoints');
/** @type {Map<string, boolean>} entrypoint name → is a folder */
const entrypoints = new Map(['background', 'popup', 'options', 'hotclicks.content'].map((name) => [name, true]));
for (const entry of existsSync(entrypointsDir) ? readdirSync(entrypointsDir, { withFileTypes: true }) : []) {
  entrypoints.set(entry.name, entry.isDirectory());
}
const entrypointZones = [...entrypoints].map(([name, isFolder]) => {
  const own = isFolder ? `entrypoints/${name}/**` : `entrypoints/${name}`;
  // import-x matches `except` globs as written against absolute paths (only `target`/`from` get `basePath`), and a
  // glob `from` needs glob exceptions; `<name>*` covers a single-file entrypoint imported with or without its ext.
  const ownGlob = path.join(root, isFolder ? own : `${own.replace(/\.[cm]?[jt]sx?$/, '')}*`);
  return {
    target: own,
    from: 'entrypoints/**',
    except: [ownGlob],
    message: 'Entrypoints never import each other: move what they share to lib/ (logic) or components/ (UI).',
  };
});

export default tseslint.config(
  { ignores: ['.output/', '.wxt/', 'node_modules/', '.tools/', 'test-results/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Plain JS here is Node tooling (this file, scripts).
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly' },
    },
  },
  {
    rules: {
      // `_`-prefixed names are deliberately unused (handler signatures, destructuring to omit a key).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // The import boundaries (docs: DEVELOPERS.md, shared conventions): entrypoints wire, lib/ decides, components/
    // draw. test/unit/conventions.test.ts proves the rule still fires.
    files: ['**/*.{ts,tsx,mts,cts,js,mjs,jsx}'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [lexicalResolver] },
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          basePath: root,
          zones: [
            {
              target: 'lib',
              from: ['entrypoints', 'components'],
              message: 'lib/ never imports entrypoints/ or components/: pass what it needs in as arguments.',
            },
            {
              target: 'components',
              from: 'entrypoints',
              message: 'components/ never imports entrypoints/: shared UI takes its data as props.',
            },
            ...entrypointZones,
          ],
        },
      ],
    },
  },
);
