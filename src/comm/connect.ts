/**
 * Connecting to a peer, authenticated, with Dask's retry policy: attempts until the
 * timeout with "full jitter" exponential backoff (sleep a uniform time in
 * [0, min(time left, 10 ms × 2^attempt)]). A refused credential and a failed TLS certificate
 * check are final and not retried (trying again cannot change them); exhausting the timeout
 * raises an error naming the address and the last failure.
 */
import { connect as netConnect } from "node:net";
import { connect as tlsConnect } from "node:tls";
import { InvalidOptionError, TesseraError, TimeoutError } from "../core/errors.js";
import { sleep } from "../core/clock.js";
import type { Logger } from "../core/log.js";
import { formatAddress, parseAddress } from "./address.js";
import type { Channel } from "./channel.js";
import { Connection } from "./connection.js";
import { AuthenticationError, CertificateRefusedError, HandshakeInterruptedError, authenticate } from "./handshake.js";
import { connectInproc } from "./inproc.js";
import { Security } from "./security.js";
import { StreamChannel } from "./stream-channel.js";

export interface ConnectOptions {
  credential: string;
  security?: Security;
  logger: Logger;
  /** Total time budget in seconds (Dask's distributed.comm.timeouts.connect, 30 s). */
  timeout?: number;
  signal?: AbortSignal;
}

/**
 * OpenSSL's certificate verification results (as Node reports them in `error.code`), and the
 * alerts a peer sends when it rejects our certificate: none of them goes away on retry.
 */
const certificateProblems = new Set([
  "UNABLE_TO_GET_ISSUER_CERT", "UNABLE_TO_GET_CRL", "UNABLE_TO_DECRYPT_CERT_SIGNATURE", "UNABLE_TO_DECRYPT_CRL_SIGNATURE",
  "UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY", "CERT_SIGNATURE_FAILURE", "CRL_SIGNATURE_FAILURE", "CERT_NOT_YET_VALID", "CERT_HAS_EXPIRED",
  "CRL_NOT_YET_VALID", "CRL_HAS_EXPIRED", "ERROR_IN_CERT_NOT_BEFORE_FIELD", "ERROR_IN_CERT_NOT_AFTER_FIELD", "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN", "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "UNABLE_TO_VERIFY_LEAF_SIGNATURE", "CERT_CHAIN_TOO_LONG",
  "CERT_REVOKED", "INVALID_CA", "PATH_LENGTH_EXCEEDED", "INVALID_PURPOSE", "CERT_UNTRUSTED", "CERT_REJECTED", "HOSTNAME_MISMATCH",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/** A TLS failure that retrying cannot fix, as a clear final error; undefined for anything else. */
export function certificateFailure(address: string, error: Error): TLSVerificationError | undefined {
  const code = (error as NodeJS.ErrnoException).code ?? "";
  const refusedByListener = error.cause instanceof CertificateRefusedError;
  const rejectedByPeer = refusedByListener || /^ERR_SSL_.*ALERT_(UNKNOWN_CA|BAD_CERTIFICATE|CERTIFICATE_|UNSUPPORTED_CERTIFICATE|ACCESS_DENIED)/.test(code);
  if (!certificateProblems.has(code) && !rejectedByPeer) return undefined;
  const hint = rejectedByPeer
    ? `${address} rejected this process's certificate: it is not signed by the CA that ${address} trusts`
    : `the certificate of ${address} does not verify against the CA in this Security (caFile): it was issued by another CA, has expired, or names another host`;
  const what = refusedByListener ? error.message : `${code}: ${error.message}`;
  return new TLSVerificationError(`TLS verification failed for ${address} (${what}); ${hint}. Use certificates from one CA on every node of the cluster`, { cause: error });
}

export class TLSVerificationError extends TesseraError {
  override name = "TLSVerificationError";
}

function openChannel(address: string, security: Security, attemptMs: number): Promise<Channel> {
  const parsed = parseAddress(address);
  if (parsed.scheme === "inproc") {
    const channel = connectInproc(formatAddress(parsed));
    return channel ? Promise.resolve(channel) : Promise.reject(new Error(`nothing listens on ${address} in this process`));
  }
  if (parsed.scheme === "tcp" && security.requireEncryption) {
    return Promise.reject(new InvalidOptionError(`encryption is required by this Security, refusing to connect to ${address}; use tls://`));
  }
  if (!parsed.port) return Promise.reject(new InvalidOptionError(`address ${address} has no port`));
  return new Promise<Channel>((resolve, reject) => {
    // Plain TCP reads into one reused 4 MiB buffer (onread) instead of a new 64 KiB Buffer
    // per 'data' event: large transfers (chunks fetched from peers) take far fewer reads and
    // allocate nothing per read. The decoder copies each read into its final frame at once.
    let channel: StreamChannel | null = null;
    const early: Uint8Array[] = []; // bytes read before the channel exists (copied: the buffer is reused)
    const socket = parsed.scheme === "tls"
      ? tlsConnect({ host: parsed.host, port: parsed.port, ...security.tlsOptions(), checkServerIdentity: Security.checkServerIdentity })
      : netConnect({
        host: parsed.host, port: parsed.port,
        onread: { buffer: Buffer.allocUnsafe(4 * 2 ** 20), callback: (bytes: number, buffer: Uint8Array) => {
          if (channel) channel.receive(buffer.subarray(0, bytes));
          else early.push(buffer.slice(0, bytes));
          return true;
        } },
      });
    const timer = setTimeout(() => socket.destroy(new Error(`no answer within ${attemptMs} ms`)), attemptMs);
    socket.once(parsed.scheme === "tls" ? "secureConnect" : "connect", () => {
      clearTimeout(timer);
      socket.removeAllListeners("error");
      const local = formatAddress({ scheme: parsed.scheme, host: socket.localAddress ?? "?", port: socket.localPort ?? 0 });
      channel = new StreamChannel(socket, local, formatAddress(parsed));
      for (const chunk of early.splice(0)) channel.receive(chunk);
      resolve(channel);
    });
    socket.once("error", (error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(certificateFailure(address, error) ?? error);
    });
  });
}

export async function connect(address: string, options: ConnectOptions): Promise<Connection> {
  parseAddress(address); // bad addresses fail at once, not after the timeout
  const security = options.security ?? new Security();
  const timeoutMs = (options.timeout ?? 30) * 1000;
  const deadline = Date.now() + timeoutMs;
  let attempt = 0;
  let lastError: Error | undefined;
  while (true) {
    options.signal?.throwIfAborted();
    const left = deadline - Date.now();
    if (left <= 0) break;
    const attemptMs = attempt === 0 ? Math.max(left / 5, Math.min(left, 1000)) : left;
    try {
      const channel = await openChannel(address, security, attemptMs);
      await authenticate(channel, options.credential, "client", Math.min(Math.max(left, 1000), 10_000));
      return new Connection(channel, options.logger);
    } catch (error) {
      // Under TLS 1.3 a peer rejects our certificate after our side saw the TLS handshake end,
      // so a certificate problem can surface as the cause of a failed handshake of ours.
      const cause = error instanceof HandshakeInterruptedError && error.cause instanceof Error ? error.cause : error as Error;
      const tlsFailure = error instanceof TLSVerificationError ? error : certificateFailure(address, cause);
      if (tlsFailure) throw tlsFailure;
      if (error instanceof AuthenticationError || error instanceof InvalidOptionError) throw error;
      lastError = error as Error;
    }
    attempt++;
    const backoff = Math.random() * Math.min(deadline - Date.now(), 10 * 2 ** attempt);
    if (backoff > 0) await sleep(backoff, options.signal);
  }
  throw new TimeoutError(
    `timed out trying to connect to ${address} after ${timeoutMs / 1000} s${lastError ? `: ${lastError.message}` : ""}`,
    { cause: lastError },
  );
}
