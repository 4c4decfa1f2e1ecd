/**
 * Publish/subscribe (Dask's Pub and Sub): a message put on a topic reaches every Sub of that
 * topic that exists at that moment, in the order published; nothing is kept for later
 * subscribers. Messages are small values and pass through the scheduler.
 *
 *   const progress = new Sub("progress"); await progress.subscribed;
 *   new Pub("progress").put({ tile: 7, done: true });    // in tasks
 *   for await (const message of progress) { … }
 *
 * In a task, Pub and Sub made without { client } use the task's client (getClient()), which
 * may still be connecting: a Pub keeps what is put meanwhile and sends it, in order, once it
 * is connected; a Sub subscribes then.
 */
import { InvalidOptionError, TimeoutError } from "../../core/errors.js";
import { createLogger } from "../../core/log.js";
import { unpackPayload, packPayload } from "../../protocol/payload.js";
import { clientOrTaskClient, request, timeoutSeconds, type CoordinationClient } from "./coordination-client.js";
import { checkOptionNames, coordinationHandleOptionNames, timeoutOptionNames, type TimeoutOptions } from "../option-names.js";

const logger = createLogger("client");

function checkTopic(topic: string, what: string): void {
  if (typeof topic !== "string" || topic.length === 0) throw new InvalidOptionError(`a ${what} needs a topic name (a non-empty string)`);
}

export class Pub<T = unknown> {
  private client: CoordinationClient | Promise<CoordinationClient> | undefined;
  /** Messages put while the task's client connects, sent in order once it has. */
  private readonly waiting: Array<{ value: unknown; frames: Uint8Array[] }> = [];

  constructor(readonly topic: string, private readonly options: { client?: CoordinationClient } = {}) {
    checkOptionNames(options, coordinationHandleOptionNames, "Pub");
    checkTopic(topic, "Pub");
  }

  /** Sends `message` to the topic's current subscribers (never waits; a value that cannot travel raises here). */
  put(message: T): void {
    const what = `Pub ${JSON.stringify(this.topic)}`;
    this.client ??= this.connect(what);
    const frames: Uint8Array[] = [];
    const value = packPayload(message, frames, `a message to topic ${JSON.stringify(this.topic)}`);
    if (this.client instanceof Promise) this.waiting.push({ value, frames });
    else this.send(this.client, value, frames);
  }

  private connect(what: string): CoordinationClient | Promise<CoordinationClient> {
    const client = clientOrTaskClient(this.options.client, what);
    if (!(client instanceof Promise)) return client;
    client.then((connected) => {
      this.client = connected;
      for (const { value, frames } of this.waiting.splice(0)) this.send(connected, value, frames);
    }, (error: Error) => {
      this.client = undefined;
      logger.error(`${what}: ${this.waiting.splice(0).length} message(s) not published, the task's client did not connect: ${error.message}`);
    });
    return client;
  }

  private send(client: CoordinationClient, value: unknown, frames: Uint8Array[]): void {
    client.scheduler.send({ op: "pubsub-publish", topic: this.topic, value }, frames);
  }
}

export class Sub<T = unknown> implements AsyncIterable<T> {
  /** Resolves once the scheduler forwards this topic here: messages published earlier are not seen. */
  readonly subscribed: Promise<void>;
  private readonly buffer: T[] = [];
  private readonly waiters: Array<() => void> = [];
  private client: CoordinationClient | undefined;
  private stopListening: () => void = () => {};
  private closed = false;

  constructor(readonly topic: string, options: { client?: CoordinationClient } = {}) {
    checkOptionNames(options, coordinationHandleOptionNames, "Sub");
    checkTopic(topic, "Sub");
    const client = clientOrTaskClient(options.client, `Sub ${JSON.stringify(topic)}`);
    this.subscribed = client instanceof Promise ? client.then((connected) => this.subscribe(connected)) : this.subscribe(client);
    // An unobserved failure would be reported as unhandled; get() and iteration re-raise it.
    this.subscribed.catch(() => {});
  }

  private async subscribe(client: CoordinationClient): Promise<void> {
    if (this.closed) return;
    this.client = client;
    this.stopListening = client.onSchedulerMessage((message, frames) => {
      if (message.op !== "pubsub-message" || message.topic !== this.topic || this.closed) return;
      this.buffer.push(unpackPayload(message.value, frames) as T);
      for (const wake of this.waiters.splice(0)) wake();
    });
    await request(client, { op: "pubsub-subscribe", topic: this.topic });
  }

  /** The next message, waiting up to `timeout` (TimeoutError when none came). */
  async get(options: TimeoutOptions = {}): Promise<T> {
    checkOptionNames(options, timeoutOptionNames, "Sub.get");
    const seconds = timeoutSeconds(options.timeout, `the timeout of Sub ${JSON.stringify(this.topic)}.get`);
    await this.subscribed;
    const deadline = seconds === undefined ? undefined : Date.now() + seconds * 1000;
    while (this.buffer.length === 0) {
      if (this.closed) throw new InvalidOptionError(`Sub ${JSON.stringify(this.topic)} is closed`);
      const left = deadline === undefined ? undefined : deadline - Date.now();
      if (left !== undefined && left <= 0) throw new TimeoutError(`no message on topic ${JSON.stringify(this.topic)} within ${seconds} s`);
      await new Promise<void>((resolve) => {
        const timer = left === undefined ? undefined : setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.buffer.shift() as T;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    while (!this.closed) yield await this.get();
  }

  /** Stops the subscription; a waiting get() fails. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopListening();
    for (const wake of this.waiters.splice(0)) wake();
    await this.subscribed.catch(() => {});
    if (this.client && !this.client.scheduler.isClosed) await request(this.client, { op: "pubsub-unsubscribe", topic: this.topic });
  }
}
