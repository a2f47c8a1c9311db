// End-to-end harness: the built extension (`npm run build:e2e`) in Debian's Chromium, driven by playwright-core.
// No browser is ever downloaded; `scripts/ensure-chromium.sh` installs /usr/bin/chromium with apt.
//
// This file is also imported by the benchmark (`node test/bench/run.ts`, Node's type stripping), so it uses only
// erasable TypeScript syntax and no path aliases.
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { BrowserContext, CDPSession, Page, Worker } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The folder `wxt build --mode e2e` writes: WXT names it `<browser>-mv<version><modeSuffix>` and the suffix of
 * a mode other than production/development is `-<mode>`, so `.output/chrome-mv3-e2e`. `EXTENSION_DIR`
 * overrides it (to run the harness against another build).
 */
export function findExtensionDir(): string {
  const override = process.env.EXTENSION_DIR;
  if (override) {
    const dir = resolve(override);
    if (!existsSync(join(dir, 'manifest.json'))) throw new Error(`EXTENSION_DIR=${override} has no manifest.json`);
    return dir;
  }
  const expected = join(ROOT, '.output', 'chrome-mv3-e2e');
  if (existsSync(join(expected, 'manifest.json'))) return expected;
  // Should WXT ever change its naming, take any e2e Chromium build rather than fail for a folder name.
  const outputs = join(ROOT, '.output');
  const candidates = existsSync(outputs)
    ? readdirSync(outputs)
        .filter((name) => name.startsWith('chrome') && name.endsWith('-e2e'))
        .map((name) => join(outputs, name))
        .filter((dir) => existsSync(join(dir, 'manifest.json')))
        .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)
    : [];
  if (candidates[0]) return candidates[0];
  throw new Error(`No e2e build of the extension at ${expected}: run \`npm run build:e2e\` first.`);
}

export interface LaunchOptions {
  /** The browser's UI language, which decides the extension's locale (chrome.i18n). */
  locale?: 'en' | 'sv';
  /** A profile to reuse (kept on close). Without it a temporary profile is made and removed on close. */
  userDataDir?: string;
  /** Extra Chromium switches (the bench adds `--remote-debugging-port=0`). */
  args?: string[];
  /** The extension folder; defaults to {@link findExtensionDir}. */
  extensionDir?: string;
}

export interface ExtensionHandle {
  context: BrowserContext;
  extensionId: string;
  /** The profile folder (temporary unless `userDataDir` was given). */
  userDataDir: string;
  /**
   * The extension's service worker. The same object survives a stop and restart (its `evaluate` waits while the
   * worker is stopped); `await waitForWorker()` when you need it running.
   */
  readonly worker: Worker;
  popupUrl: string;
  optionsUrl: string;
  /** Opens `chrome-extension://<id><path>` in a new tab, collecting its errors (see {@link errorsOf}). */
  openPage(path: string): Promise<Page>;
  /** Uncaught exceptions and `console.error` messages of a page opened with {@link openPage}. */
  errorsOf(page: Page): string[];
  /** Stops the extension's service worker (as Chrome does when idle) and waits until Chromium reports it stopped. */
  stopServiceWorker(): Promise<void>;
  /** Starts the service worker without sending it anything (CDP `ServiceWorker.startWorker`). */
  startServiceWorker(): Promise<Worker>;
  /** The live service worker, waiting (up to `timeoutMs`) for one to start if none is running. */
  waitForWorker(timeoutMs?: number): Promise<Worker>;
  /** `worker.evaluate` on the live worker. */
  evalInWorker<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
  /** Closes the browser and removes a temporary profile. Safe to call twice. */
  close(): Promise<void>;
}

const isExtensionWorker = (w: Worker): boolean => w.url().startsWith('chrome-extension://');

async function poll<T>(what: string, timeoutMs: number, probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function launchExtension(options: LaunchOptions = {}): Promise<ExtensionHandle> {
  const ext = options.extensionDir ?? findExtensionDir();
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: run \`sh scripts/ensure-chromium.sh\` (as root) or apt-get install chromium.`);
  }
  const locale = options.locale ?? 'en';
  const ownsProfile = !options.userDataDir;
  const userDataDir = options.userDataDir ?? mkdtempSync(join(tmpdir(), 'tracking-logs-e2e-'));
  const lang = locale === 'sv' ? 'sv' : 'en-US';

  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      // Playwright passes --disable-extensions by default; the two switches below would override it, but being
      // explicit costs nothing.
      ignoreDefaultArgs: ['--disable-extensions'],
      // `--lang` decides the extension's locale (chrome.i18n.getMessage); Playwright's `locale` sets
      // navigator.language(s) in pages and workers. (chrome.i18n.getUILanguage() in the headless worker says
      // en-US either way, checked with Chromium 156.)
      locale: locale === 'sv' ? 'sv-SE' : 'en-US',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
        `--lang=${lang}`,
        `--disable-extensions-except=${ext}`,
        `--load-extension=${ext}`,
        ...(options.args ?? []),
      ],
    });
  } catch (error) {
    if (ownsProfile) rmSync(userDataDir, { recursive: true, force: true });
    throw error;
  }

  // What Chromium says about the extension's service worker, from the ServiceWorker CDP domain. Playwright cannot
  // tell us: Chromium reuses the worker's target id when it restarts, and Playwright models a stop as a *restart*
  // of the same Worker object (the execution context goes, `close` is never emitted, `context.serviceWorkers()`
  // keeps listing it, and `worker.evaluate` on a stopped worker waits until something wakes it). So running or
  // stopped comes from `ServiceWorker.workerVersionUpdated`, and the Worker object stays valid across restarts.
  // The session lives on a dedicated blank tab: the domain acts on every worker of the profile, and the
  // extension's own pages (whose messages would wake the worker) stay out of it.
  let cdp: CDPSession;
  try {
    cdp = await context.newCDPSession(await context.newPage());
  } catch (error) {
    await context.close().catch(() => undefined);
    if (ownsProfile) rmSync(userDataDir, { recursive: true, force: true });
    throw error;
  }
  const versions = new Map<string, { scriptURL: string; runningStatus: string; status: string }>();
  const extensionVersions = () => [...versions.values()].filter((v) => v.scriptURL.startsWith('chrome-extension://'));
  const isRunning = (): boolean => extensionVersions().some((v) => v.runningStatus === 'running');
  // Counted rather than read off the current status: an open extension page can wake the worker again within
  // milliseconds of the stop, and a stop seen only as a status could then be missed.
  let stops = 0;
  cdp.on('ServiceWorker.workerVersionUpdated', ({ versions: updated }) => {
    for (const v of updated) {
      const before = versions.get(v.versionId)?.runningStatus;
      versions.set(v.versionId, v);
      if (v.scriptURL.startsWith('chrome-extension://') && v.runningStatus === 'stopped' && before !== 'stopped') stops++;
    }
  });
  await cdp.send('ServiceWorker.enable');

  let current: Worker | undefined = context.serviceWorkers().find(isExtensionWorker);
  context.on('serviceworker', (w) => {
    if (isExtensionWorker(w)) current = w;
  });

  // A script that dies before close() (an uncaught error in a bench, a killed test) still removes its profile.
  const removeProfile = (): void => {
    if (ownsProfile) rmSync(userDataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  };
  process.once('exit', removeProfile);
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await context.close().catch(() => undefined);
    removeProfile();
    process.removeListener('exit', removeProfile);
  };

  const waitForWorker = async (timeoutMs = 30_000): Promise<Worker> =>
    poll('the extension service worker to run', timeoutMs, () => (current && isRunning() ? current : undefined));

  // Wait for the first worker to be installed and activated: stopping it mid-install makes Chromium start it again.
  try {
    await poll('the extension service worker to activate', 30_000, () =>
      current && extensionVersions().some((v) => v.runningStatus === 'running' && v.status === 'activated') ? true : undefined,
    );
  } catch (error) {
    await close();
    throw new Error(`The extension's service worker never started (extension at ${ext})`, { cause: error });
  }
  const worker0 = current as Worker;
  const extensionId = new URL(worker0.url()).host;
  const origin = `chrome-extension://${extensionId}`;

  const errors = new WeakMap<Page, string[]>();
  const openPage = async (path: string): Promise<Page> => {
    const page = await context.newPage();
    const list: string[] = [];
    errors.set(page, list);
    page.on('pageerror', (e) => list.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') list.push(`console.error: ${m.text()}`);
    });
    await page.goto(`${origin}${path.startsWith('/') ? path : `/${path}`}`, { waitUntil: 'load' });
    return page;
  };

  const stopServiceWorker = async (): Promise<void> => {
    if (extensionVersions().every((v) => v.runningStatus === 'stopped')) return;
    const before = stops;
    await cdp.send('ServiceWorker.stopAllWorkers');
    await poll('the service worker to stop', 15_000, () => (stops > before ? true : undefined));
  };

  const startServiceWorker = async (): Promise<Worker> => {
    await cdp.send('ServiceWorker.startWorker', { scopeURL: `${origin}/` });
    return waitForWorker();
  };

  return {
    context,
    extensionId,
    userDataDir,
    get worker(): Worker {
      return current ?? worker0;
    },
    popupUrl: `${origin}/popup.html`,
    optionsUrl: `${origin}/options.html`,
    openPage,
    errorsOf: (page) => errors.get(page) ?? [],
    stopServiceWorker,
    startServiceWorker,
    waitForWorker,
    // Playwright types the argument as `Unboxed<A>` (handles unwrapped); plain data is the same on both sides.
    evalInWorker: async <R, A>(fn: (arg: A) => R | Promise<R>, arg: A) =>
      (await waitForWorker()).evaluate(fn as (arg: unknown) => R | Promise<R>, arg as unknown),
    close,
  };
}
