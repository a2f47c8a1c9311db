import { defineExtensionMessaging } from '@webext-core/messaging';
import type { z } from 'zod';
import type { OverlayDraw } from './overlay/protocol';
import type { messageSchemas, OverlayShowResult, RunNowResult, TestConnectionResult } from './message-schemas';

export type { OverlayShowResult, RunNowResult, TestConnectionResult } from './message-schemas';

/**
 * The one message protocol between the extension's contexts: each message, its data (the schemas of
 * lib/message-schemas.ts, which the background checks every message against) and its answer.
 */
export interface ProtocolMap {
  runNow(data: z.infer<typeof messageSchemas.runNow>): RunNowResult;
  settingsChanged(data: z.infer<typeof messageSchemas.settingsChanged>): void;
  testConnection(data: z.infer<typeof messageSchemas.testConnection>): TestConnectionResult;
  sourcesChanged(data: z.infer<typeof messageSchemas.sourcesChanged>): void;
  overlayShow(data: z.infer<typeof messageSchemas.overlayShow>): OverlayShowResult;
  overlaySelect(data: z.infer<typeof messageSchemas.overlaySelect>): void;
  overlayOff(data: z.infer<typeof messageSchemas.overlayOff>): void;
  overlayDraw(data: OverlayDraw): void;
  overlayRemove(data: z.infer<typeof messageSchemas.overlayRemove>): void;
}

export const { sendMessage, onMessage } = defineExtensionMessaging<ProtocolMap>();
