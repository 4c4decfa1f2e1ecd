/**
 * TLS settings (Dask's `Security`): a CA plus this process's certificate and key, as file
 * paths or PEM text. `Security.temporary()` makes a throw-away CA-signed certificate valid for
 * every role, like Dask's. Authentication by credential happens inside TLS as well; TLS adds
 * encryption and lets the peers check each other's certificates.
 */
import { readFileSync } from "node:fs";
import { type PeerCertificate, type SecureContextOptions, checkServerIdentity } from "node:tls";
import { InvalidOptionError } from "../core/errors.js";
import { makeTemporaryCertificate, temporaryCommonName } from "./temporary-certificate.js";

export interface SecurityOptions {
  /** CA certificate (PEM text) or `caFile`. */
  ca?: string;
  caFile?: string;
  cert?: string;
  certFile?: string;
  key?: string;
  keyFile?: string;
  /** Refuse plain tcp:// when true (the default when any certificate is given). */
  requireEncryption?: boolean;
}

function readPem(text: string | undefined, file: string | undefined, what: string): string | undefined {
  if (text) return text;
  if (!file) return undefined;
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw new InvalidOptionError(`${what} file ${file} cannot be read: ${(error as Error).message}`, { cause: error });
  }
}

export class Security {
  readonly ca: string | undefined;
  readonly cert: string | undefined;
  readonly key: string | undefined;
  readonly requireEncryption: boolean;

  constructor(options: SecurityOptions = {}) {
    this.ca = readPem(options.ca, options.caFile, "TLS CA");
    this.cert = readPem(options.cert, options.certFile, "TLS certificate");
    this.key = readPem(options.key, options.keyFile, "TLS key");
    const anyTls = Boolean(this.ca || this.cert || this.key);
    if (anyTls && !(this.ca && this.cert && this.key)) {
      throw new InvalidOptionError("TLS needs all three of a CA, a certificate and a key (caFile, certFile, keyFile)");
    }
    this.requireEncryption = options.requireEncryption ?? anyTls;
  }

  /** A self-signed certificate for every role, created in memory (Dask's Security.temporary). */
  static temporary(): Security {
    const { cert, key } = makeTemporaryCertificate();
    return new Security({ ca: cert, cert, key, requireEncryption: true });
  }

  get hasTls(): boolean {
    return Boolean(this.cert);
  }

  /** The preferred scheme for listeners made with this security. */
  get scheme(): "tls" | "tcp" {
    return this.hasTls ? "tls" : "tcp";
  }

  tlsOptions(): SecureContextOptions {
    if (!this.hasTls) throw new InvalidOptionError("a tls:// address needs Security with a CA, certificate and key");
    return { ca: this.ca, cert: this.cert, key: this.key, minVersion: "TLSv1.2" };
  }

  /**
   * Hostname check: certificates that name hosts are checked (Dask never checks); the
   * temporary certificate, valid for every host by design, is not.
   */
  static checkServerIdentity(host: string, cert: PeerCertificate): Error | undefined {
    const names = `${cert.subject?.CN ?? ""} ${cert.subjectaltname ?? ""}`;
    if (names.includes(temporaryCommonName)) return undefined;
    return checkServerIdentity(host, cert);
  }
}
