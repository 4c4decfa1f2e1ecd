/**
 * The 1-D window extremes behind the separable minimum and maximum filters, on float64 buffers:
 * Harter's MINLIST as scipy runs it (exact with NaN), and, for data without NaN, the same answer
 * (the extreme, a later cell winning ties) by folding each window or by van Herk / Gil–Werman's
 * prefix and suffix extremes for long windows — per line or for whole rows of lanes at once.
 */
import { type StoreRule, storeDoubles } from "./c-cast.js";
import type { NumericArray } from "./options.js";

/**
 * Harter's MINLIST as scipy runs it: a ring of (value, death) pairs; `front` holds the current
 * extreme, `back` the newest entry. A new value at least as extreme as the front replaces the
 * whole deque; otherwise entries from the back that it beats (or ties) are dropped.
 */
export function minListLine(extended: Float64Array, length: number, size: number, minimum: boolean, out: Float64Array): void {
  if (size === 1) {
    out.set(extended.subarray(0, length));
    return;
  }
  const values = new Float64Array(size);
  const deaths = new Float64Array(size);
  let front = 0;
  let back = 0;
  values[0] = extended[0];
  deaths[0] = size;
  const total = size + length - 1;
  for (let ll = 1; ll < total; ll++) {
    const value = extended[ll];
    if (deaths[front] === ll) front = front + 1 === size ? 0 : front + 1;
    if (minimum ? value <= values[front] : value >= values[front]) {
      values[front] = value;
      deaths[front] = ll + size;
      back = front;
    } else {
      while (minimum ? values[back] >= value : values[back] <= value) back = back === 0 ? size - 1 : back - 1;
      back = back + 1 === size ? 0 : back + 1;
      values[back] = value;
      deaths[back] = ll + size;
    }
    if (ll >= size - 1) out[ll - size + 1] = values[front];
  }
}

/** out[i] = extreme of extended[i…i+size), a later value winning ties (MINLIST's answer without NaN). */
export function foldWindows(extended: Float64Array, count: number, size: number, minimum: boolean, out: Float64Array): void {
  if (size >= 8) {
    vanHerkWindows(extended, count, size, minimum, out);
    return;
  }
  if (minimum) {
    for (let i = 0; i < count; i++) {
      let acc = extended[i];
      for (let j = 1; j < size; j++) {
        const v = extended[i + j];
        if (v <= acc) acc = v;
      }
      out[i] = acc;
    }
  } else {
    for (let i = 0; i < count; i++) {
      let acc = extended[i];
      for (let j = 1; j < size; j++) {
        const v = extended[i + j];
        if (v >= acc) acc = v;
      }
      out[i] = acc;
    }
  }
}

let prefixScratch = new Float64Array(0);
let suffixScratch = new Float64Array(0);

/**
 * van Herk / Gil–Werman: in blocks of `size` cells, running extremes from each block's start
 * (prefix) and from its end (suffix); window i is suffix[i] combined with prefix[i+size−1].
 * Ties keep the later cell: the prefix takes a new cell when it ties, the suffix keeps the later
 * one, and the combination prefers the prefix (the later part).
 */
function vanHerkWindows(extended: Float64Array, count: number, size: number, minimum: boolean, out: Float64Array): void {
  const total = count + size - 1;
  if (prefixScratch.length < total) {
    prefixScratch = new Float64Array(total);
    suffixScratch = new Float64Array(total);
  }
  const prefix = prefixScratch;
  const suffix = suffixScratch;
  const sign = minimum ? 1 : -1;
  for (let blockStart = 0; blockStart < total; blockStart += size) {
    const blockEnd = Math.min(blockStart + size, total);
    let acc = extended[blockStart];
    prefix[blockStart] = acc;
    for (let i = blockStart + 1; i < blockEnd; i++) {
      const v = extended[i];
      if (sign * v <= sign * acc) acc = v;
      prefix[i] = acc;
    }
    acc = extended[blockEnd - 1];
    suffix[blockEnd - 1] = acc;
    for (let i = blockEnd - 2; i >= blockStart; i--) {
      const v = extended[i];
      if (sign * v < sign * acc) acc = v;
      suffix[i] = acc;
    }
  }
  for (let i = 0; i < count; i++) {
    const left = suffix[i];
    const right = prefix[i + size - 1];
    out[i] = sign * right <= sign * left ? right : left;
  }
}

/** acc[t] = extreme of rows from, from+width, … (size rows) at lane t; a later row wins ties. */
export function foldRows(plane: Float64Array, from: number, width: number, size: number, minimum: boolean, acc: Float64Array): void {
  if (minimum) {
    for (let t = 0; t < width; t++) {
      let a = plane[from + t];
      for (let j = 1, at = from + width + t; j < size; j++, at += width) {
        const v = plane[at];
        if (v <= a) a = v;
      }
      acc[t] = a;
    }
  } else {
    for (let t = 0; t < width; t++) {
      let a = plane[from + t];
      for (let j = 1, at = from + width + t; j < size; j++, at += width) {
        const v = plane[at];
        if (v >= a) a = v;
      }
      acc[t] = a;
    }
  }
}

/** vanHerkWindows applied to whole rows (each lane independently), results stored row by row. */
export function vanHerkRows(
  plane: Float64Array, total: number, width: number, count: number, size: number, minimum: boolean,
  scratch: Float64Array, target: NumericArray, targetBase: number, rowStride: number, rule: StoreRule,
): void {
  const prefix = scratch.subarray(0, total * width);
  const suffix = scratch.subarray(total * width, 2 * total * width);
  const sign = minimum ? 1 : -1;
  for (let blockStart = 0; blockStart < total; blockStart += size) {
    const blockEnd = Math.min(blockStart + size, total);
    prefix.set(plane.subarray(blockStart * width, (blockStart + 1) * width), blockStart * width);
    for (let i = blockStart + 1; i < blockEnd; i++) {
      const row = i * width;
      for (let t = 0; t < width; t++) {
        const v = plane[row + t];
        const a = prefix[row - width + t];
        prefix[row + t] = sign * v <= sign * a ? v : a;
      }
    }
    suffix.set(plane.subarray((blockEnd - 1) * width, blockEnd * width), (blockEnd - 1) * width);
    for (let i = blockEnd - 2; i >= blockStart; i--) {
      const row = i * width;
      for (let t = 0; t < width; t++) {
        const v = plane[row + t];
        const a = suffix[row + width + t];
        suffix[row + t] = sign * v < sign * a ? v : a;
      }
    }
  }
  const out = new Float64Array(width);
  for (let i = 0; i < count; i++) {
    const left = i * width;
    const right = (i + size - 1) * width;
    for (let t = 0; t < width; t++) {
      const l = suffix[left + t];
      const r = prefix[right + t];
      out[t] = sign * r <= sign * l ? r : l;
    }
    storeDoubles(target, targetBase + i * rowStride, out, width, rule);
  }
}
