/**
 * Kubernetes resource quantities for memory and CPU, read from what a tessera user writes.
 *
 * Memory: Kubernetes spells binary units "Gi" and decimal ones "G"; tessera (like Dask)
 * spells them "GiB" and "GB". Both spellings are read here, to bytes, and the pod gets the
 * Kubernetes spelling while `tessera worker --memory-limit` gets the bytes — so the limit
 * the kubelet enforces and the one the worker manages by are the same number. Dask's
 * make_pod_spec passed the user's string to both, and "4GB" was then refused by Kubernetes.
 * A milli suffix ("100m") is refused for memory: Kubernetes reads it as 0.1 bytes, which
 * is never what was meant.
 *
 * CPU: whole or fractional cores ("2", 0.5) or millicores ("500m"), kept in Kubernetes
 * spelling.
 */
import { InvalidOptionError } from "../core/errors.js";

const binary: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const decimal: Record<string, number> = { k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
const memoryPattern = /^([0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)\s*([A-Za-z]*)$/;

/** Bytes of a memory quantity: 4294967296, "4Gi", "4GiB", "4G", "4GB", "512Mi", "1.5Gi". */
export function memoryBytes(value: string | number, what: string): number {
  const bytes = typeof value === "number" ? value : parseMemoryText(value.trim(), what);
  if (!Number.isFinite(bytes) || bytes <= 0) throw new InvalidOptionError(`${what}: a memory quantity must be above 0, got ${JSON.stringify(value)}`);
  return Math.floor(bytes);
}

function parseMemoryText(text: string, what: string): number {
  const match = memoryPattern.exec(text);
  if (!match) throw new InvalidOptionError(`${what}: ${JSON.stringify(text)} is not a memory quantity; write e.g. "4Gi", "4GiB", "4G" or a number of bytes`);
  const amount = Number(match[1]);
  const unit = match[2];
  if (unit === "" || unit === "B") return amount;
  const stem = unit.endsWith("iB") ? unit.slice(0, -1) : unit.endsWith("B") ? unit.slice(0, -1) : unit;
  const factor = binary[stem] ?? decimal[stem] ?? (stem === "k" ? 1e3 : undefined);
  if (factor === undefined) {
    const hint = unit === "m" ? " (Kubernetes reads \"m\" as thousandths of a byte)" : "";
    throw new InvalidOptionError(`${what}: unknown memory unit "${unit}" in ${JSON.stringify(text)}${hint}; use Ki, Mi, Gi, Ti (binary) or k, M, G, T (decimal)`);
  }
  return amount * factor;
}

/** The Kubernetes spelling of `bytes`: the largest binary unit that divides it, else plain bytes. */
export function memoryQuantity(bytes: number): string {
  for (const unit of ["Ei", "Pi", "Ti", "Gi", "Mi", "Ki"]) {
    const factor = binary[unit];
    if (bytes >= factor && bytes % factor === 0) return `${bytes / factor}${unit}`;
  }
  return String(bytes);
}

const cpuPattern = /^(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+|[0-9]+m)$/;

/** A CPU quantity in Kubernetes spelling: 2 → "2", 0.5 → "0.5", "500m" stays. */
export function cpuQuantity(value: string | number, what: string): string {
  const text = typeof value === "number" ? String(value) : value.trim();
  if (!cpuPattern.test(text) || Number.parseFloat(text) <= 0) {
    throw new InvalidOptionError(`${what}: ${JSON.stringify(value)} is not a CPU quantity; write cores (2, 0.5) or millicores ("500m")`);
  }
  return text;
}

/** Cores of a CPU quantity ("500m" → 0.5), for the fake node's accounting and for thread defaults. */
export function cpuCores(quantity: string): number {
  return quantity.endsWith("m") ? Number(quantity.slice(0, -1)) / 1000 : Number(quantity);
}
