/**
 * Distributed queues (Dask's QueueExtension): many producers and consumers share futures or
 * small values through the scheduler, first in first out. A future in a queue keeps its key
 * alive until someone takes it out (then it is the taker's) or the queue is closed.
 *
 * A queue is created by its first put or get, with the `maxsize` given then (0: unbounded);
 * a put into a full queue waits, and so does a get from an empty one, each with its own
 * timeout, served in arrival order. Unlike Dask, where a queue lives while a Queue object
 * refers to it, a queue lives until close() (JavaScript has no reliable destructor).
 */
import { TimeoutError } from "../../../core/errors.js";
import type { MessageOf } from "../../../protocol/messages.js";
import { CoordinationError, answer, requireClient, type PeerRequest, type SchedulerExtension } from "./extension-host.js";
import { holderId, type KeyHolders } from "./key-holders.js";
import { handOut, readItem, type ItemReply, type StoredItem } from "./stored-items.js";

interface Getter {
  request: PeerRequest;
  reqId: number;
  /** Items wanted: 1, or a batch size. */
  count: number;
  batch: boolean;
  timer: NodeJS.Timeout | undefined;
}

interface Putter {
  request: PeerRequest;
  reqId: number;
  item: StoredItem;
  timer: NodeJS.Timeout | undefined;
}

class SharedQueue {
  readonly items: StoredItem[] = [];
  readonly getters: Getter[] = [];
  readonly putters: Putter[] = [];
  constructor(readonly name: string, readonly maxsize: number) {}

  get full(): boolean {
    return this.maxsize > 0 && this.items.length >= this.maxsize;
  }
}

type QueueOp = "queue-put" | "queue-get" | "queue-size" | "queue-close";

export class QueueExtension implements SchedulerExtension<QueueOp> {
  private readonly queues = new Map<string, SharedQueue>();

  readonly handlers = {
    "queue-put": (message: MessageOf<"queue-put">, frames: Uint8Array[], request: PeerRequest) => this.put(message, frames, request),
    "queue-get": (message: MessageOf<"queue-get">, _frames: Uint8Array[], request: PeerRequest) => this.get(message, request),
    "queue-size": (message: MessageOf<"queue-size">, _frames: Uint8Array[], request: PeerRequest) => answer(request, message.reqId, () => this.queues.get(message.name)?.items.length ?? 0),
    "queue-close": (message: MessageOf<"queue-close">, _frames: Uint8Array[], request: PeerRequest) => answer(request, message.reqId, () => this.closeQueue(message.name)),
  };

  constructor(private readonly holders: KeyHolders) {}

  private queue(name: string, maxsize: number | undefined): SharedQueue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new SharedQueue(name, maxsize ?? 0);
      this.queues.set(name, queue);
    } else if (maxsize !== undefined && maxsize !== queue.maxsize) {
      throw new CoordinationError(`queue ${JSON.stringify(name)} exists with maxsize ${queue.maxsize}, not ${maxsize}: use the same maxsize everywhere, or another name`);
    }
    return queue;
  }

  private put(message: MessageOf<"queue-put">, frames: Uint8Array[], request: PeerRequest): void {
    const what = `queue ${JSON.stringify(message.name)}`;
    let queue: SharedQueue;
    let item: StoredItem;
    try {
      queue = this.queue(message.name, message.maxsize);
      item = readItem(message, frames, what);
      if ("futureKey" in item) this.holders.hold(holderId("queue", message.name), [item.futureKey], what);
    } catch (error) {
      request.connection.replyError(message.reqId, error);
      return;
    }
    if (!queue.full) {
      queue.items.push(item);
      request.connection.reply(message.reqId, { put: true });
      this.serveGetters(queue);
      return;
    }
    if (message.timeout === 0) {
      this.dropItem(queue, item);
      request.connection.replyError(message.reqId, new TimeoutError(`${what} is full (maxsize ${queue.maxsize})`));
      return;
    }
    const putter: Putter = { request, reqId: message.reqId, item, timer: undefined };
    queue.putters.push(putter);
    if (message.timeout !== undefined) {
      putter.timer = setTimeout(() => {
        if (!remove(queue.putters, putter)) return;
        this.dropItem(queue, item);
        request.connection.replyError(message.reqId, new TimeoutError(`${what} stayed full (maxsize ${queue.maxsize}) for ${message.timeout} s`));
      }, message.timeout * 1000);
    }
  }

  private get(message: MessageOf<"queue-get">, request: PeerRequest): void {
    const what = `queue ${JSON.stringify(message.name)}`;
    let queue: SharedQueue;
    try {
      queue = this.queue(message.name, undefined);
    } catch (error) {
      request.connection.replyError(message.reqId, error);
      return;
    }
    const batch = message.batch !== undefined;
    // `batch: true` takes what is there now, without waiting (Dask's meaning).
    const count = message.batch === true ? queue.items.length : message.batch ?? 1;
    const getter: Getter = { request, reqId: message.reqId, count, batch, timer: undefined };
    if (message.batch === true || (queue.getters.length === 0 && queue.items.length >= count)) {
      this.serve(queue, getter);
      return;
    }
    if (message.timeout === 0) {
      request.connection.replyError(message.reqId, new TimeoutError(`${what} has ${queue.items.length} item(s), ${count} wanted`));
      return;
    }
    queue.getters.push(getter);
    if (message.timeout !== undefined) {
      getter.timer = setTimeout(() => {
        if (!remove(queue.getters, getter)) return;
        request.connection.replyError(message.reqId, new TimeoutError(`${what}: no ${count === 1 ? "item" : `${count} items`} within ${message.timeout} s`));
      }, message.timeout * 1000);
    }
  }

  /** Answers waiting getters (in order) while items last, then lets waiting putters in. */
  private serveGetters(queue: SharedQueue): void {
    while (queue.getters.length > 0 && queue.items.length >= queue.getters[0].count) {
      const getter = queue.getters.shift() as Getter;
      clearTimeout(getter.timer);
      if (getter.request.connection.isClosed) continue;
      this.serve(queue, getter);
    }
    while (queue.putters.length > 0 && !queue.full) {
      const putter = queue.putters.shift() as Putter;
      clearTimeout(putter.timer);
      queue.items.push(putter.item);
      putter.request.connection.reply(putter.reqId, { put: true });
      if (queue.getters.length > 0) this.serveGetters(queue);
    }
  }

  /** Takes `getter.count` items for the getter and answers it (a worker asking for a future is refused, nothing taken). */
  private serve(queue: SharedQueue, getter: Getter): void {
    const what = `queue ${JSON.stringify(queue.name)}`;
    const taken = queue.items.slice(0, getter.count);
    let replies: ItemReply[];
    try {
      if (taken.some((item) => "futureKey" in item)) requireClient(getter.request, `taking a future from ${what}`);
      queue.items.splice(0, taken.length);
      replies = taken.map((item) => handOut(item, getter.request, this.holders, holderId("queue", queue.name), what));
    } catch (error) {
      getter.request.connection.replyError(getter.reqId, error);
      return;
    }
    getter.request.connection.replyValue(getter.reqId, getter.batch ? replies : replies[0], `the item(s) taken from ${what}`);
    if (queue.putters.length > 0) this.serveGetters(queue);
  }

  private dropItem(queue: SharedQueue, item: StoredItem): void {
    if ("futureKey" in item) this.holders.release(holderId("queue", queue.name), [item.futureKey]);
  }

  private closeQueue(name: string): { closed: boolean; items: number } {
    const queue = this.queues.get(name);
    if (!queue) return { closed: false, items: 0 };
    this.queues.delete(name);
    for (const getter of queue.getters) {
      clearTimeout(getter.timer);
      getter.request.connection.replyError(getter.reqId, new CoordinationError(`queue ${JSON.stringify(name)} was closed while this get waited`));
    }
    for (const putter of queue.putters) {
      clearTimeout(putter.timer);
      this.dropItem(queue, putter.item);
      putter.request.connection.replyError(putter.reqId, new CoordinationError(`queue ${JSON.stringify(name)} was closed while this put waited`));
    }
    for (const item of queue.items) this.dropItem(queue, item);
    return { closed: true, items: queue.items.length };
  }

  peerGone(peer: string): void {
    for (const queue of this.queues.values()) {
      for (const getter of queue.getters.filter((g) => g.request.peer === peer)) {
        clearTimeout(getter.timer);
        remove(queue.getters, getter);
      }
      for (const putter of queue.putters.filter((p) => p.request.peer === peer)) {
        clearTimeout(putter.timer);
        remove(queue.putters, putter);
        this.dropItem(queue, putter.item);
      }
    }
  }

  close(): void {
    for (const queue of this.queues.values()) {
      for (const waiter of [...queue.getters, ...queue.putters]) clearTimeout(waiter.timer);
    }
  }
}

function remove<T>(list: T[], item: T): boolean {
  const index = list.indexOf(item);
  if (index < 0) return false;
  list.splice(index, 1);
  return true;
}
