/**
 * Distributed variables (Dask's VariableExtension): one named slot holding a future or a
 * small value, shared by every client. A future set in a variable keeps its key alive until
 * the variable is set to something else or deleted; a client that reads it gets a future of
 * its own in the same step, so the key survives a later set. A get waits (with its timeout)
 * until the variable has been set.
 */
import { TimeoutError } from "../../../core/errors.js";
import type { MessageOf } from "../../../protocol/messages.js";
import { answer, type PeerRequest, type SchedulerExtension } from "./extension-host.js";
import { holderId, type KeyHolders } from "./key-holders.js";
import { handOut, readItem, type StoredItem } from "./stored-items.js";

interface Reader {
  name: string;
  request: PeerRequest;
  reqId: number;
  timer: NodeJS.Timeout | undefined;
}

type VariableOp = "variable-set" | "variable-get" | "variable-delete";

export class VariableExtension implements SchedulerExtension<VariableOp> {
  private readonly values = new Map<string, StoredItem>();
  private readonly readers: Reader[] = [];

  readonly handlers = {
    "variable-set": (message: MessageOf<"variable-set">, frames: Uint8Array[], request: PeerRequest) => answer(request, message.reqId, () => {
      this.set(message.name, readItem(message, frames, `variable ${JSON.stringify(message.name)}`));
      return { set: true };
    }),
    "variable-get": (message: MessageOf<"variable-get">, _frames: Uint8Array[], request: PeerRequest) => this.get(message, request),
    "variable-delete": (message: MessageOf<"variable-delete">, _frames: Uint8Array[], request: PeerRequest) => answer(request, message.reqId, () => {
      const old = this.values.get(message.name);
      this.values.delete(message.name);
      if (old && "futureKey" in old) this.holders.release(holderId("variable", message.name), [old.futureKey]);
      return { deleted: old !== undefined };
    }),
  };

  constructor(private readonly holders: KeyHolders) {}

  private set(name: string, item: StoredItem): void {
    const holder = holderId("variable", name);
    // Hold the new key before letting go of the old one: they may be the same.
    if ("futureKey" in item) this.holders.hold(holder, [item.futureKey], `variable ${JSON.stringify(name)}`);
    const old = this.values.get(name);
    this.values.set(name, item);
    if (old && "futureKey" in old) this.holders.release(holder, [old.futureKey]);
    for (const reader of this.readers.filter((r) => r.name === name)) {
      this.readers.splice(this.readers.indexOf(reader), 1);
      clearTimeout(reader.timer);
      if (!reader.request.connection.isClosed) this.reply(reader, item);
    }
  }

  private get(message: MessageOf<"variable-get">, request: PeerRequest): void {
    const reader: Reader = { name: message.name, request, reqId: message.reqId, timer: undefined };
    const item = this.values.get(message.name);
    if (item) {
      this.reply(reader, item);
      return;
    }
    if (message.timeout === 0) {
      request.connection.replyError(message.reqId, new TimeoutError(`variable ${JSON.stringify(message.name)} has not been set`));
      return;
    }
    this.readers.push(reader);
    if (message.timeout !== undefined) {
      reader.timer = setTimeout(() => {
        const index = this.readers.indexOf(reader);
        if (index < 0) return;
        this.readers.splice(index, 1);
        request.connection.replyError(message.reqId, new TimeoutError(`variable ${JSON.stringify(message.name)} was not set within ${message.timeout} s`));
      }, message.timeout * 1000);
    }
  }

  private reply(reader: Reader, item: StoredItem): void {
    const what = `variable ${JSON.stringify(reader.name)}`;
    try {
      reader.request.connection.replyValue(reader.reqId, handOut(item, reader.request, this.holders, null, what), `the value of ${what}`);
    } catch (error) {
      reader.request.connection.replyError(reader.reqId, error);
    }
  }

  peerGone(peer: string): void {
    for (const reader of this.readers.filter((r) => r.request.peer === peer)) {
      this.readers.splice(this.readers.indexOf(reader), 1);
      clearTimeout(reader.timer);
    }
  }

  close(): void {
    for (const reader of this.readers) clearTimeout(reader.timer);
    this.readers.length = 0;
  }
}
