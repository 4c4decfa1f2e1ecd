/**
 * In-process transport: two Channel ends joined directly. Messages and frames are handed
 * over by reference on the next microtask, so ordering and asynchrony match a socket while
 * nothing is serialised. Used by tests and by a scheduler that lives in the client's process.
 */
import { InvalidOptionError } from "../core/errors.js";
import { type Batch, BatchInbox, type Channel } from "./channel.js";

class InprocChannel implements Channel {
  peer!: InprocChannel;
  private inbox = new BatchInbox();
  private closeListeners: Array<(error?: Error) => void> = [];
  private lastDelivery = performance.now();
  closed = false;

  constructor(readonly localAddress: string, readonly peerAddress: string) {}

  lastActivity(): number {
    return this.lastDelivery;
  }

  send(batch: Batch): void {
    if (this.closed) return;
    const peer = this.peer;
    queueMicrotask(() => peer.deliver(batch));
  }

  private deliver(batch: Batch): void {
    if (this.closed) return;
    this.lastDelivery = performance.now();
    this.inbox.deliver(batch);
  }

  onBatch(receiver: ((batch: Batch) => void) | null): void {
    this.inbox.attach(receiver);
  }

  onClose(listener: (error?: Error) => void): void {
    if (this.closed) listener();
    else this.closeListeners.push(listener);
  }

  setAuthenticated(): void {}

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const listener of this.closeListeners.splice(0)) listener();
    const peer = this.peer;
    queueMicrotask(() => peer.close());
  }
}

type Acceptor = (channel: Channel) => void;
const listeners = new Map<string, Acceptor>();
let counter = 0;

export function listenInproc(name: string, accept: Acceptor): { address: string; close(): void } {
  const address = `inproc://${name}`;
  if (listeners.has(address)) throw new InvalidOptionError(`address ${address} is already in use in this process`);
  listeners.set(address, accept);
  return { address, close: () => listeners.delete(address) };
}

/** Connects to an in-process listener, or returns undefined when nobody listens there. */
export function connectInproc(address: string): Channel | undefined {
  const accept = listeners.get(address);
  if (!accept) return undefined;
  const clientAddress = `inproc://client-${process.pid}-${++counter}`;
  const client = new InprocChannel(clientAddress, address);
  const server = new InprocChannel(address, clientAddress);
  client.peer = server;
  server.peer = client;
  accept(server);
  return client;
}
