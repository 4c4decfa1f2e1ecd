/**
 * Turns blosc-codec.wat into blosc-codec-binary.ts (the module's bytes as base64), so the normal
 * build never needs a WAT compiler. Run after editing the WAT:
 *
 *   npx tsc -p tsconfig.json && node dist/src/zarr/wasm/generate.js
 *
 * test/zarr/wasm/blosc-codec.test.ts recompiles the WAT and checks that the committed bytes match.
 * `wabt` is a devDependency and is loaded only here, on demand. (zarr keeps its own copy of
 * these few lines: it sits beside ndimage in the layering and may not import it.)
 */
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import path from "node:path";

/** The WAT source file, found from either the source tree or the compiled one. */
export function bloscWatSourcePath(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const repositoryRoot = here.includes(`${path.sep}dist${path.sep}`) ? path.resolve(here, "../../../..") : path.resolve(here, "../../..");
  return path.join(repositoryRoot, "src", "zarr", "wasm", "blosc-codec.wat");
}

export async function compileBloscWat(source: string): Promise<Uint8Array> {
  const { default: loadWabt } = await import("wabt");
  const wabt = await loadWabt();
  const parsed = wabt.parseWat("blosc-codec.wat", source, { simd: true, bulk_memory: true });
  try {
    parsed.validate();
    return parsed.toBinary({}).buffer;
  } finally {
    parsed.destroy();
  }
}

export function renderBloscBinaryModule(bytes: Uint8Array): string {
  const base64 = Buffer.from(bytes).toString("base64");
  const lines = base64.match(/.{1,96}/g) ?? [];
  return [
    "// Generated from blosc-codec.wat by generate.ts: do not edit. test/zarr/wasm/blosc-codec.test.ts checks it is current.",
    "export const bloscCodecWasmBase64 =",
    ...lines.map((line, i) => `  "${line}"${i === lines.length - 1 ? ";" : " +"}`),
    "",
  ].join("\n");
}

async function main(): Promise<void> {
  const watPath = bloscWatSourcePath();
  const bytes = await compileBloscWat(await readFile(watPath, "utf8"));
  const target = path.join(path.dirname(watPath), "blosc-codec-binary.ts");
  await writeFile(target, renderBloscBinaryModule(bytes));
  console.log(`wrote ${target} (${bytes.length} bytes of WebAssembly)`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
