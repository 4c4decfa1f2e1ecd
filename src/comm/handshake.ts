/**
 * Mutual authentication before anything else is handled. Each side sends a hello with a
 * fresh random nonce; each then proves it holds the cluster credential by sending
 * HMAC-SHA256(credential, role | peer nonce | own nonce). The credential itself never
 * crosses the wire, and a proof cannot be replayed on another connection. The server
 * answers a valid proof with "welcome"; anything else (a wrong proof, a different protocol
 * version, garbage, silence past the timeout) closes the channel before a single message
 * of the peer reaches a handler.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { TesseraError } from "../core/errors.js";
import type { Batch, Channel } from "./channel.js";

/**
 * Bumped whenever peers of different versions would misunderstand each other, so that they
 * refuse each other at once, by name (2: update-graph became a request, pings were added).
 */
const protocolVersion = 2;

/** The peer refused us, or proved nothing: final, trying again cannot change it. */
export class AuthenticationError extends TesseraError {
  override name = "AuthenticationError";
}

/**
 * The handshake did not finish (the connection closed or stayed silent) with nobody having
 * refused anybody: a busy listener closes new connections at once, so connect() tries again.
 */
export class HandshakeInterruptedError extends TesseraError {
  override name = "HandshakeInterruptedError";
}

/** How long a refused or failed peer has to read our last words before its socket is cut. */
const refusedGraceMs = 200;

/** The listener refused this peer's TLS certificate (sent as the refusal's `code`). */
export const certificateRefusal = "certificate";

/** Refuses a peer during the handshake, saying why (it is closed right after). */
export function refuseHandshake(channel: Channel, reason: string, code?: string): void {
  channel.send({ messages: [{ op: "refused", reason, ...(code ? { code } : {}) }], frames: [] });
  channel.close(refusedGraceMs);
}

/** The cause of an AuthenticationError when the listener refused our TLS certificate. */
export class CertificateRefusedError extends TesseraError {
  override name = "CertificateRefusedError";
}

export type Role = "client" | "server";

function proof(credential: string, role: Role, peerNonce: string, ownNonce: string): string {
  return createHmac("sha256", credential).update(`tessera-auth|${role}|${peerNonce}|${ownNonce}`).digest("hex");
}

function sameHex(a: unknown, b: string): boolean {
  if (typeof a !== "string" || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

function single(batch: Batch): Record<string, unknown> {
  if (batch.messages.length !== 1 || batch.frames.length !== 0) throw new AuthenticationError("malformed handshake");
  const message = batch.messages[0];
  if (message === null || typeof message !== "object") throw new AuthenticationError("malformed handshake");
  return message as Record<string, unknown>;
}

/**
 * Runs the handshake on a fresh channel. Resolves when both sides are authenticated; rejects
 * (and closes the channel) otherwise. Batches that arrive after it wait in the channel for
 * the session's receiver.
 */
export function authenticate(channel: Channel, credential: string, role: Role, timeoutMs: number): Promise<void> {
  const ownNonce = randomBytes(16).toString("hex");
  const peerRole: Role = role === "client" ? "server" : "client";
  let peerNonce: string | null = null;
  let step: "hello" | "prove" | "welcome" = "hello";

  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      channel.onBatch(null);
      if (error) {
        channel.close(refusedGraceMs);
        reject(error);
      } else {
        channel.setAuthenticated();
        resolve();
      }
    };
    const timer = setTimeout(
      () => finish(new HandshakeInterruptedError(`no complete handshake from ${channel.peerAddress} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    channel.onClose((error) => {
      const detail = error ? `: ${error.message}` : "";
      finish(new HandshakeInterruptedError(`connection to ${channel.peerAddress} closed during the handshake${detail}`, { cause: error }));
    });
    // Hello goes out before the receiver is attached: attaching delivers any batch that
    // already arrived, and our proof must never precede our hello.
    channel.send({ messages: [{ op: "hello", version: protocolVersion, nonce: ownNonce, role }], frames: [] });
    channel.onBatch((batch) => {
      if (settled) return;
      try {
        const message = single(batch);
        if (message.op === "refused") {
          throw new AuthenticationError(`${channel.peerAddress} refused this connection: ${String(message.reason)}`, {
            cause: message.code === certificateRefusal ? new CertificateRefusedError(String(message.reason)) : undefined,
          });
        }
        if (step === "hello") {
          if (message.op !== "hello") throw new AuthenticationError("expected hello");
          if (message.version !== protocolVersion) {
            throw new AuthenticationError(
              `peer ${channel.peerAddress} speaks tessera protocol ${String(message.version)}, this process speaks ${protocolVersion}: run the same tessera version everywhere`,
            );
          }
          if (typeof message.nonce !== "string" || !/^[0-9a-f]{32}$/.test(message.nonce)) {
            throw new AuthenticationError("malformed nonce");
          }
          peerNonce = message.nonce;
          channel.send({ messages: [{ op: "prove", proof: proof(credential, role, peerNonce, ownNonce) }], frames: [] });
          step = "prove";
        } else if (step === "prove") {
          if (message.op !== "prove") throw new AuthenticationError("expected a proof");
          const expected = proof(credential, peerRole, ownNonce, peerNonce as string);
          if (!sameHex(message.proof, expected)) {
            if (role === "server") channel.send({ messages: [{ op: "refused", reason: "wrong or missing credential" }], frames: [] });
            throw new AuthenticationError(
              role === "server"
                ? `peer ${channel.peerAddress} does not hold the cluster credential`
                : `${channel.peerAddress} does not hold this cluster's credential (wrong scheduler, or a stale scheduler file?)`,
            );
          }
          if (role === "server") {
            channel.send({ messages: [{ op: "welcome" }], frames: [] });
            finish();
          } else {
            step = "welcome";
          }
        } else {
          if (message.op !== "welcome") throw new AuthenticationError("expected welcome");
          finish();
        }
      } catch (error) {
        finish(error instanceof AuthenticationError ? error : new AuthenticationError("malformed handshake", { cause: error }));
      }
    });
  });
}
