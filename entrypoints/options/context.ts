import type { MachineRules } from '../../lib/indicators/machine';
import type { Route } from '../../lib/routes';

/** What every view of the tracking view gets from the shell. */
export interface ViewContext {
  /** IANA zone dates are shown in (settings, else the browser's). */
  timeZone: string;
  /** A clock that ticks, for relative times. */
  now: number;
  /** A tracking workflow run is going on. */
  running: boolean;
  navigate: (route: Route) => void;
  /** The human-or-machine rules of the settings (lib/indicators/machine.ts), the same object while unchanged. */
  rules: MachineRules;
}
