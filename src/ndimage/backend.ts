/** Which loops this runtime can run (see the `backend` option). */
import { wasmInstance } from "./wasm/wasm-instance.js";

/** Whether this runtime runs the WebAssembly SIMD loops (otherwise backend "auto" uses TypeScript). */
export function isWasmSimdAvailable(): boolean {
  return wasmInstance() !== null;
}
