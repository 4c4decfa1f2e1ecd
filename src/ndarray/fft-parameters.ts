/**
 * The parameters of every function of tessera/ndarray's `fft` namespace (numpy.fft's), as its
 * signature names them, and the check that refuses arguments beyond them
 * (src/core/argument-count.ts). NumPy takes n, axis and norm positionally, tessera in one
 * options object: `nd.fft.fft(x, 8)` is refused by the options check, and
 * `nd.fft.fft(x, { n: 8 }, "ortho")` or `nd.fft.fftfreq(8, 0.1, { device })` ran without the
 * extra, without a word. Each is a built-in, checked inside the very function its name
 * resolves to on workers (definePublicBuiltin); the lazy layer calls it with (block, options).
 * test/ndarray/namespace-argument-count walks every export of nd.fft against this table.
 */
import { namespaceArgumentChecks } from "../core/namespace-arguments.js";

const sharing = (params: readonly string[], ...names: string[]) => Object.fromEntries(names.map((name) => [name, params]));

export const fftParameters: Readonly<Record<string, readonly string[]>> = {
  ...sharing(["a", "options"], "fft", "ifft", "rfft", "irfft", "hfft", "ihfft", "fftn", "ifftn", "fft2", "ifft2", "rfftn", "irfftn", "rfft2", "irfft2"),
  ...sharing(["n", "d"], "fftfreq", "rfftfreq"),
  ...sharing(["a", "axes"], "fftshift", "ifftshift"),
  fftfreqBlock: ["indices", "options"],
};

export const { definePublicBuiltin: defineFFTBuiltin } = namespaceArgumentChecks({ label: "nd.fft", builtin: "ndarray.fft" }, fftParameters, "NumPy's");
