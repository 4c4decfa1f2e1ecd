/**
 * Reconnecting a client whose scheduler connection dropped (Dask's Client._reconnect): for
 * up to `reconnectTimeout` seconds (default: the client's connect timeout, Dask's
 * distributed.comm.timeouts.connect) the client tries the scheduler again (re-reading the
 * scheduler file each time, when it was connected through one: a scheduler started again
 * may listen elsewhere). Meanwhile its futures stay pending and new calls raise, saying the
 * client is reconnecting.
 *
 * Once connected, it asks for every key it holds a future for. Keys the scheduler knows
 * (the same scheduler, back after a network cut) carry on; the others were lost with the
 * scheduler that computed them: their futures fail with FuturesLostError naming the key,
 * the log says which were lost, and the client's "client-reconnected" topic handlers get
 * `{ scheduler, lostKeys }`. Should the scheduler not come back in time, every pending
 * future fails naming it and the client is given up, as without reconnection.
 */
import { connect } from "../comm/connect.js";
import type { Connection } from "../comm/connection.js";
import { watchLiveness } from "../comm/liveness.js";
import { readSchedulerFile } from "../comm/scheduler-file.js";
import { sleep } from "../core/clock.js";
import { TesseraError } from "../core/errors.js";
import type { Logger } from "../core/log.js";
import type { Security } from "../comm/security.js";

/** A future whose key the scheduler no longer knows after a reconnection. */
export class FuturesLostError extends TesseraError {
  override name = "FuturesLostError";
}

/** How to reach the scheduler again. */
export interface ReconnectTarget {
  address: string;
  /** Set when the client was connected through a scheduler file (re-read on each attempt). */
  schedulerFile?: string;
  credential: string;
  security: Security | undefined;
  /** Seconds the scheduler may stay silent once connected (liveness). */
  schedulerTimeoutSeconds: number;
}

export interface Reconnected {
  connection: Connection;
  /** The credential it connected with (a scheduler started again may have a new one). */
  credential: string;
  clientId: string;
  nWorkers: number;
}

/** Opens and registers a new scheduler connection within `seconds`; null when the scheduler did not come back. */
export async function reconnectScheduler(target: ReconnectTarget, seconds: number, logger: Logger, isClosed: () => boolean): Promise<Reconnected | null> {
  const deadline = Date.now() + seconds * 1000;
  let pause = 100;
  while (Date.now() < deadline && !isClosed()) {
    // A scheduler started again writes its (new) address and credential into the same file.
    const file = target.schedulerFile ? readSchedulerFileOrNothing(target.schedulerFile) : undefined;
    const address = file?.address ?? target.address;
    const credential = typeof file?.credential === "string" && file.credential !== "" ? file.credential : target.credential;
    const left = (deadline - Date.now()) / 1000;
    try {
      const connection = await connect(address, { credential, security: target.security, logger, timeout: Math.max(0.2, Math.min(left, 5)) });
      watchLiveness(connection, { timeoutMs: target.schedulerTimeoutSeconds * 1000, peerName: "the scheduler" });
      connection.start(() => {});
      try {
        const reply = await connection.request({ op: "register-client" }, [], { timeoutMs: Math.max(1000, deadline - Date.now()) });
        const registration = reply.result as { clientId: string; nWorkers: number };
        return { connection, credential, clientId: registration.clientId, nWorkers: registration.nWorkers };
      } catch (error) {
        connection.close();
        throw error;
      }
    } catch (error) {
      logger.debug(`reconnecting to the scheduler at ${address}: ${(error as Error).message}`);
    }
    await sleep(Math.min(pause, Math.max(0, deadline - Date.now())));
    pause = Math.min(pause * 2, 2000);
  }
  return null;
}

/** The scheduler file's contents, or undefined while it is missing or half-written (a scheduler starting again). */
function readSchedulerFileOrNothing(path: string): ReturnType<typeof readSchedulerFile> {
  try {
    return readSchedulerFile(path);
  } catch {
    return undefined;
  }
}

/** The keys of `keys` the new connection's scheduler does not know (it re-attaches the others to this client). */
export async function reclaimKeys(connection: Connection, keys: string[]): Promise<string[]> {
  if (keys.length === 0) return [];
  const reply = await connection.request({ op: "client-desires-keys", keys }, [], { timeoutMs: 60_000 });
  return (reply.result as { unknown: string[] }).unknown;
}
