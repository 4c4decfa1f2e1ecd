/**
 * Running erred keys again (Dask's Client.retry / Future.retry): the state resets the erred
 * tasks from the failed roots up to the keys (maintenance-events.ts) and runs what is still
 * needed. The answer lists the keys that are no longer erred, whose futures the client sets
 * back to pending; a key that cannot be retried (an input was lost for good) stays erred.
 */
import { unixSeconds } from "../../../core/clock.js";
import type { MessageOf } from "../../../protocol/messages.js";
import { answer, requireClient, type ExtensionHost, type PeerRequest, type SchedulerExtension } from "./extension-host.js";

export class RetryExtension implements SchedulerExtension<"retry-keys"> {
  readonly handlers = {
    "retry-keys": (message: MessageOf<"retry-keys">, _frames: Uint8Array[], request: PeerRequest) => answer(request, message.reqId, () => {
      requireClient(request, "retrying futures");
      const erred = message.keys.filter((key) => this.host.state.tasks.get(key)?.status === "erred");
      this.host.dispatch({ type: "keys-retried", keys: erred, now: unixSeconds() });
      return { retried: erred.filter((key) => this.host.state.tasks.get(key)?.status !== "erred") };
    }),
  };

  constructor(private readonly host: ExtensionHost) {}
}
