/**
 * Config key spelling. Dask treats `job_extra` and `job-extra` as the same key; tessera's
 * TypeScript options add camelCase (`jobExtra`). All three normalise to the kebab-case
 * spelling used in the YAML files, so a key is found however it was written.
 */

/** "jobExtraDirectives", "job_extra_directives", "job-extra-directives" → "job-extra-directives". */
export function normaliseKey(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/_/g, "-")
    .toLowerCase();
}

/** "job-extra-directives" → "jobExtraDirectives" (the TypeScript option name). */
export function kebabToCamel(key: string): string {
  return key.replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

/** "jobqueue.slurm.death_timeout" → ["jobqueue", "slurm", "death-timeout"]. */
export function splitKeyPath(path: string): string[] {
  return path.split(".").filter((part) => part !== "").map(normaliseKey);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** A value as it appears in an error message: strings quoted, the rest as JSON. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "undefined";
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/** Known keys closest to a misspelt one (edit distance ≤ 2 or a shared prefix), best first. */
export function suggestKeys(unknown: string, known: string[]): string[] {
  const scored = known.map((key) => ({ key, distance: editDistance(unknown, key) }));
  return scored
    .filter(({ key, distance }) => distance <= 2 || key.startsWith(unknown) || unknown.startsWith(key))
    .sort((a, b) => a.distance - b.distance)
    .slice(0, 3)
    .map(({ key }) => key);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length];
}

/** Deep copy of plain data (config values are plain data; Dates are not allowed in). */
export function clonePlain<T>(value: T): T {
  if (Array.isArray(value)) return value.map(clonePlain) as T;
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clonePlain(v)])) as T;
  }
  return value;
}

/** Merge `overlay` into a copy of `base`: mappings merge key by key, anything else replaces. */
export function mergePlain(base: unknown, overlay: unknown): unknown {
  if (isPlainObject(base) && isPlainObject(overlay)) {
    const merged: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(overlay)) {
      merged[key] = key in merged ? mergePlain(merged[key], value) : clonePlain(value);
    }
    return merged;
  }
  return clonePlain(overlay);
}
