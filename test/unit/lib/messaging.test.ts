import { describe, expect, it, vi } from 'vitest';

// Any schema built while lib/messaging.ts or lib/workflow/issues.ts loads fails this file: the pages that send
// messages or show a run's log import them as they load, and only the background, which checks what it receives,
// needs the schemas (lib/message-schemas.ts).
vi.mock('zod', () => {
  const refuse = (): never => {
    throw new Error('a zod schema was built while lib/messaging.ts loaded');
  };
  return { z: new Proxy({}, { get: refuse }), default: new Proxy({}, { get: refuse }) };
});

describe('the message protocol for the pages', () => {
  it('loads without building a schema, and still sends', async () => {
    const messaging = await import('../../../lib/messaging');
    expect(typeof messaging.sendMessage).toBe('function');
    expect(typeof messaging.onMessage).toBe('function');
  });

  it('names the run log’s codes without building a schema', async () => {
    const issues = await import('../../../lib/workflow/issues');
    expect(issues.ISSUE_CODES).toContain('unauthorized');
  });

  it('would fail here if a schema were built on load', async () => {
    await expect(import('../../../lib/settings')).rejects.toThrow(/zod schema was built/);
  });
});
