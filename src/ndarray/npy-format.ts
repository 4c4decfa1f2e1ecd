/**
 * NumPy's .npy format (numpy/lib/format.py), the files np.save writes and np.load reads: the
 * magic "\x93NUMPY", a version, a header that is a Python dict literal ({'descr': '<f8',
 * 'fortran_order': False, 'shape': (3, 4), }) padded with spaces to a multiple of 64 bytes
 * and ended by "\n", then the elements. Written as version 1.0 (2.0 when the header would not
 * fit 65535 bytes), C order, little-endian: what np.save writes for these dtypes.
 *
 * Read: versions 1.0, 2.0 and 3.0, C order, little-endian (or byte-order-free) descrs of the
 * dtypes tessera has. Fortran order, big-endian data, object arrays, structured dtypes and
 * anything else are refused by name (NpyFormatError), never read as something else.
 */
import { TesseraError } from "../core/errors.js";
import { dtypeInfo, dtypes, type DType } from "./dtype.js";
import { NDArray, shapeSize } from "./ndarray.js";
import { ascontiguousarray } from "./copy.js";

export class NpyFormatError extends TesseraError {
  override name = "NpyFormatError";
}

const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"

/** The tessera dtype of a NumPy descr ("<f8", "|b1"), or an error naming it. */
export function dtypeOfDescr(descr: string, what: string): DType {
  const order = descr[0];
  const code = descr.slice(1);
  if (code === "O") throw new NpyFormatError(`${what}: object arrays (descr ${JSON.stringify(descr)}) cannot be read; only numeric and bool dtypes`);
  if (order === ">") throw new NpyFormatError(`${what}: big-endian data (descr ${JSON.stringify(descr)}) is not supported; save it little-endian (x.astype(x.dtype.newbyteorder('<')))`);
  const match = dtypes.find((d) => dtypeInfo(d).numpy.slice(1) === code);
  if (match === undefined || !["<", "|", "="].includes(order) || (order === "|" && dtypeInfo(match).itemsize !== 1)) {
    throw new NpyFormatError(`${what}: unsupported dtype ${JSON.stringify(descr)}; tessera reads ${dtypes.map((d) => dtypeInfo(d).numpy).join(", ")}`);
  }
  return match;
}

/** The header dict literal's three entries (the only keys np.save writes). */
function parseHeader(text: string, what: string): { descr: string; fortran: boolean; shape: number[] } {
  const body = text.trim();
  const descr = /['"]descr['"]\s*:\s*'([^']*)'/.exec(body);
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(body);
  const shape = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(body);
  if (!body.startsWith("{") || !body.endsWith("}") || descr === null || fortran === null || shape === null) {
    if (/['"]descr['"]\s*:\s*\[/.test(body)) throw new NpyFormatError(`${what}: structured dtypes are not supported`);
    throw new NpyFormatError(`${what}: not an .npy header this reader understands: ${JSON.stringify(body.slice(0, 200))}`);
  }
  const dims = shape[1].split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (dims.some((s) => !/^\d+L?$/.test(s))) throw new NpyFormatError(`${what}: bad shape in header: (${shape[1]})`);
  return { descr: descr[1], fortran: fortran[1] === "True", shape: dims.map((s) => Number.parseInt(s, 10)) };
}

/** An .npy file's bytes as an NDArray (a copy of the data, so the bytes may be reused). */
export function decodeNpy(bytes: Uint8Array, what = "npy"): NDArray {
  if (bytes.length < 10 || magic.some((b, i) => bytes[i] !== b)) throw new NpyFormatError(`${what}: not an .npy file (no \\x93NUMPY magic)`);
  const major = bytes[6];
  if (major !== 1 && major !== 2 && major !== 3) throw new NpyFormatError(`${what}: .npy version ${major}.${bytes[7]} is not supported (1.0, 2.0, 3.0 are)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataStart = (major === 1 ? 10 : 12) + headerLength;
  if (dataStart > bytes.length) throw new NpyFormatError(`${what}: truncated header`);
  const header = new TextDecoder(major === 3 ? "utf-8" : "latin1").decode(bytes.subarray(major === 1 ? 10 : 12, dataStart));
  const { descr, fortran, shape } = parseHeader(header, what);
  const dtype = dtypeOfDescr(descr, what);
  const count = shapeSize(shape);
  if (fortran && shape.filter((n) => n > 1).length > 1) throw new NpyFormatError(`${what}: Fortran-order data is not supported; save it in C order (np.ascontiguousarray)`);
  const info = dtypeInfo(dtype);
  const byteLength = count * info.itemsize;
  if (bytes.length - dataStart !== byteLength) throw new NpyFormatError(`${what}: the header says ${count} elements of ${descr} (${byteLength} bytes) but ${bytes.length - dataStart} bytes follow it`);
  const copy = new Uint8Array(byteLength);
  copy.set(bytes.subarray(dataStart, dataStart + byteLength));
  return new NDArray(new info.array(copy.buffer, 0, count) as never, shape, { dtype });
}

/** An NDArray as the bytes of an .npy file (np.save's layout). */
export function encodeNpy(array: NDArray): Uint8Array {
  const info = dtypeInfo(array.dtype);
  const shape = array.shape.length === 1 ? `(${array.shape[0]},)` : `(${array.shape.join(", ")})`;
  let dict = `{'descr': '${info.numpy}', 'fortran_order': False, 'shape': ${shape}, }`;
  let major = 1;
  let prefix = 10;
  if (dict.length + 1 + prefix > 65535) [major, prefix] = [2, 12];
  // Spaces so that the data starts at a multiple of 64 bytes, then "\n" (format.py's _wrap_header).
  dict += " ".repeat((64 - ((prefix + dict.length + 1) % 64)) % 64) + "\n";
  const data = ascontiguousarray(array).toTypedArray();
  const out = new Uint8Array(prefix + dict.length + data.byteLength);
  out.set(magic, 0);
  out[6] = major;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (major === 1) view.setUint16(8, dict.length, true);
  else view.setUint32(8, dict.length, true);
  for (let i = 0; i < dict.length; i++) out[prefix + i] = dict.charCodeAt(i);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), prefix + dict.length);
  return out;
}
