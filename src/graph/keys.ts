/**
 * Task keys and the names derived from them, as Dask derives them (`key_split`,
 * `key_split_group`), so the dashboard groups and colours tasks the way Dask users expect.
 *
 * Array blocks use Dask's printed tuple form: `('gaussian-filter-3f2a9c1b', 0, 1, 2)`.
 */
const hex8 = /^[a-f0-9]{8}$/;
const hex32 = /^[a-f0-9]{32}$/;

/** The key of block `index` of array `name`. */
export function blockKey(name: string, index: readonly number[]): string {
  return index.length === 0 ? `('${name}',)` : `('${name}', ${index.join(", ")})`;
}

/** Parses a block key back into its name and index, or undefined for other keys. */
export function parseBlockKey(key: string): { name: string; index: number[] } | undefined {
  const match = /^\('([^']+)',\s*((?:-?\d+(?:,\s*)?)*)\)$/.exec(key);
  if (!match) return undefined;
  const index = match[2].split(",").map((s) => s.trim()).filter(Boolean).map(Number);
  return { name: match[1], index };
}

/** The task prefix: `('x-2', 1)` → "x", "hello-world-1" → "hello-world", "inc-<hash>" → "inc". */
export function keySplit(key: string): string {
  let text = key;
  if (text.startsWith("(")) {
    const parsed = parseBlockKey(text);
    text = parsed ? parsed.name : text.slice(1).split(",")[0].replace(/['"()]/g, "");
  }
  if (hex32.test(text)) return "data";
  const words = text.split("-");
  let result = words[0];
  if (!/^[A-Za-z]/.test(result)) return result;
  for (const word of words.slice(1)) {
    if (/^[A-Za-z_]+$/.test(word) && !hex8.test(word)) result += `-${word}`;
    else break;
  }
  return result;
}

/** The task group: all blocks of one array share it; other keys group by prefix. */
export function keyGroup(key: string): string {
  const parsed = parseBlockKey(key);
  if (parsed) return parsed.name;
  if (hex32.test(key)) return "data";
  return keySplit(key);
}
