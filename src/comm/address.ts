/**
 * Addresses are URIs: `tcp://host:port`, `tls://host:port`, `inproc://name`. A bare
 * `host:port` means tcp, as in Dask. IPv6 hosts are bracketed: `tcp://[::1]:8786`.
 */
import { InvalidOptionError } from "../core/errors.js";

export type Scheme = "tcp" | "tls" | "inproc";

export interface ParsedAddress {
  scheme: Scheme;
  /** Host for tcp/tls (without brackets), the name for inproc. */
  host: string;
  /** 0 for inproc, and for "any free port" when listening. */
  port: number;
}

export function parseAddress(address: string): ParsedAddress {
  const text = address.trim();
  const match = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(text);
  const scheme = match ? match[1].toLowerCase() : "tcp";
  const rest = match ? match[2] : text;
  if (scheme === "inproc") {
    if (!rest) throw new InvalidOptionError(`address "${address}": inproc addresses need a name, e.g. inproc://scheduler`);
    return { scheme, host: rest, port: 0 };
  }
  if (scheme !== "tcp" && scheme !== "tls") {
    throw new InvalidOptionError(
      `address "${address}": unknown scheme "${scheme}"; use tcp://host:port, tls://host:port or inproc://name`,
    );
  }
  const hostPort = /^(?:\[([^\]]+)\]|([^:/]*))(?::(\d+))?\/?$/.exec(rest);
  if (!hostPort) {
    throw new InvalidOptionError(`address "${address}": expected ${scheme}://host:port`);
  }
  const host = hostPort[1] ?? hostPort[2] ?? "";
  const port = hostPort[3] === undefined ? 0 : Number(hostPort[3]);
  if (port > 65535) throw new InvalidOptionError(`address "${address}": port ${port} is out of range 0–65535`);
  return { scheme, host, port };
}

export function formatAddress({ scheme, host, port }: ParsedAddress): string {
  if (scheme === "inproc") return `inproc://${host}`;
  const shownHost = host.includes(":") ? `[${host}]` : host;
  return `${scheme}://${shownHost}:${port}`;
}

/** The host part of an address (for dashboards and for placing work by host). */
export function hostOf(address: string): string {
  return parseAddress(address).host;
}
