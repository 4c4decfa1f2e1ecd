/**
 * One shared, authenticated connection per peer address. Requests are multiplexed by reqId,
 * so a single connection serves any number of concurrent fetches; a closed connection is
 * forgotten and the next `get` reconnects. The pool owns its connections: close() ends them.
 */
import { ClosedError } from "../core/errors.js";
import { type ConnectOptions, connect } from "./connect.js";
import type { Connection, MessageHandler } from "./connection.js";

export class ConnectionPool {
  private connections = new Map<string, Promise<Connection>>();
  private closed = false;

  constructor(
    private readonly options: Omit<ConnectOptions, "signal">,
    /** Handles messages a peer sends unasked on a pooled connection (rare; default: ignore). */
    private readonly handler: MessageHandler = () => {},
  ) {}

  get(address: string, extra: Partial<ConnectOptions> = {}): Promise<Connection> {
    if (this.closed) return Promise.reject(new ClosedError("connection pool is closed"));
    let entry = this.connections.get(address);
    if (!entry) {
      entry = connect(address, { ...this.options, ...extra }).then((connection) => {
        connection.start(this.handler);
        connection.onClose(() => {
          if (this.connections.get(address) === entry) this.connections.delete(address);
        });
        if (this.closed) connection.close();
        return connection;
      });
      entry.catch(() => {
        if (this.connections.get(address) === entry) this.connections.delete(address);
      });
      this.connections.set(address, entry);
    }
    return entry;
  }

  /** Forgets (and closes) the connection to a peer that is known to be gone. */
  discard(address: string): void {
    const entry = this.connections.get(address);
    this.connections.delete(address);
    entry?.then((connection) => connection.close(), () => {});
  }

  async close(): Promise<void> {
    this.closed = true;
    const entries = [...this.connections.values()];
    this.connections.clear();
    await Promise.allSettled(entries.map(async (entry) => (await entry).close()));
  }
}
