/**
 * Turns blosc-codec.wat into blosc-codec-binary.ts (the module's bytes as base64;
 * ndarray/wat-module.ts says why). Run after editing the WAT:
 *
 *   npx tsc -p tsconfig.json && node dist/src/zarr/wasm/generate.js
 *
 * test/zarr/wasm/blosc-codec.test.ts recompiles the WAT and checks that the committed bytes match.
 */
import { pathToFileURL } from "node:url";
import { type WatModule, compileWatModule, repositoryPath, writeWatModule } from "../../ndarray/wat-module.js";

const bloscModule: WatModule = {
  source: "src/zarr/wasm/blosc-codec.wat",
  binary: "src/zarr/wasm/blosc-codec-binary.ts",
  exportName: "bloscCodecWasmBase64",
  features: { simd: true, bulk_memory: true },
  checkedBy: "test/zarr/wasm/blosc-codec.test.ts checks it is current.",
};

/** The WAT source file, found from either the source tree or the compiled one. */
export function bloscWatSourcePath(): string {
  return repositoryPath(bloscModule.source);
}

export function compileBloscWat(source: string): Promise<Uint8Array> {
  return compileWatModule(bloscModule, source);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeWatModule(bloscModule).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
