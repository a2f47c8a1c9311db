import { sendMessage } from '../lib/messaging';

/**
 * Tells the background that sources changed, so it starts a run and the user sees data at once. Resolves false when
 * the background did not answer: the change is saved anyway and the next scheduled run picks it up.
 */
export async function notifySourcesChanged(): Promise<boolean> {
  try {
    await sendMessage('sourcesChanged', {});
    return true;
  } catch (error) {
    console.warn('Tracking Logs: could not notify the background', error);
    return false;
  }
}
