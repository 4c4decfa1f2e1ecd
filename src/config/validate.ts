/**
 * Checks one source of configuration (a file, an environment variable, a `config.set` call,
 * explicit options) against the schema, and normalises its key spelling. Every error names
 * the source, the key path and the bad value, e.g.
 * `~/.config/tessera/jobqueue.yaml: jobqueue.slurm.cores: "lots" is not a number`.
 */
import { InvalidOptionError } from "../core/errors.js";
import { describeValue, isPlainObject, normaliseKey, suggestKeys } from "./keys.js";
import type { SchemaBranch, SchemaNode } from "./schema.js";

/** A config value that cannot be accepted, with where it came from. */
export class ConfigError extends InvalidOptionError {
  override name = "ConfigError";
  constructor(
    readonly source: string,
    readonly keyPath: string,
    readonly value: unknown,
    problem: string,
  ) {
    super(`${source}: ${keyPath}: ${problem}`);
  }
}

export interface ValidateOptions {
  /** Where the values came from, e.g. a file path with ~ for the home directory. */
  source: string;
  /** Key path of `node` in the whole tree (for messages). */
  path?: readonly string[];
  /**
   * Ignore unknown keys instead of refusing them (for Dask's own files, which hold many
   * settings tessera does not have). Their dotted paths are appended to `ignored`.
   */
  lenient?: boolean;
  ignored?: string[];
}

/** The validated, key-normalised copy of `raw`, or a ConfigError. */
export function validateConfig(raw: unknown, node: SchemaNode, options: ValidateOptions): unknown {
  const path = options.path ?? [];
  if (node.kind === "leaf") {
    const result = node.schema.safeParse(raw);
    if (!result.success) {
      throw new ConfigError(options.source, path.join("."), raw, `${describeValue(raw)} ${result.error.issues[0].message}`);
    }
    return result.data;
  }
  // `section:` with nothing under it reads as null in YAML: the same as an empty mapping.
  if (raw === null || raw === undefined) return {};
  if (!isPlainObject(raw)) {
    throw new ConfigError(options.source, path.join(".") || "(top level)", raw, `${describeValue(raw)} is not a mapping of keys to values`);
  }
  const validated: Record<string, unknown> = {};
  for (const [rawKey, value] of Object.entries(raw)) {
    const key = normaliseKey(rawKey);
    const child = node.children[key] ?? (looksLikeTypo(key, node) ? undefined : node.otherChildren);
    const childPath = [...path, key];
    if (!child) {
      if (options.lenient) {
        options.ignored?.push(childPath.join("."));
        continue;
      }
      throw unknownKey(options.source, path, rawKey, Object.keys(node.children));
    }
    validated[key] = validateConfig(value, child, { ...options, path: childPath });
  }
  return validated;
}

/**
 * Custom jobqueue sections may have any name, but "slrum" is a misspelt "slurm", not a new
 * section: a name of the same length within two edits of a known one is refused.
 */
function looksLikeTypo(key: string, node: SchemaBranch): boolean {
  return suggestKeys(key, Object.keys(node.children)).some((known) => known.length === key.length);
}

function unknownKey(source: string, path: readonly string[], key: string, known: string[]): ConfigError {
  const suggestions = suggestKeys(normaliseKey(key), known);
  const advice = suggestions.length > 0
    ? `did you mean ${suggestions.map((s) => JSON.stringify(s)).join(" or ")}?`
    : `known keys here are ${known.join(", ")}`;
  return new ConfigError(source, [...path, key].join("."), undefined, `unknown key; ${advice}`);
}
