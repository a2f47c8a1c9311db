import { dictionaryStrings } from './dictionary';
import { distinctIds, loadDeliveryEvents, type EventColumns } from './events';
import { recipientIndex, type RecipientIndex } from './recipient-index';
import type { TrackingDb, UrlRow } from './schema';

/** Everything the Tracking logs tab shows of a delivery: its events and the strings their ids stand for. */
export interface LogsData {
  cols: EventColumns;
  urls: Map<number, UrlRow>;
  agents: Map<number, string>;
  ips: Map<number, string>;
  recipients: RecipientIndex;
}

/** Dexie calls only (runs in liveQuery: a run that adds events to the delivery refreshes the table). */
export async function loadLogsData(db: TrackingDb, deliveryId: number): Promise<LogsData> {
  const [cols, urlRows, recipients] = await Promise.all([
    loadDeliveryEvents(db, deliveryId),
    db.urls.where('deliveryId').equals(deliveryId).toArray(),
    recipientIndex(db),
  ]);
  const [agents, ips] = await Promise.all([
    dictionaryStrings(db, 'agents', distinctIds(cols.ua)),
    dictionaryStrings(db, 'ips', distinctIds(cols.ip)),
  ]);
  return { cols, urls: new Map(urlRows.map((u) => [u.id!, u])), agents, ips, recipients };
}
