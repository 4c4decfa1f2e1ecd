/**
 * A request/reply liveness check on one connection. A peer that died closes its sockets and
 * the connection ends at once; a peer that is stopped (SIGSTOP), hung or cut off by the
 * network keeps its socket open and says nothing, and one-way heartbeats from our side never
 * notice. So, whenever the connection has been quiet for `intervalMs`, we ping; every
 * connection answers pings itself (connection.ts), whatever its owner is busy with. When a
 * ping is out and there has been no sign of life (a reply, any byte, or the network taking
 * bytes we are still sending) for `timeoutMs`, the connection is closed with an error saying
 * so, and every request and future waiting on it fails with that error.
 *
 * So a silent peer is given up `timeoutMs` after its last sign of life, plus at most one
 * interval. The default interval is a tenth of the timeout, at most 1 s: an idle link
 * carries a few bytes a second. A peer whose event loop is blocked longer than the timeout
 * looks the same as a stopped one (a scheduler taking in a graph of about a million tasks
 * on a slow machine): the timeout must exceed the longest such pause.
 */
import { TimeoutError } from "../core/errors.js";
import type { Connection } from "./connection.js";

export interface LivenessOptions {
  /** How long the peer may stay silent after a ping (Dask's distributed.comm.timeouts.tcp). */
  timeoutMs: number;
  /** Quiet time before a ping, and how often the connection is looked at. */
  intervalMs?: number;
  /** Who the peer is, for the error ("the scheduler"). */
  peerName: string;
}

/** Starts watching; the returned function stops it (it also stops when the connection closes). */
export function watchLiveness(connection: Connection, options: LivenessOptions): () => void {
  const timeoutMs = options.timeoutMs;
  const intervalMs = options.intervalMs ?? Math.max(10, Math.min(timeoutMs / 10, 1000));
  let pingSentAt: number | null = null;
  const check = () => {
    if (connection.isClosed) {
      stop();
      return;
    }
    const now = performance.now();
    const lastHeard = connection.channel.lastActivity();
    if (pingSentAt === null) {
      if (now - lastHeard < intervalMs) return;
      pingSentAt = now;
      connection.request({ op: "ping" }).then(
        () => (pingSentAt = null),
        () => (pingSentAt = null), // the connection closed: nothing left to watch
      );
      return;
    }
    if (now - lastHeard >= timeoutMs) {
      stop();
      connection.close(new TimeoutError(
        `${options.peerName} at ${connection.peerAddress} has not answered for ${timeoutMs / 1000} s ` +
          "(distributed.comm.timeouts.tcp): it is stopped, hung, or cut off by the network, or was busy longer than " +
          "that (a graph of a million tasks keeps a scheduler busy for tens of seconds: raise the timeout for those)",
      ));
    }
  };
  const timer = setInterval(check, intervalMs);
  timer.unref();
  const stop = () => clearInterval(timer);
  connection.onClose(stop);
  return stop;
}
