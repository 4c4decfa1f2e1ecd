/**
 * The configuration store: one merged view over layers, lowest precedence first:
 *
 *   defaults.yaml < Dask's files (~/.config/dask/jobqueue.yaml, $DASK_CONFIG/*.yaml)
 *   < /etc/tessera/*.yaml < ~/.config/tessera/*.yaml < TESSERA_CONFIG files or directories
 *   < TESSERA_* environment variables < config.set(...) layers (newest on top).
 *
 * Explicit options sit above all of these; the typed resolvers (resolveJobQueueOptions)
 * apply them. Every layer is validated when it is read, so an error names its file or
 * variable. Nothing is read until the first get(): importing this module has no effects.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { InvalidOptionError } from "../core/errors.js";
import { createLogger } from "../core/log.js";
import { clonePlain, isPlainObject, mergePlain, normaliseKey, splitKeyPath } from "./keys.js";
import { configSchema, schemaAt, type SchemaNode } from "./schema.js";
import { ConfigError, validateConfig } from "./validate.js";
import { parseYamlFile, parseYamlScalar } from "./yaml.js";

const log = createLogger("config");

/** Where a store looks; tests point these at temporary directories. */
export interface ConfigEnvironment {
  env: Record<string, string | undefined>;
  homeDirectory: string;
  /** System-wide directory, /etc/tessera by default. */
  systemDirectory: string;
}

interface Layer {
  source: string;
  values: Record<string, unknown>;
}

/** Undoes one config.set(); also usable with `using`. */
export interface ConfigOverride {
  dispose(): void;
  [Symbol.dispose](): void;
}

const defaultsUrl = new URL("../../../src/config/defaults.yaml", import.meta.url);
let defaultsLayer: Layer | undefined;

/** The packaged defaults, validated and checked to name every key of the schema. */
export function loadDefaults(): Layer {
  if (!defaultsLayer) {
    const source = "tessera defaults.yaml";
    const values = validateConfig(parseYamlFile(readFileSync(defaultsUrl, "utf8"), source), configSchema, { source });
    checkComplete(values, configSchema, [], source);
    defaultsLayer = { source, values: values as Record<string, unknown> };
  }
  return defaultsLayer;
}

function checkComplete(values: unknown, node: SchemaNode, path: string[], source: string): void {
  if (node.kind === "leaf") return;
  for (const [key, child] of Object.entries(node.children)) {
    if (!isPlainObject(values) || !(key in values)) {
      throw new ConfigError(source, [...path, key].join("."), undefined, "has no default; add it to src/config/defaults.yaml");
    }
    checkComplete(values[key], child, [...path, key], source);
  }
}

const configExtensions = [".yaml", ".yml", ".json"];

export class ConfigStore {
  readonly #environment: ConfigEnvironment;
  #readLayers: Layer[] | undefined;
  #setLayers: Layer[] = [];
  #merged: Record<string, unknown> | undefined;
  #ignoredKeys: string[] = [];

  constructor(environment: Partial<ConfigEnvironment> = {}) {
    this.#environment = {
      env: environment.env ?? process.env,
      homeDirectory: environment.homeDirectory ?? homedir(),
      systemDirectory: environment.systemDirectory ?? "/etc/tessera",
    };
  }

  /** The value at a dotted key ("jobqueue.slurm.cores"), or a copy of a whole section. */
  get(key: string): unknown {
    const path = splitKeyPath(key);
    if (path.length > 0 && !schemaAt(path)) {
      throw new ConfigError("config.get", path.join("."), undefined, "unknown key; see src/config/defaults.yaml for the keys tessera reads");
    }
    let value: unknown = this.#view();
    for (const part of path) {
      value = isPlainObject(value) ? value[part] : undefined;
    }
    return clonePlain(value);
  }

  /**
   * Override values until the returned handle is disposed. Keys may be dotted
   * (`{ "jobqueue.slurm.cores": 24 }`) or nested; values are validated now.
   */
  set(values: Record<string, unknown>): ConfigOverride {
    const nested: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(values)) {
      const path = splitKeyPath(key);
      let cursor = nested;
      path.slice(0, -1).forEach((part) => {
        cursor[part] = isPlainObject(cursor[part]) ? cursor[part] : {};
        cursor = cursor[part] as Record<string, unknown>;
      });
      const last = path[path.length - 1];
      cursor[last] = mergePlain(cursor[last], value);
    }
    const layer: Layer = {
      source: "config.set",
      values: validateConfig(nested, configSchema, { source: "config.set" }) as Record<string, unknown>,
    };
    this.#setLayers.push(layer);
    this.#merged = undefined;
    let disposed = false;
    const dispose = () => {
      if (disposed) return;
      disposed = true;
      this.#setLayers = this.#setLayers.filter((l) => l !== layer);
      this.#merged = undefined;
    };
    return { dispose, [Symbol.dispose]: dispose };
  }

  /** Read files and environment again (config.set layers stay). */
  refresh(): void {
    this.#readLayers = undefined;
    this.#merged = undefined;
  }

  /** The sources that contributed, lowest precedence first (for `tessera config` and errors). */
  sources(): string[] {
    this.#view();
    return [loadDefaults(), ...(this.#readLayers ?? []), ...this.#setLayers].map((layer) => layer.source);
  }

  /** Keys found in Dask's files that tessera does not have (ignored there, refused elsewhere). */
  ignoredKeys(): string[] {
    this.#view();
    return [...this.#ignoredKeys];
  }

  #view(): Record<string, unknown> {
    if (!this.#readLayers) {
      this.#ignoredKeys = [];
      this.#readLayers = [...this.#fileLayers(), ...this.#environmentLayers()];
      if (this.#ignoredKeys.length > 0) {
        log.debug(`ignored Dask settings tessera does not have: ${this.#ignoredKeys.join(", ")}`);
      }
    }
    if (!this.#merged) {
      let merged: unknown = loadDefaults().values;
      for (const layer of [...this.#readLayers, ...this.#setLayers]) merged = mergePlain(merged, layer.values);
      this.#merged = merged as Record<string, unknown>;
    }
    return this.#merged;
  }

  #fileLayers(): Layer[] {
    const { env, homeDirectory, systemDirectory } = this.#environment;
    const daskFiles = [join(homeDirectory, ".config", "dask", "jobqueue.yaml")];
    if (env.DASK_CONFIG) daskFiles.push(...filesIn(env.DASK_CONFIG));
    const tesseraFiles = [...filesIn(systemDirectory), ...filesIn(join(homeDirectory, ".config", "tessera"))];
    for (const entry of (env.TESSERA_CONFIG ?? "").split(delimiter).filter((e) => e !== "")) {
      if (!existsSync(entry)) {
        throw new InvalidOptionError(`environment variable TESSERA_CONFIG: ${entry} does not exist; fix the variable or create the file`);
      }
      tesseraFiles.push(...(statSync(entry).isDirectory() ? filesIn(entry) : [resolve(entry)]));
    }
    const seen = new Set<string>();
    const layers: Layer[] = [];
    for (const [files, lenient] of [[daskFiles, true], [tesseraFiles, false]] as const) {
      for (const file of files) {
        const absolute = resolve(file);
        if (seen.has(absolute) || !existsSync(absolute)) continue;
        seen.add(absolute);
        const source = this.#display(absolute);
        const raw = parseYamlFile(readFileSync(absolute, "utf8"), source);
        const values = validateConfig(raw, configSchema, { source, lenient, ignored: this.#ignoredKeys });
        layers.push({ source, values: values as Record<string, unknown> });
      }
    }
    return layers;
  }

  #environmentLayers(): Layer[] {
    const layers: Layer[] = [];
    const names = Object.keys(this.#environment.env).filter((n) => n.startsWith("TESSERA_")).sort();
    for (const name of names) {
      const text = this.#environment.env[name];
      const parts = name.slice("TESSERA_".length).split("__").map(normaliseKey);
      // TESSERA_CONFIG, TESSERA_LOG_LEVEL and the like are not config keys.
      if (text === undefined || (parts.length === 1 && !(parts[0] in configSchema.children))) continue;
      const nested = parts.reduceRight<unknown>((value, part) => ({ [part]: value }), parseYamlScalar(text));
      const source = `environment variable ${name}`;
      layers.push({ source, values: validateConfig(nested, configSchema, { source }) as Record<string, unknown> });
    }
    return layers;
  }

  #display(file: string): string {
    const home = this.#environment.homeDirectory;
    return file.startsWith(home + "/") ? `~${file.slice(home.length)}` : file;
  }
}

function filesIn(directory: string): string[] {
  if (!existsSync(directory) || !statSync(directory).isDirectory()) return [];
  return readdirSync(directory)
    .filter((name) => configExtensions.some((extension) => name.endsWith(extension)))
    .sort()
    .map((name) => join(directory, name));
}

/** The process-wide store that tessera's entry points read. */
export const config = new ConfigStore();
