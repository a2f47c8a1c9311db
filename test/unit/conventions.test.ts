// The import boundaries (DEVELOPERS.md): lib/ never imports entrypoints/ or components/, components/ never
// imports entrypoints/, and entrypoints never import each other. ESLint enforces them
// (`import-x/no-restricted-paths` in eslint.config.js); these tests make sure that rule keeps firing, and check
// the sources directly as well, so a broken lint setup cannot let a violation through quietly.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const RULE = 'import-x/no-restricted-paths';

describe('the import-boundary lint rule', () => {
  const eslint = new ESLint({ cwd: root });
  const boundaryErrors = async (filePath: string, code: string) => {
    const results = await eslint.lintText(code, { filePath: path.join(root, filePath) });
    return results.flatMap((r) => r.messages).filter((m) => m.ruleId === RULE && m.severity === 2);
  };

  it.each([
    ['lib/x.ts', "import '../entrypoints/popup/App';"],
    ['lib/db/x.ts', "import { X } from '../../components/EmptyState';"],
    ['lib/db/x.ts', "export * from '@/entrypoints/background/messages';"],
    ['lib/x.ts', "const app = () => import('../entrypoints/options/App');"],
    ['components/X.tsx', "import '../entrypoints/options/App';"],
    ['entrypoints/popup/App.tsx', "import { routes } from '../options/App';"],
    ['entrypoints/options/routes/deliveries.tsx', "import '../../background/messages';"],
  ])('rejects %s importing across a boundary: %s', async (filePath, code) => {
    expect(await boundaryErrors(filePath, code)).toHaveLength(1);
  }, 30_000);

  it.each([
    ['entrypoints/popup/App.tsx', "import '../../lib/messaging'; import '../../components/EmptyState'; import './main';"],
    ['entrypoints/options/routes/deliveries.tsx', "import '../App';"],
    ['components/X.tsx', "import '../lib/messaging'; import './EmptyState';"],
    ['lib/workflow/x.ts', "import '../db/schema'; import 'dexie';"],
  ])('allows %s: %s', async (filePath, code) => {
    expect(await boundaryErrors(filePath, code)).toEqual([]);
  }, 30_000);
});

/** Every file under `dir` (relative to the root) with a source extension. */
function sources(dir: string): string[] {
  const abs = path.join(root, dir);
  let entries;
  try {
    entries = readdirSync(abs, { recursive: true, withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((e) => e.isFile() && /\.(m?[jt]sx?)$/.test(e.name))
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)));
}

/** The project-relative target of every relative or `@/`, `~/` import in a file (packages are skipped). */
function importTargets(file: string): string[] {
  const text = readFileSync(path.join(root, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g)].map((m) => m[1] ?? '');
  return specifiers.flatMap((spec) => {
    if (spec.startsWith('.')) return [path.relative(root, path.resolve(path.dirname(path.join(root, file)), spec))];
    const alias = /^(@@|~~|@|~)\//.exec(spec);
    return alias ? [path.normalize(spec.slice(alias[0].length))] : [];
  });
}

const area = (p: string): string => p.split(path.sep)[0] ?? '';
const entrypointOf = (p: string): string => p.split(path.sep)[1]?.replace(/\.[cm]?[jt]sx?$/, '') ?? '';

describe('the sources keep the import boundaries', () => {
  it('lib/ imports neither entrypoints/ nor components/', () => {
    const offenders = sources('lib').flatMap((file) =>
      importTargets(file)
        .filter((t) => area(t) === 'entrypoints' || area(t) === 'components')
        .map((t) => `${file} → ${t}`),
    );
    expect(offenders).toEqual([]);
  });

  it('components/ does not import entrypoints/', () => {
    const offenders = sources('components').flatMap((file) =>
      importTargets(file)
        .filter((t) => area(t) === 'entrypoints')
        .map((t) => `${file} → ${t}`),
    );
    expect(offenders).toEqual([]);
  });

  it('no entrypoint imports another', () => {
    const offenders = sources('entrypoints').flatMap((file) =>
      importTargets(file)
        .filter((t) => area(t) === 'entrypoints' && entrypointOf(t) !== entrypointOf(file))
        .map((t) => `${file} → ${t}`),
    );
    expect(offenders).toEqual([]);
  });

  it('finds sources to check (the scan itself works)', () => {
    const files = sources('lib');
    expect(files.length).toBeGreaterThan(0);
    expect(files.flatMap(importTargets).some((t) => area(t) === 'lib')).toBe(true);
  });
});
