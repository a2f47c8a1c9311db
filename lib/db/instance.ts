import { openDb, type TrackingDb } from './schema';

/**
 * The store as the extension pages (popup, tracking view) share it: one Dexie instance per page, opened lazily on
 * the first query. The background and tests open their own with `openDb()`.
 */
export const db: TrackingDb = openDb();
