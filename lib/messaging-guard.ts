import type { z } from 'zod';
import { messageSchemas } from './messaging';

export interface SenderLike {
  id?: string | undefined;
  url?: string | undefined;
  tab?: unknown;
}

/**
 * Only the extension's own pages may drive the workflow: the message must come from this extension (`sender.id`)
 * and from one of its pages (`sender.url` under the extension's origin), not from a content script in a web page.
 */
export function isExtensionPage(sender: SenderLike, runtimeId: string, extensionOrigin: string): boolean {
  return sender.id === runtimeId && typeof sender.url === 'string' && sender.url.startsWith(extensionOrigin);
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
