/** Converting worker-reported start/stop records into the observed-record shape. */
import type { StartStop } from "../../protocol/messages.js";

export function observedStartStops(startstops: StartStop[]): Array<{ action: string; start: number; stop: number; source?: string }> {
  return startstops.map((s) => (s.source ? { action: s.action, start: s.start, stop: s.stop, source: s.source } : { action: s.action, start: s.start, stop: s.stop }));
}
