import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';

// The e2e build (`wxt build --mode e2e`) also grants the loopback origin, so end-to-end tests can add a feed on
// 127.0.0.1 without a permission prompt (a headless browser cannot answer one). Release builds ask at runtime.
export default defineConfig({
  imports: false,
  vite: () => ({ plugins: [preact()] }),
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
