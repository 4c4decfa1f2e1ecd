/**
 * Abstract worker resources (Dask's `--resources "GPU=2 MEM=64e9"` and `resources={"GPU": 1}`):
 * a worker offers amounts of named resources, a task asks for amounts, and a task runs only
 * where the amounts it asks for are free. tessera does not know what a GPU is; names are the
 * user's. This module holds the vocabulary every layer shares: parsing the command-line
 * form, checking amounts (finite, not negative: an error names the resource), combining the
 * needs of fused steps, and describing resources in messages.
 */
import { InvalidOptionError } from "../core/errors.js";

/** Amounts per resource name, e.g. `{ GPU: 2, MEM: 64e9 }`. */
export type Resources = Record<string, number>;

const namePattern = /^[^\s=,]+$/;

/** Why `value` cannot be a resource mapping (naming the resource at fault), or undefined. */
export function resourcesProblem(value: unknown): string | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return "resources must be an object of amounts, e.g. { GPU: 1 }";
  for (const [name, amount] of Object.entries(value as Record<string, unknown>)) {
    if (!namePattern.test(name)) return `resource name ${JSON.stringify(name)} is not a word (no spaces, "=" or ",")`;
    if (typeof amount !== "number") return `resource ${name}: the amount must be a number, not ${amount === null ? "null" : typeof amount}`;
    if (Number.isNaN(amount)) return `resource ${name}: the amount is NaN`;
    if (!Number.isFinite(amount)) return `resource ${name}: the amount must be finite, got ${amount}`;
    if (amount < 0) return `resource ${name}: the amount must not be negative, got ${amount}`;
  }
  return undefined;
}

/** `value` as Resources, or an InvalidOptionError naming `what` and the resource at fault. */
export function checkResources(value: unknown, what: string): Resources {
  const problem = resourcesProblem(value);
  if (problem) throw new InvalidOptionError(`${what}: ${problem}`);
  return { ...(value as Resources) };
}

/**
 * The command-line form, as dask-worker reads it: `NAME=amount` pairs separated by commas or
 * spaces ("GPU=2,MEM=64e9" or "GPU=2 MEM=64e9"). A pair without "=", a name given twice or an
 * amount that is not a finite non-negative number is refused, naming the pair.
 */
export function parseResourceSpec(text: string, what = "--resources"): Resources {
  const resources: Resources = {};
  const pairs = text.split(/[\s,]+/).filter((pair) => pair !== "");
  if (pairs.length === 0) throw new InvalidOptionError(`${what} is empty: give NAME=amount pairs, e.g. "GPU=2,MEM=64e9"`);
  for (const pair of pairs) {
    const equals = pair.indexOf("=");
    if (equals <= 0) throw new InvalidOptionError(`${what}: "${pair}" is not NAME=amount (e.g. "GPU=2,MEM=64e9")`);
    const name = pair.slice(0, equals);
    const text = pair.slice(equals + 1);
    const amount = text.trim() === "" ? NaN : Number(text);
    if (Number.isNaN(amount)) throw new InvalidOptionError(`${what}: resource ${name} has amount "${text}", which is not a number`);
    if (name in resources) throw new InvalidOptionError(`${what}: resource ${name} is given twice`);
    resources[name] = amount;
  }
  return checkResources(resources, what);
}

/**
 * What a fused task needs: for each name, the most any of its steps asks for. Steps run one
 * after another inside the task, so the task never uses more than its hungriest step at once,
 * and it holds each resource for its whole run.
 */
export function combineResourceNeeds(needs: ReadonlyArray<Resources | undefined>): Resources | undefined {
  let combined: Resources | undefined;
  for (const need of needs) {
    if (!need) continue;
    for (const [name, amount] of Object.entries(need)) {
      combined ??= {};
      combined[name] = Math.max(combined[name] ?? 0, amount);
    }
  }
  return combined;
}

/** "GPU=2, MEM=64000000000" (names in order), for messages and the dashboard. */
export function describeResources(resources: Resources): string {
  return Object.keys(resources).sort().map((name) => `${name}=${resources[name]}`).join(", ");
}
