/**
 * The step from a WAT source kept in src/ (ndimage's correlate.wat, zarr's blosc-codec.wat) to
 * the TypeScript file holding its compiled bytes as base64, which the build imports: so the
 * normal build never needs a WAT compiler. Each module's generate.ts names its files and runs
 * this after the WAT is edited; its tests recompile the WAT and check the committed bytes.
 * `wabt` is a devDependency and is loaded only here, on demand.
 */
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import path from "node:path";

export interface WatModule {
  /** The WAT file, relative to the repository root. */
  source: string;
  /** The generated TypeScript file, relative to the repository root. */
  binary: string;
  /** The name the generated file exports the base64 string under. */
  exportName: string;
  /** The WebAssembly proposals the WAT uses beyond the core (wabt refuses them otherwise). */
  features: { simd?: boolean; bulk_memory?: boolean };
  /** The generated file's header says which tests check that it is current. */
  checkedBy: string;
}

/** A path in the repository, found from either the source tree (src/ndarray) or the compiled one (dist/src/ndarray). */
export function repositoryPath(relative: string): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const root = here.includes(`${path.sep}dist${path.sep}`) ? path.resolve(here, "../../..") : path.resolve(here, "../..");
  return path.join(root, relative);
}

export async function compileWatModule(module: WatModule, source: string): Promise<Uint8Array> {
  const { default: loadWabt } = await import("wabt");
  const wabt = await loadWabt();
  const parsed = wabt.parseWat(path.basename(module.source), source, module.features);
  try {
    parsed.validate();
    return parsed.toBinary({}).buffer;
  } finally {
    parsed.destroy();
  }
}

function renderBinaryModule(module: WatModule, bytes: Uint8Array): string {
  const base64 = Buffer.from(bytes).toString("base64");
  const lines = base64.match(/.{1,96}/g) ?? [];
  return [
    `// Generated from ${path.basename(module.source)} by generate.ts: do not edit. ${module.checkedBy}`,
    `export const ${module.exportName} =`,
    ...lines.map((line, i) => `  "${line}"${i === lines.length - 1 ? ";" : " +"}`),
    "",
  ].join("\n");
}

/** Compiles the module's WAT and writes its generated TypeScript file. */
export async function writeWatModule(module: WatModule): Promise<void> {
  const bytes = await compileWatModule(module, await readFile(repositoryPath(module.source), "utf8"));
  const target = repositoryPath(module.binary);
  await writeFile(target, renderBinaryModule(module, bytes));
  console.log(`wrote ${target} (${bytes.length} bytes of WebAssembly)`);
}
