import type { DeliveryListItem } from '../../../../lib/db/queries';
import type { RouteParams } from '../../../../lib/routes';
import type { ViewContext } from '../../context';

/** What the delivery shell hands each of its tabs. */
export interface DeliveryTabProps {
  item: DeliveryListItem;
  ctx: ViewContext;
  /** The tab's filters from the hash (`?…`); each tab validates its own. */
  params: RouteParams;
  /**
   * Changes the tab's filters in the hash (merged; '' removes one). `replace` rewrites the history entry instead of
   * adding one, for typing in a search box.
   */
  setParams: (params: RouteParams, replace?: boolean) => void;
}
