// Setup for the `unit` project (vitest.config.ts): every unit and component test starts from a fresh fake
// browser, has an IndexedDB (fake-indexeddb) and fails when it leaves a promise rejection unhandled.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';

beforeEach(() => {
  fakeBrowser.reset();
});

// Vitest already fails the *run* on an unhandled rejection, but reports it apart from any test, so the JSON
// counts can say "all passed". Rethrowing it from afterEach pins it on the test during which it surfaced.
const unhandled: unknown[] = [];
process.on('unhandledRejection', (reason) => {
  unhandled.push(reason);
});

afterEach(async () => {
  // Node reports unhandled rejections once the microtask queue drains; give it one macrotask.
  await new Promise((resolve) => setTimeout(resolve, 0));
  if (unhandled.length === 0) return;
  const reasons = unhandled.splice(0);
  const first = reasons[0] instanceof Error ? reasons[0] : new Error(String(reasons[0]));
  throw new AggregateError(reasons, `unhandled promise rejection during this test: ${first.message}`, { cause: first });
});
