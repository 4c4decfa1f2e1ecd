/**
 * A distributed queue (Dask's Queue): producers and consumers anywhere on the cluster share
 * futures or small values through the scheduler, first in first out. A future in the queue
 * keeps its result alive until someone takes it (then it is the taker's future). Values pass
 * through the scheduler: keep them small and share big data as futures. The queue lives on
 * the scheduler until close().
 *
 *   const work = new Queue<Future>("tiles");
 *   await work.put(client.submit(loadTile, 7));
 *   const next = await work.get({ timeout: "30s" });
 */
import { InvalidOptionError } from "../../core/errors.js";
import { randomHex } from "../../core/ids.js";
import type { KeyReport } from "../../protocol/messages.js";
import { packItem, replyValue, request, requestTaking, clientFor, timeoutSeconds, unpackItem, type CoordinationClient } from "./coordination-client.js";
import { checkOptionNames, timeoutOptionNames, type OptionNames, type TimeoutOptions } from "../option-names.js";

type Item = { future?: KeyReport; value?: unknown };

export interface QueueOptions {
  client?: CoordinationClient;
  /** Most items at once (default 0: unbounded). */
  maxsize?: number;
}

const queueOptionNames: OptionNames<QueueOptions> = { client: true, maxsize: true };

export class Queue<T = unknown> {
  readonly name: string;
  private readonly maxsize: number | undefined;
  private readonly client: CoordinationClient | undefined;

  /** `maxsize` (default 0: unbounded) applies when this handle creates the queue; others must match it. */
  constructor(name?: string, options: QueueOptions = {}) {
    checkOptionNames(options, queueOptionNames, "Queue");
    this.name = name ?? `queue-${randomHex()}`;
    if (this.name.length === 0) throw new InvalidOptionError("a Queue's name must not be empty");
    if (options.maxsize !== undefined && !(Number.isInteger(options.maxsize) && options.maxsize >= 0)) {
      throw new InvalidOptionError(`queue ${JSON.stringify(this.name)} maxsize must be a non-negative integer (0: unbounded), got ${String(options.maxsize)}`);
    }
    this.maxsize = options.maxsize;
    this.client = options.client;
  }

  private get label(): string {
    return `queue ${JSON.stringify(this.name)}`;
  }

  /** Adds an item, waiting up to `timeout` while the queue is full; raises TimeoutError when it stays full. */
  async put(item: T, options: TimeoutOptions = {}): Promise<void> {
    checkOptionNames(options, timeoutOptionNames, "Queue.put");
    const client = await clientFor(this.client, this.label);
    const timeout = timeoutSeconds(options.timeout, `the timeout of ${this.label}.put`);
    const frames: Uint8Array[] = [];
    const packed = packItem(item, frames, `an item put in ${this.label}`);
    await request(client, {
      op: "queue-put", name: this.name, ...packed, ...(this.maxsize !== undefined ? { maxsize: this.maxsize } : {}), ...(timeout !== undefined ? { timeout } : {}),
    }, frames);
  }

  /** Takes the next item, waiting up to `timeout` for one; raises TimeoutError when none came. */
  async get(options: TimeoutOptions = {}): Promise<T> {
    checkOptionNames(options, timeoutOptionNames, "Queue.get");
    const client = await clientFor(this.client, this.label);
    const timeout = timeoutSeconds(options.timeout, `the timeout of ${this.label}.get`);
    return requestTaking(client, { op: "queue-get", name: this.name, ...(timeout !== undefined ? { timeout } : {}) }, [],
      (reply) => unpackItem(client, replyValue(reply) as Item) as T);
  }

  /**
   * Takes several items: `"all"` takes every item there is now without waiting (Dask's
   * batch=True), a number waits (up to `timeout`) until that many are there.
   */
  async getBatch(count: number | "all", options: TimeoutOptions = {}): Promise<T[]> {
    checkOptionNames(options, timeoutOptionNames, "Queue.getBatch");
    if (count !== "all" && !(Number.isInteger(count) && count >= 1)) throw new InvalidOptionError(`${this.label}.getBatch: count must be a positive integer or "all", got ${String(count)}`);
    const client = await clientFor(this.client, this.label);
    const timeout = timeoutSeconds(options.timeout, `the timeout of ${this.label}.getBatch`);
    return requestTaking(client, { op: "queue-get", name: this.name, batch: count === "all" ? true : count, ...(timeout !== undefined ? { timeout } : {}) }, [],
      (reply) => (replyValue(reply) as Item[]).map((item) => unpackItem(client, item) as T));
  }

  /** Items in the queue now. */
  async qsize(): Promise<number> {
    const reply = await request(await clientFor(this.client, this.label), { op: "queue-size", name: this.name });
    return reply.result as number;
  }

  /** Removes the queue from the scheduler: its futures are let go, waiting puts and gets fail. */
  async close(): Promise<void> {
    await request(await clientFor(this.client, this.label), { op: "queue-close", name: this.name });
  }
}
