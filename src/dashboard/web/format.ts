/**
 * Numbers as people read them on the dashboard: bytes, durations, percentages, counts.
 * Browser code cannot import core/units.ts (only web/ is served), hence its own formatBytes.
 */

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return "–";
  const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${bytes < 0 ? "-" : ""}${value.toFixed(digits)} ${units[unit]}`;
}

export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return "–";
  const s = Math.abs(seconds);
  if (s < 1e-3) return `${(seconds * 1e6).toFixed(0)} µs`;
  if (s < 1) return `${(seconds * 1e3).toFixed(s < 0.01 ? 2 : 1)} ms`;
  if (s < 60) return `${seconds.toFixed(s < 10 ? 2 : 1)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
}

export function formatPercent(percent: number): string {
  return Number.isFinite(percent) ? `${percent.toFixed(percent < 10 ? 1 : 0)} %` : "–";
}

export function formatCount(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "–";
}

/** "12 s ago" for an epoch-seconds time. */
export function formatAgo(epochSeconds: number, now = Date.now() / 1000): string {
  const ago = Math.max(0, now - epochSeconds);
  return ago < 1 ? "now" : `${formatSeconds(Math.round(ago))} ago`;
}
