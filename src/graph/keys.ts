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

/** The array name and block index of a block key (`('x-2', 1, 0)`), or undefined for other keys. */
export function parseBlockKey(key: string): { name: string; index: number[] } | undefined {
  const match = /^\('([^']+)',\s*((?:-?\d+(?:,\s*)?)*)\)$/.exec(key);
  if (!match) return undefined;
  return { name: match[1], index: (match[2].match(/-?\d+/g) ?? []).map(Number) };
}

/** The array name of a block key (`('x-2', 1)` → "x-2"), or undefined for other keys. */
function blockArrayName(key: string): string | undefined {
  return /^\('([^']+)',\s*(?:-?\d+(?:,\s*)?)*\)$/.exec(key)?.[1];
}

/** The task prefix: `('x-2', 1)` → "x", "hello-world-1" → "hello-world", "inc-<hash>" → "inc". */
export function keySplit(key: string): string {
  let text = key;
  if (text.startsWith("(")) {
    text = blockArrayName(text) ?? text.slice(1).split(",")[0].replace(/['"()]/g, "");
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
  return blockArrayName(key) ?? keySplit(key);
}
