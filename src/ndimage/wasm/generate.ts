/**
 * Turns correlate.wat into correlate-binary.ts (the module's bytes as base64), so the normal
 * build never needs a WAT compiler. Run after editing the WAT:
 *
 *   npx tsc -p tsconfig.json && node dist/src/ndimage/wasm/generate.js
 *
 * The ndimage tests recompile the WAT and check that the committed bytes match.
 * `wabt` is a devDependency and is loaded only here, on demand.
 */
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import path from "node:path";

/** The WAT source file, found from either the source tree or the compiled one. */
export function watSourcePath(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const repositoryRoot = here.includes(`${path.sep}dist${path.sep}`) ? path.resolve(here, "../../../..") : path.resolve(here, "../../..");
  return path.join(repositoryRoot, "src", "ndimage", "wasm", "correlate.wat");
}

export async function compileWat(source: string): Promise<Uint8Array> {
  const { default: loadWabt } = await import("wabt");
  const wabt = await loadWabt();
  const parsed = wabt.parseWat("correlate.wat", source, { simd: true });
  try {
    parsed.validate();
    return parsed.toBinary({}).buffer;
  } finally {
    parsed.destroy();
  }
}

export function renderBinaryModule(bytes: Uint8Array): string {
  const base64 = Buffer.from(bytes).toString("base64");
  const lines = base64.match(/.{1,96}/g) ?? [];
  return [
    "// Generated from correlate.wat by generate.ts: do not edit. The ndimage tests check it is current.",
    "export const correlateWasmBase64 =",
    ...lines.map((line, i) => `  "${line}"${i === lines.length - 1 ? ";" : " +"}`),
    "",
  ].join("\n");
}

async function main(): Promise<void> {
  const watPath = watSourcePath();
  const bytes = await compileWat(await readFile(watPath, "utf8"));
  const target = path.join(path.dirname(watPath), "correlate-binary.ts");
  await writeFile(target, renderBinaryModule(bytes));
  console.log(`wrote ${target} (${bytes.length} bytes of WebAssembly)`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
