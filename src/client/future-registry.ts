/**
 * A client's futures by key: one FutureState per key however many handles share it, each
 * handle counted (release() or garbage collection gives its reference up), and the key
 * forgotten once no handle holds it (the client then lets the scheduler release it).
 */
import { Future, FutureState, type FutureOwner } from "./future.js";

export class FutureRegistry {
  readonly states = new Map<string, FutureState>();
  /** A handle garbage-collected without release() gives up its reference here (a dropped handle lets its key go). */
  private readonly finalizer = new FinalizationRegistry<FutureState>((state) => this.collected(state));

  constructor(private readonly owner: FutureOwner) {}

  /** A new handle of `key` (sharing the key's state with its other handles). */
  futureFor<T>(key: string): Future<T> {
    let state = this.states.get(key);
    if (!state) {
      state = new FutureState(key);
      this.states.set(key, state);
    }
    const future = new Future<T>(key, state, this.owner);
    this.finalizer.register(future, state, future);
    return future;
  }

  /** A handle released explicitly: its collection must not count it a second time. */
  released(future: Future): void {
    this.finalizer.unregister(future);
  }

  /** Forgets `key` when no handle holds it any more; true when it was forgotten now. */
  forget(key: string): boolean {
    const state = this.states.get(key);
    if (!state || state.refCount > 0) return false;
    this.states.delete(key);
    return true;
  }

  private collected(state: FutureState): void {
    state.refCount--;
    // A handle of a state forgotten since (a restart) releases nothing of the key's new state.
    if (this.states.get(state.key) === state) this.owner.releaseKey(state.key);
  }
}
