/**
 * fire-and-forget (Dask's fire_and_forget): keys the scheduler computes to the end although
 * no client holds a future of them any more (a task writing its result to disk, say). They
 * are held by the "fire-and-forget" holder, which lets each one go as soon as the state
 * reports it done (in memory or erred), so its result is then forgotten like any other.
 */
import type { MessageOf } from "../../../protocol/messages.js";
import type { PeerRequest, SchedulerExtension } from "./extension-host.js";
import { holderId, type KeyHolders } from "./key-holders.js";

export class FireAndForgetExtension implements SchedulerExtension<"fire-and-forget"> {
  private readonly holder = holderId("fire-and-forget", "all");

  readonly handlers = {
    "fire-and-forget": (message: MessageOf<"fire-and-forget">, _frames: Uint8Array[], request: PeerRequest) => {
      // A key the scheduler does not know is refused by name (hold raises, the scheduler logs it).
      void request;
      const fresh = [...new Set(message.keys)].filter((key) => !this.holders.isHeld(this.holder, key));
      this.holders.hold(this.holder, fresh, "fire-and-forget");
    },
  };

  constructor(private readonly holders: KeyHolders) {
    holders.listen(this.holder, (message) => {
      if (message.op !== "key-in-memory" && message.op !== "key-erred" && message.op !== "key-cancelled") return;
      // Not while the state is still carrying out the event that finished the key.
      const key = message.key;
      queueMicrotask(() => this.holders.release(this.holder, [key]));
    });
  }

  /** Keys still running for fire-and-forget (tests, diagnostics). */
  pending(): string[] {
    return this.holders.heldBy(this.holder);
  }
}
