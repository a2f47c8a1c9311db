import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';

/**
 * Modules the popup and the tracking view both need (the `vite:build:extendConfig` hook below). The offscreen
 * document imports none of them (lib/sources/feed-port.ts), so it does not load this chunk.
 */
const SHARED_WITH_POPUP =
  /[\\/](node_modules[\\/](preact|dexie|zod|wxt|@webext-core|@aklinker1)[\\/]|lib[\\/](event-types|i18n|settings|settings-store|routes|messaging|db[\\/]|overlay[\\/]protocol|workflow[\\/](lock|schedule|issues)|sources[\\/](provider-kinds|sample-source)|indicators[\\/](estimates|headline))|components[\\/](HealthBadge|HealthPanel|RunNowButton|RunLog|SourceStatus|GetStarted|SampleLabel|Spinner|EmptyState|DeliveryAnomalies|notify|format|use-[a-z-]+)\.)/;

// The e2e build (`wxt build --mode e2e`) also grants the loopback origin, so end-to-end tests can add a feed on
// 127.0.0.1 without a permission prompt (a headless browser cannot answer one). Release builds ask at runtime.
export default defineConfig({
  imports: false,
  // Chromium preloads modules itself: no polyfill for `<link rel="modulepreload">` (it returned at once there).
  vite: () => ({
    plugins: [preact()],
    build: { modulePreload: { polyfill: false } },
    // Dexie's own modern ES module, not its package entry: that wraps the ES5 UMD build (for the dual-package hazard of
    // mixing require and import, which a bundle does not have), a larger file every page evaluated as it loaded.
    resolve: { alias: [{ find: /^dexie$/, replacement: 'dexie/dist/modern/dexie.mjs' }] },
  }),
  hooks: {
    // The views the tracking view loads on first use (components/lazy-view.tsx) share modules with the popup; left to
    // itself the bundler cut that shared code into ~10 chunks by which lazy view uses what, and the popup, which
    // must show the workflow's health within 100 ms, then loaded all of them. The code the popup and the tracking
    // view share is one chunk, as it was before the views were split. Only for the pages' build: the service
    // worker's and the content script's are one file each.
    'vite:build:extendConfig': (entrypoints, config) => {
      if (!entrypoints.some((e) => e.name === 'popup')) return;
      const rollup = ((config.build ??= {}).rollupOptions ??= {});
      const codeSplitting = { groups: [{ name: 'shared', test: SHARED_WITH_POPUP }] };
      for (const output of [rollup.output ??= {}].flat()) Object.assign(output, { codeSplitting });
    },
  },
  // `npm run dev` opens Debian's Chromium (scripts/ensure-chromium.sh installs it); as root it needs --no-sandbox.
  webExt: {
    binaries: { chrome: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' },
    chromiumArgs: ['--no-first-run', '--disable-sync', ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
  },
  manifest: ({ mode }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    // `offscreen`: the document whose worker parses feed pages beside the service worker (lib/sources/feed-thread.ts).
    permissions: ['alarms', 'storage', 'unlimitedStorage', 'scripting', 'activeTab', 'contextMenus', 'offscreen'],
    optional_host_permissions: ['https://*/*', 'http://*/*'],
    ...(mode === 'e2e' ? { host_permissions: ['http://127.0.0.1/*'] } : {}),
    action: { default_title: '__MSG_extName__' },
    options_ui: { open_in_tab: true },
    content_security_policy: {
      extension_pages: "script-src 'self'; object-src 'self'; frame-src 'self' blob:; img-src 'self' data: blob: https:",
    },
  }),
});
