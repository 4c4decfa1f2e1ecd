/**
 * A real connection to a stand-in peer that records what it receives, for tests of how
 * messages are batched: `received` holds what `describe` makes of each message (nothing when it
 * returns undefined), `writes` the number of messages in each batch the connection wrote, and
 * `arrived(n)` resolves once n descriptions are in.
 */
import { connect } from "../../src/comm/connect.js";
import { listen, type Listener } from "../../src/comm/listener.js";
import type { Connection } from "../../src/comm/connection.js";
import type { Message } from "../../src/protocol/messages.js";
import { createLogger } from "../../src/core/log.js";

const logger = createLogger("test");

export interface RecordingPeer {
  connection: Connection;
  received: string[];
  writes: number[];
  arrived(count: number): Promise<void>;
}

/** Connects to a new recording peer; its listener goes into `listeners` (close them after). */
export async function connectToRecordingPeer(listeners: Listener[], credential: string, describe: (message: Message) => string[] | undefined): Promise<RecordingPeer> {
  const received: string[] = [];
  let notify = () => {};
  const listener = await listen("tcp://127.0.0.1:0", {
    credential, logger,
    onConnection: (peer) => peer.start((message) => {
      received.push(...(describe(message) ?? []));
      notify();
    }),
  });
  listeners.push(listener);
  const connection = await connect(listener.address, { credential, logger, timeout: 5 });
  connection.start(() => {});
  const writes: number[] = [];
  const send = connection.channel.send.bind(connection.channel);
  connection.channel.send = (batch) => {
    writes.push(batch.messages.length);
    send(batch);
  };
  const arrived = (count: number) => new Promise<void>((resolve) => {
    notify = () => { if (received.length >= count) resolve(); };
    notify();
  });
  return { connection, received, writes, arrived };
}
