/**
 * A distributed event (Dask's Event): a named flag that clients and tasks set, clear and
 * wait for, e.g. to hold many tasks until an input is ready.
 *
 *   const ready = new Event("inputs-staged");
 *   await ready.wait({ timeout: "10 minutes" });   // in tasks
 *   await ready.set();                              // in the driver
 */
import { InvalidOptionError } from "../../core/errors.js";
import { randomHex } from "../../core/ids.js";
import { clientFor, request, timeoutSeconds, type CoordinationClient } from "./coordination-client.js";
import { checkOptionNames, coordinationHandleOptionNames, timeoutOptionNames, type TimeoutOptions } from "../option-names.js";

export class Event {
  readonly name: string;
  private readonly client: CoordinationClient | undefined;

  constructor(name?: string, options: { client?: CoordinationClient } = {}) {
    checkOptionNames(options, coordinationHandleOptionNames, "Event");
    this.name = name ?? `event-${randomHex()}`;
    if (this.name.length === 0) throw new InvalidOptionError("an Event's name must not be empty");
    this.client = options.client;
  }

  private get label(): string {
    return `event ${JSON.stringify(this.name)}`;
  }

  /** Sets the flag: every waiter wakes, later waits return at once. */
  async set(): Promise<void> {
    await request(await clientFor(this.client, this.label), { op: "event-set", name: this.name });
  }

  async clear(): Promise<void> {
    await request(await clientFor(this.client, this.label), { op: "event-clear", name: this.name });
  }

  /** Waits until the flag is set: true when it is, false when `timeout` passed first. */
  async wait(options: TimeoutOptions = {}): Promise<boolean> {
    checkOptionNames(options, timeoutOptionNames, "Event.wait");
    const timeout = timeoutSeconds(options.timeout, `the timeout of ${this.label}.wait`);
    const reply = await request(await clientFor(this.client, this.label), { op: "event-wait", name: this.name, ...(timeout !== undefined ? { timeout } : {}) });
    return (reply.result as { set: boolean }).set;
  }

  async isSet(): Promise<boolean> {
    const reply = await request(await clientFor(this.client, this.label), { op: "event-is-set", name: this.name });
    return (reply.result as { set: boolean }).set;
  }
}
