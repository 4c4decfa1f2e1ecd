/**
 * Listening for peers on tcp://, tls:// or inproc:// addresses. Every accepted connection is
 * authenticated (comm/handshake.ts) before the owner sees it; one that fails is closed and
 * logged, and the listener keeps serving. The listener owns its open sockets: close() ends
 * them all, so a closed server leaves nothing behind.
 *
 * Unauthenticated peers cost us little, however many come: each has `handshakeTimeoutMs`
 * (TLS handshake included) to prove itself, at most `maxPendingHandshakes` may be at it at
 * once (more are closed as they arrive), and refusals are logged through a RefusalLog (a
 * few lines, then one summary line per interval).
 */
import { type Server, type Socket, createServer } from "node:net";
import { type TLSSocket, createServer as createTlsServer } from "node:tls";
import { InvalidOptionError } from "../core/errors.js";
import type { Logger } from "../core/log.js";
import { formatAddress, parseAddress } from "./address.js";
import type { Channel } from "./channel.js";
import { Connection } from "./connection.js";
import { authenticate, certificateRefusal, refuseHandshake } from "./handshake.js";
import { listenInproc } from "./inproc.js";
import { isWildcardHost, primaryHostAddress } from "./network-interface.js";
import { RefusalLog, type RefusalLogOptions } from "./refusal-log.js";
import { Security } from "./security.js";
import { StreamChannel } from "./stream-channel.js";

export interface ListenOptions {
  credential: string;
  security?: Security;
  logger: Logger;
  /** How long a new peer may take to authenticate (default 10 s). */
  handshakeTimeoutMs?: number;
  /** Most peers authenticating at once; more are closed as they arrive (default 256). */
  maxPendingHandshakes?: number;
  /** How refusals are logged (see RefusalLog). */
  refusalLog?: RefusalLogOptions;
  onConnection: (connection: Connection) => void;
}

export interface Listener {
  /** The address peers should use (with the real port, and a real host for wildcards). */
  readonly address: string;
  /** The address actually bound (may be a wildcard host). */
  readonly boundAddress: string;
  close(): Promise<void>;
}

export async function listen(address: string, options: ListenOptions): Promise<Listener> {
  const parsed = parseAddress(address);
  const security = options.security ?? new Security();
  const timeout = options.handshakeTimeoutMs ?? 10_000;
  const maxPending = options.maxPendingHandshakes ?? 256;
  const refusals = new RefusalLog(options.logger, options.refusalLog);
  /** Peers between their first byte and the end of their handshake, by remote address:port. */
  const pending = new Set<string>();
  const accept = (channel: Channel, settled: () => void = () => {}) => {
    authenticate(channel, options.credential, "server", timeout).then(
      () => {
        settled();
        options.onConnection(new Connection(channel, options.logger));
      },
      (error: Error) => {
        settled();
        refusals.note(channel.peerAddress, error.message);
      },
    );
  };

  if (parsed.scheme === "inproc") {
    const inproc = listenInproc(parsed.host, (channel) => accept(channel));
    return { address: inproc.address, boundAddress: inproc.address, close: async () => {
      inproc.close();
      refusals.close();
    } };
  }
  if (parsed.scheme === "tcp" && security.requireEncryption) {
    throw new InvalidOptionError(`encryption is required by this Security, refusing to listen on ${address}; use tls://`);
  }
  const sockets = new Set<Socket>();
  const server: Server = parsed.scheme === "tls"
    // Certificates are checked below, not by TLS itself: a peer whose certificate fails is
    // then told why (TLS would only reset the connection) before it is closed.
    ? createTlsServer({ ...security.tlsOptions(), requestCert: true, rejectUnauthorized: false, handshakeTimeout: timeout })
    : createServer();
  const peerOf = (socket: Socket) => formatAddress({ scheme: parsed.scheme, host: socket.remoteAddress ?? "?", port: socket.remotePort ?? 0 });
  // Every raw connection (under TLS too) counts as pending from its first byte.
  server.on("connection", (socket: Socket) => {
    const peer = peerOf(socket);
    if (pending.size >= maxPending) {
      socket.destroy();
      refusals.note(peer, `${maxPending} connections are already authenticating; closed at once`);
      return;
    }
    pending.add(peer);
    sockets.add(socket);
    socket.on("close", () => {
      sockets.delete(socket);
      pending.delete(peer);
    });
    if (parsed.scheme === "tcp") onSocket(socket);
  });
  const onSocket = (socket: Socket) => {
    const peer = peerOf(socket);
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    const local = formatAddress({ scheme: parsed.scheme, host: socket.localAddress ?? "?", port: socket.localPort ?? 0 });
    const channel = new StreamChannel(socket, local, peer);
    const tls = socket as TLSSocket;
    if (parsed.scheme === "tls" && !tls.authorized) {
      const reason = `its TLS certificate is not signed by this cluster's CA (${String(tls.authorizationError ?? "no certificate")})`;
      refuseHandshake(channel, reason, certificateRefusal);
      refusals.note(peer, reason);
      return;
    }
    accept(channel, () => pending.delete(peer));
  };
  if (parsed.scheme === "tls") {
    server.on("secureConnection", (socket: TLSSocket) => onSocket(socket));
    server.on("tlsClientError", (error: Error, socket: TLSSocket) => refusals.note(peerOf(socket), `TLS handshake failed: ${error.message}`));
  }
  const host = parsed.host || "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      const hint = error.code === "EADDRINUSE" ? " (the port is in use; pick another or use port 0 for any free one)" : "";
      reject(new InvalidOptionError(`cannot listen on ${address}: ${error.message}${hint}`, { cause: error }));
    });
    server.listen(parsed.port, host, () => resolve());
  });
  server.on("error", (error) => options.logger.error(`listener ${address} failed`, error));
  const bound = server.address();
  const port = bound && typeof bound === "object" ? bound.port : parsed.port;
  const publicHost = isWildcardHost(parsed.host) && parsed.host !== "" ? primaryHostAddress() : host;
  return {
    address: formatAddress({ scheme: parsed.scheme, host: publicHost, port }),
    boundAddress: formatAddress({ scheme: parsed.scheme, host, port }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        refusals.close();
        server.close(() => resolve());
      }),
  };
}
