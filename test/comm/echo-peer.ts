/**
 * A peer in its own process, for tests that stop it (SIGSTOP) or kill it: listens on
 * tcp://127.0.0.1 with the credential in TESSERA_CREDENTIAL, prints its address, and answers
 * who-has requests with the keys and the sizes of the frames it received.
 */
import { listen } from "../../src/comm/listener.js";
import { createLogger } from "../../src/core/log.js";

const listener = await listen("tcp://127.0.0.1:0", {
  credential: process.env.TESSERA_CREDENTIAL as string,
  logger: createLogger("echo-peer"),
  onConnection: (connection) => {
    connection.start((message, frames, conn) => {
      if (message.op === "who-has") conn.reply(message.reqId, { keys: message.keys, frameBytes: frames.map((f) => f.byteLength) });
    });
  },
});
process.stdout.write(`${listener.address}\n`);
