/**
 * Keeping keys alive for something other than a connected client: a queue holding futures,
 * a variable, a published dataset, fire-and-forget. As in Dask, each holder is a client of
 * the scheduler's state under a reserved id ("holder:queue:<name>", …): it wants its keys
 * like a client does, so the ordinary rules keep them (and what they need) computed and in
 * memory, and forget them once no client and no holder wants them. A holder may hold the
 * same key several times (a future put twice in a queue); the key is let go when the last
 * hold is.
 *
 * Handing a key to a client (a future taken out of a queue, read from a variable or a
 * dataset) makes that client want it in the same step, before the holder may let it go, so
 * no key is forgotten between the two; the reply carries the key's state, since the
 * scheduler's key-in-memory for it reaches the client before it has a future to finish.
 */
import { unixSeconds } from "../../../core/clock.js";
import type { KeyReport } from "../../../protocol/messages.js";
import type { SchedulerState } from "../../state/scheduler-state.js";
import { CoordinationError, type ExtensionHost, type HolderMessage } from "./extension-host.js";

const holderPrefix = "holder:";

/** Whether a client id of the state names a holder rather than a connected client. */
export function isHolderId(id: string): boolean {
  return id.startsWith(holderPrefix);
}

export function holderId(kind: string, name: string): string {
  return `${holderPrefix}${kind}:${name}`;
}

export type { KeyReport };

export function keyReport(state: SchedulerState, key: string): KeyReport {
  const task = state.tasks.get(key);
  if (!task) return { key, status: "lost", whoHas: [], nbytes: 0, type: "" };
  const base = { key, whoHas: task.whoHas.map((w) => w.address), nbytes: Math.max(task.nbytes, 0), type: task.type };
  if (task.status === "memory") return { ...base, status: "memory" };
  if (task.status === "erred") return { ...base, status: "erred", error: task.exception ?? { name: "Error", message: `task ${key} erred`, stack: "" } };
  return { ...base, status: "pending" };
}

export class KeyHolders {
  private readonly holds = new Map<string, Map<string, number>>();
  private readonly listeners = new Map<string, (message: HolderMessage) => void>();

  constructor(private readonly host: ExtensionHost) {}

  /** Holds `keys` for `holder`; raises, holding nothing, when one of them is unknown to the scheduler. */
  hold(holder: string, keys: readonly string[], what: string): void {
    for (const key of keys) {
      if (!this.host.state.tasks.has(key)) {
        throw new CoordinationError(`${what} refers to the future ${key}, which the scheduler no longer has (released or never submitted): keep a future of it until it is stored`);
      }
    }
    const counts = this.holds.get(holder) ?? new Map<string, number>();
    this.holds.set(holder, counts);
    const fresh: string[] = [];
    for (const key of keys) {
      const count = counts.get(key) ?? 0;
      counts.set(key, count + 1);
      if (count === 0) fresh.push(key);
    }
    if (fresh.length > 0) this.want(holder, fresh);
  }

  /** Lets go of one hold per key; a key is released once its holds reach zero. */
  release(holder: string, keys: readonly string[]): void {
    const counts = this.holds.get(holder);
    if (!counts) return;
    const gone: string[] = [];
    for (const key of keys) {
      const count = counts.get(key);
      if (count === undefined) continue;
      if (count > 1) counts.set(key, count - 1);
      else {
        counts.delete(key);
        gone.push(key);
      }
    }
    if (counts.size === 0) {
      this.holds.delete(holder);
      // The holder's client state goes too (its wants are empty or released with it).
      this.host.dispatch({ type: "client-removed", clientId: holder, now: unixSeconds() });
      return;
    }
    if (gone.length > 0) this.host.dispatch({ type: "keys-released", clientId: holder, keys: gone, now: unixSeconds() });
  }

  /** Makes a connected client want `keys` now; returns their states for its futures. */
  giveTo(clientId: string, keys: readonly string[]): KeyReport[] {
    const known = keys.filter((key) => this.host.state.tasks.has(key));
    if (known.length > 0) this.want(clientId, known);
    return keys.map((key) => keyReport(this.host.state, key));
  }

  /** Messages the state sends a holder (key-in-memory, key-erred, …) go to its listener, if any. */
  listen(holder: string, listener: (message: HolderMessage) => void): void {
    this.listeners.set(holder, listener);
  }

  deliver(holder: string, message: HolderMessage): void {
    this.listeners.get(holder)?.(message);
  }

  isHeld(holder: string, key: string): boolean {
    return this.holds.get(holder)?.has(key) ?? false;
  }

  /** Keys held by `holder` (for tests and diagnostics). */
  heldBy(holder: string): string[] {
    return [...(this.holds.get(holder)?.keys() ?? [])];
  }

  private want(clientId: string, keys: string[]): void {
    this.host.dispatch({ type: "graph-submitted", clientId, tasks: [], wanted: keys, now: unixSeconds() });
  }
}
