/**
 * Reading a NumPy index (`x[i, 2:8:2, None, ..., [1, 5], mask]`) written as `get` arguments:
 *
 *   number (or bigint)        an integer: the axis is dropped; negative counts from the end
 *   ":" or { start, stop, step }   a slice, clamped as Python clamps them; {} is ":"
 *   null (`newaxis`)          a new axis of length 1
 *   "..." (`ellipsis`)        as many ":" as the axes not indexed otherwise (at most one)
 *   number[] / integer NDArray (1-D)   integer-array ("fancy") indexing along one axis
 *   boolean[] / bool NDArray   a mask over as many axes as it has, which must match them
 *
 * Everything else is refused by name: fractional numbers, booleans, other strings, objects
 * with other keys, float arrays, nested lists, lazy arrays, and more than one array index at
 * once (NumPy's pointwise fancy indexing).
 *
 * Placement follows NumPy: with one array index, integers are "advanced" too; if the advanced
 * indices are adjacent, the selected axis stays in their place, otherwise it goes first
 * (`x[0, :, [1, 2]]` on shape (3, 4, 5) has shape (2, 4)). Dask puts it in place either way.
 */
import { InvalidOptionError } from "../core/errors.js";
import { NDArray } from "../ndarray/ndarray.js";
import { fromTypedArray } from "../ndarray/creation.js";
import { isIntegerDType } from "../ndarray/dtype.js";
import type { SliceSpec } from "../ndarray/slice.js";

export type IndexItem = number | bigint | null | ":" | "..." | SliceSpec | readonly number[] | readonly boolean[] | NDArray;

export type AdvancedIndex =
  | { kind: "take"; axis: number; indices: number[] }
  | { kind: "mask"; axis: number; mask: NDArray };

export interface ParsedIndex {
  /** Per input axis: an integer (the axis is dropped) or a slice (an advanced index's axes: the whole axis). */
  axes: Array<{ index: number } | { slice: SliceSpec }>;
  advanced?: AdvancedIndex;
  /** The output axes in index order: a sliced input axis, a new axis, or the advanced axis. */
  layout: Array<"axis" | "new" | "advanced">;
  /** The advanced axis goes first (advanced indices not adjacent). */
  advancedFirst: boolean;
}

type Item =
  | { kind: "int"; value: number }
  | { kind: "slice"; spec: SliceSpec }
  | { kind: "new" }
  | { kind: "ellipsis" }
  | { kind: "take"; values: ArrayLike<number | bigint> }
  | { kind: "mask"; mask: NDArray };

const sliceKeys = new Set(["start", "stop", "step"]);

function describe(item: unknown): string {
  if (typeof item === "string") return JSON.stringify(item);
  if (typeof item === "bigint") return `${item}n`;
  if (item instanceof NDArray) return `an NDArray of ${item.dtype}, shape [${item.shape.join(", ")}]`;
  // JSON would print NaN as null; a long list is cut short.
  if (Array.isArray(item)) return `the list [${item.slice(0, 8).map((v) => (typeof v === "bigint" ? `${v}n` : String(v))).join(", ")}${item.length > 8 ? ", …" : ""}]`;
  if (typeof item === "object" && item !== null && ![Object.prototype, null].includes(Object.getPrototypeOf(item) as object | null)) {
    return `a ${(item as object).constructor?.name ?? "non-plain object"}`;
  }
  try {
    return JSON.stringify(item) ?? String(item);
  } catch {
    return String(item);
  }
}

function isLazyArray(item: object): boolean {
  return "expr" in item && "chunks" in item && "name" in item;
}

function fromList(list: readonly unknown[], position: number): Item {
  if (list.length === 0) return { kind: "take", values: [] };
  if (list.every((v) => typeof v === "boolean")) return { kind: "mask", mask: maskOf(list as boolean[]) };
  if (list.every((v) => typeof v === "number" || typeof v === "bigint")) {
    const bad = list.find((v) => typeof v === "number" && !Number.isInteger(v));
    if (bad !== undefined) throw new InvalidOptionError(`index ${position}: ${describe(list)} holds ${bad}; only integers (or booleans, as a mask) can index`);
    return { kind: "take", values: list as Array<number | bigint> };
  }
  if (list.some((v) => Array.isArray(v))) {
    throw new InvalidOptionError(
      `index ${position}: nested lists (a multi-dimensional integer index) are not supported; index with a 1-D list per axis, or with a boolean mask`,
    );
  }
  throw new InvalidOptionError(`index ${position}: ${describe(list)} mixes types; a list index holds only integers or only booleans`);
}

function maskOf(values: readonly boolean[]): NDArray {
  const data = new Uint8Array(values.length);
  values.forEach((v, i) => { data[i] = v ? 1 : 0; });
  return fromTypedArray(data, [values.length], { dtype: "bool" });
}

function fromArray(array: NDArray, position: number): Item {
  if (array.dtype === "bool") {
    if (array.ndim === 0) throw new InvalidOptionError(`index ${position}: a 0-d boolean array as an index is not supported; use null to add an axis`);
    return { kind: "mask", mask: array };
  }
  if (!isIntegerDType(array.dtype)) {
    throw new InvalidOptionError(`index ${position}: arrays used as indices must be of integer or boolean type, got ${array.dtype}`);
  }
  if (array.ndim === 0) return { kind: "int", value: Number(array.item()) };
  if (array.ndim > 1) {
    throw new InvalidOptionError(`index ${position}: an integer index array of shape [${array.shape.join(", ")}] is not supported; use a 1-D index array`);
  }
  return { kind: "take", values: array.toTypedArray() };
}

function classify(item: unknown, position: number): Item {
  if (item === null) return { kind: "new" };
  if (item === ":") return { kind: "slice", spec: {} };
  if (item === "...") return { kind: "ellipsis" };
  if (typeof item === "number") {
    if (!Number.isInteger(item)) throw new InvalidOptionError(`index ${position}: ${item} is not an integer; only integers, slices, null, "...", integer lists and boolean masks are valid indices`);
    return { kind: "int", value: item };
  }
  if (typeof item === "bigint") return { kind: "int", value: Number(item) };
  if (typeof item === "boolean") {
    throw new InvalidOptionError(`index ${position}: a boolean scalar (${item}) as an index is not supported; use null to add an axis, or a boolean list as a mask`);
  }
  if (Array.isArray(item)) return fromList(item, position);
  if (item instanceof NDArray) return fromArray(item, position);
  if (ArrayBuffer.isView(item) && !(item instanceof DataView)) return fromArray(fromTypedArray(item as never), position);
  if (typeof item === "object" && item !== undefined) {
    if (isLazyArray(item)) {
      throw new InvalidOptionError(
        `index ${position}: indexing with a lazy array is not supported, because its values decide the result's shape, which a lazy array must know; ` +
          "compute it first (await index.compute()) and index with the NDArray",
      );
    }
    const proto = Object.getPrototypeOf(item) as unknown;
    const unknownKeys = Object.keys(item).filter((key) => !sliceKeys.has(key));
    if ((proto !== Object.prototype && proto !== null) || unknownKeys.length > 0) {
      throw new InvalidOptionError(
        `index ${position}: ${describe(item)} is not an index; a slice is { start, stop, step }${unknownKeys.length ? ` (unknown keys: ${unknownKeys.join(", ")})` : ""}`,
      );
    }
    return { kind: "slice", spec: item as SliceSpec };
  }
  throw new InvalidOptionError(`index ${position}: ${describe(item)} is not an index; use integers, ":", { start, stop, step }, null, "...", integer lists or boolean masks`);
}

function consumedAxes(item: Item): number {
  if (item.kind === "int" || item.kind === "slice" || item.kind === "take") return 1;
  return item.kind === "mask" ? item.mask.ndim : 0;
}

export function parseIndex(items: readonly unknown[], shape: readonly number[]): ParsedIndex {
  const ndim = shape.length;
  let classified = items.map(classify);
  const ellipses = classified.filter((item) => item.kind === "ellipsis").length;
  if (ellipses > 1) throw new InvalidOptionError(`an index can only have a single ellipsis ("..."), got ${ellipses}`);
  const consumed = classified.reduce((total, item) => total + consumedAxes(item), 0);
  if (consumed > ndim) throw new InvalidOptionError(`too many indices: the array has ${ndim} axes but ${consumed} were indexed`);
  const fill = new Array<Item>(ndim - consumed).fill({ kind: "slice", spec: {} });
  const at = classified.findIndex((item) => item.kind === "ellipsis");
  // The ellipsis stays as a marker that indexes nothing: NumPy counts it between advanced
  // indices even when it stands for no axis (x[:, [1, 2], ..., 0] on 3 axes puts the list's axis first).
  classified = at < 0 ? [...classified, ...fill] : [...classified.slice(0, at), ...fill, classified[at], ...classified.slice(at + 1)];

  const arrays = classified.filter((item) => item.kind === "take" || item.kind === "mask");
  if (arrays.length > 1) {
    throw new InvalidOptionError(
      `indexing with ${arrays.length} integer lists or masks at once (NumPy's pointwise fancy indexing) is not supported; select along one axis per get() call`,
    );
  }
  const parsed: ParsedIndex = { axes: [], layout: [], advancedFirst: false };
  const advancedPositions: number[] = [];
  let axis = 0;
  classified.forEach((item, position) => {
    switch (item.kind) {
      case "new":
        parsed.layout.push("new");
        return;
      case "slice":
        parsed.axes.push({ slice: item.spec });
        parsed.layout.push("axis");
        axis++;
        return;
      case "int": {
        const n = shape[axis];
        const index = item.value < 0 ? item.value + n : item.value;
        if (!Number.isSafeInteger(item.value) || index < 0 || index >= n) throw new InvalidOptionError(`index ${item.value} is out of bounds for axis ${axis} with size ${n}`);
        parsed.axes.push({ index });
        if (arrays.length > 0) advancedPositions.push(position);
        axis++;
        return;
      }
      case "take": {
        const n = shape[axis];
        const indices = Array.from(item.values, (value) => {
          const given = Number(value);
          const index = given < 0 ? given + n : given;
          if (!Number.isSafeInteger(given) || index < 0 || index >= n) throw new InvalidOptionError(`index ${String(value)} is out of bounds for axis ${axis} with size ${n}`);
          return index;
        });
        parsed.advanced = { kind: "take", axis, indices };
        parsed.axes.push({ slice: {} });
        parsed.layout.push("advanced");
        advancedPositions.push(position);
        axis++;
        return;
      }
      case "mask": {
        item.mask.shape.forEach((n, i) => {
          if (n !== shape[axis + i]) {
            throw new InvalidOptionError(
              `boolean index did not match the indexed array along axis ${axis + i}: the axis has ${shape[axis + i]} elements but the mask ${n}`,
            );
          }
        });
        parsed.advanced = { kind: "mask", axis, mask: item.mask };
        for (let i = 0; i < item.mask.ndim; i++) parsed.axes.push({ slice: {} });
        parsed.layout.push("advanced");
        advancedPositions.push(position);
        axis += item.mask.ndim;
        return;
      }
      default:
        return;
    }
  });
  parsed.advancedFirst = advancedPositions.length > 1 &&
    advancedPositions[advancedPositions.length - 1] - advancedPositions[0] !== advancedPositions.length - 1;
  return parsed;
}
