import type { z } from 'zod';
import { messageSchemas } from './message-schemas';

export interface SenderLike {
  id?: string | undefined;
  url?: string | undefined;
  tab?: { id?: number | undefined } | undefined;
  frameId?: number | undefined;
}

/**
 * Only the extension's own pages may drive the workflow: the message must come from this extension (`sender.id`)
 * and from one of its pages (`sender.url` under the extension's origin), not from a content script in a web page.
 */
export function isExtensionPage(sender: SenderLike, runtimeId: string, extensionOrigin: string): boolean {
  return sender.id === runtimeId && typeof sender.url === 'string' && sender.url.startsWith(extensionOrigin);
}

/**
 * A content script of this extension running in a tab (the overlay): this extension's id, a tab, and a page that
 * is not one of the extension's own. Web pages cannot message the extension at all (no `externally_connectable`),
 * so the id check is what keeps other extensions out. Returns the tab id.
 */
export function contentScriptTab(sender: SenderLike, runtimeId: string, extensionOrigin: string): number | undefined {
  if (sender.id !== runtimeId) return undefined;
  const tabId = sender.tab?.id;
  if (typeof tabId !== 'number' || tabId < 0) return undefined;
  if (typeof sender.url === 'string' && sender.url.startsWith(extensionOrigin)) return undefined;
  return tabId;
}

/** A message the background sent to a content script: this extension, and not from another tab's script. */
export function isFromBackground(sender: SenderLike, runtimeId: string): boolean {
  return sender.id === runtimeId && sender.tab === undefined;
}

export class MessageRejected extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'MessageRejected';
  }
}

/** Validates a message's data against its schema; throws MessageRejected with the zod reason. */
export function parseMessage<K extends keyof typeof messageSchemas>(
  type: K,
  data: unknown,
): z.infer<(typeof messageSchemas)[K]> {
  const result = messageSchemas[type].safeParse(data ?? {});
  if (!result.success) throw new MessageRejected(`${String(type)}: ${result.error.issues[0]?.message ?? 'invalid'}`);
  return result.data as z.infer<(typeof messageSchemas)[K]>;
}
