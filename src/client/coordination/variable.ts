/**
 * A distributed variable (Dask's Variable): one named slot, shared by every client and task,
 * holding a future or a small value. A future set in it keeps its result alive until the
 * variable is set to something else or deleted. get() waits until the variable has been set.
 *
 *   const model = new Variable("current-threshold");
 *   await model.set(0.42);           // in the driver
 *   const t = await model.get();     // anywhere
 */
import { InvalidOptionError } from "../../core/errors.js";
import { randomHex } from "../../core/ids.js";
import type { KeyReport } from "../../protocol/messages.js";
import { packItem, replyValue, request, requestTaking, clientFor, timeoutSeconds, unpackItem, type CoordinationClient } from "./coordination-client.js";
import { checkOptionNames, coordinationHandleOptionNames, timeoutOptionNames, type TimeoutOptions } from "../option-names.js";

export class Variable<T = unknown> {
  readonly name: string;
  private readonly client: CoordinationClient | undefined;

  constructor(name?: string, options: { client?: CoordinationClient } = {}) {
    checkOptionNames(options, coordinationHandleOptionNames, "Variable");
    this.name = name ?? `variable-${randomHex()}`;
    if (this.name.length === 0) throw new InvalidOptionError("a Variable's name must not be empty");
    this.client = options.client;
  }

  private get label(): string {
    return `variable ${JSON.stringify(this.name)}`;
  }

  async set(value: T): Promise<void> {
    const client = await clientFor(this.client, this.label);
    const frames: Uint8Array[] = [];
    await request(client, { op: "variable-set", name: this.name, ...packItem(value, frames, `the value set in ${this.label}`) }, frames);
  }

  /** The value (a future of this client when a future was set), waiting up to `timeout` for a first set(). */
  async get(options: TimeoutOptions = {}): Promise<T> {
    checkOptionNames(options, timeoutOptionNames, "Variable.get");
    const client = await clientFor(this.client, this.label);
    const timeout = timeoutSeconds(options.timeout, `the timeout of ${this.label}.get`);
    return requestTaking(client, { op: "variable-get", name: this.name, ...(timeout !== undefined ? { timeout } : {}) }, [],
      (reply) => unpackItem(client, replyValue(reply) as { future?: KeyReport; value?: unknown }) as T);
  }

  /** Empties the variable (its future, if any, is let go). */
  async delete(): Promise<void> {
    await request(await clientFor(this.client, this.label), { op: "variable-delete", name: this.name });
  }
}
