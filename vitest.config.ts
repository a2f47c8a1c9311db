import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

// Two projects, run separately by the npm scripts (`vitest run --project unit|e2e`):
//   unit — test/unit/**: lib/ against WXT's fake browser and fake-indexeddb (test/setup.ts); Node environment.
//          Component tests opt into a DOM per file with a first-line comment `// @vitest-environment happy-dom`.
//   e2e  — test/e2e/**: the built extension in real Chromium (test/e2e/harness.ts), one file at a time.
//
// VITEST_JSON=1 (set by .ci/run) adds the JSON reporter, written to test-results/<project>.json so each
// `vitest run --project X` keeps its own report for the final count.

/** The `--project` names on the command line, joined (`unit`, `e2e`, `unit+e2e`), or `all`. */
function selectedProjects(argv: string[]): string {
  const names: string[] = [];
  argv.forEach((arg, i) => {
    const next = argv[i + 1];
    if (arg === '--project' && next) names.push(next);
    else if (arg.startsWith('--project=')) names.push(arg.slice('--project='.length));
  });
  return names.length > 0 ? names.join('+') : 'all';
}

const jsonReport = process.env.VITEST_JSON
  ? {
      reporters: ['default', ['json', { outputFile: `test-results/${selectedProjects(process.argv)}.json` }]] as [
        'default',
        ['json', { outputFile: string }],
      ],
    }
  : {};

export default defineConfig({
  test: {
    ...jsonReport,
    projects: [
      {
        plugins: [WxtVitest()],
        // Preact's automatic JSX runtime for .tsx tests (the build gets it from @preact/preset-vite).
        oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.{ts,tsx}'],
          environment: 'node',
          setupFiles: ['test/setup.ts'],
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          // Launching Chromium and waiting for workflow runs takes seconds, not milliseconds.
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // One browser at a time: 2 cores, and tests that stop the service worker must not share a machine's
          // attention with another Chromium.
          fileParallelism: false,
          maxWorkers: 1,
        },
      },
    ],
  },
});
