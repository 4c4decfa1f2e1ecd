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
  if (s < 59.95) return `${seconds.toFixed(s < 10 ? 2 : 1)} s`;
  // Rounded first, so 3599.6 s reads "1 h 0 min", not "59 min 60 s".
  const sign = seconds < 0 ? "-" : "";
  const wholeSeconds = Math.round(s);
  if (wholeSeconds < 3600) return `${sign}${Math.floor(wholeSeconds / 60)} min ${wholeSeconds % 60} s`;
  const wholeMinutes = Math.round(s / 60);
  return `${sign}${Math.floor(wholeMinutes / 60)} h ${wholeMinutes % 60} min`;
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
  if (ago < 1) return "now";
  return ago < 59.5 ? `${Math.round(ago)} s ago` : `${formatSeconds(ago)} ago`;
}
