/**
 * Turns correlate.wat into correlate-binary.ts (the module's bytes as base64; ndarray/wat-module.ts
 * says why). Run after editing the WAT:
 *
 *   npx tsc -p tsconfig.json && node dist/src/ndimage/wasm/generate.js
 *
 * The ndimage tests recompile the WAT and check that the committed bytes match.
 */
import { pathToFileURL } from "node:url";
import { type WatModule, compileWatModule, repositoryPath, writeWatModule } from "../../ndarray/wat-module.js";

const correlateModule: WatModule = {
  source: "src/ndimage/wasm/correlate.wat",
  binary: "src/ndimage/wasm/correlate-binary.ts",
  exportName: "correlateWasmBase64",
  features: { simd: true },
  checkedBy: "The ndimage tests check it is current.",
};

/** The WAT source file, found from either the source tree or the compiled one. */
export function watSourcePath(): string {
  return repositoryPath(correlateModule.source);
}

export function compileWat(source: string): Promise<Uint8Array> {
  return compileWatModule(correlateModule, source);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeWatModule(correlateModule).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
