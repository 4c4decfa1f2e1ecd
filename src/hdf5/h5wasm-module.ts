/**
 * h5wasm (the HDF5 C library compiled to WebAssembly), loaded once per thread on first use:
 * a worker that never reads HDF5 never instantiates it. Its error handler is switched to
 * throwing, so a failing HDF5 call raises here (turned into a short message by
 * `hdf5Failure`) instead of printing HDF5-DIAG stacks on stderr and carrying on.
 */
type H5wasm = typeof import("h5wasm/node").default;
type H5Module = Awaited<H5wasm["ready"]>;

let loading: Promise<{ h5wasm: H5wasm; module: H5Module }> | null = null;

export function loadH5wasm(): Promise<{ h5wasm: H5wasm; module: H5Module }> {
  loading ??= import("h5wasm/node").then(async ({ default: h5wasm }) => {
    const module = await h5wasm.ready;
    module.activate_throwing_error_handler();
    return { h5wasm, module };
  });
  return loading;
}

/**
 * The lines of an HDF5-DIAG stack that say what went wrong (the innermost function and its
 * text), without the library's source paths: e.g. "H5Z_pipeline(): required filter 'lzf' is
 * not registered".
 */
export function hdf5Failure(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const steps = [...text.matchAll(/in ([A-Za-z0-9_]+\(\)): ([^\n]*)/g)].map((match) => `${match[1]}: ${match[2]}`);
  return steps.length > 0 ? steps[steps.length - 1] : text.split("\n")[0];
}
