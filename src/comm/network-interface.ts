/** Host addresses: a named interface's IPv4 address (`--interface ib0`) and this host's main one. */
import { networkInterfaces } from "node:os";
import { InvalidOptionError } from "../core/errors.js";

export function interfaceAddress(name: string): string {
  const all = networkInterfaces();
  const entries = all[name];
  if (!entries) {
    throw new InvalidOptionError(
      `network interface "${name}" does not exist on this host; available: ${Object.keys(all).join(", ")}`,
    );
  }
  const v4 = entries.find((entry) => entry.family === "IPv4");
  const chosen = v4 ?? entries[0];
  if (!chosen) throw new InvalidOptionError(`network interface "${name}" has no address`);
  return chosen.address;
}

/** The first non-internal IPv4 address, or 127.0.0.1 on an isolated host. */
export function primaryHostAddress(): string {
  for (const entries of Object.values(networkInterfaces())) {
    for (const entry of entries ?? []) {
      if (entry.family === "IPv4" && !entry.internal) return entry.address;
    }
  }
  return "127.0.0.1";
}

export function isWildcardHost(host: string): boolean {
  return host === "" || host === "0.0.0.0" || host === "::";
}
