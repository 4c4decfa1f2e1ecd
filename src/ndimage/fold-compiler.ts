/**
 * Compiled folds over a footprint's rows. A generic loop over the footprint's cells keeps its
 * accumulator in memory and reloads each cell's row and shift; unrolled for one footprint, the
 * accumulator stays in a register and every read is `row[i + constant]` — about twice as fast,
 * which is the difference between trailing and matching scipy's C loops. As in
 * ndarray/kernel-compiler.ts, each variant is built once with `new Function` from the fixed
 * templates below and cached by its key; the generated source holds only our templates and
 * integers (row numbers and shifts), never caller text.
 *
 * Per output i the cells are visited in footprint order, so the results equal the cell-by-cell
 * loops exactly (ties and NaN included).
 */

/** out[i] = fold over cells k of rows[rowOf[k]][i + shift[k]], for i < width. */
export type RowFold = (rows: readonly ArrayLike<number>[], out: Float64Array | Uint8Array, width: number) => void;

const cache = new Map<string, RowFold>();

/**
 * "min" / "max": scipy's footprint fold (first cell, then `v < acc` / `v > acc` replaces).
 * "and": 1 where every cell is nonzero (binary erosion), on 0/1 rows.
 */
export function compiledRowFold(kind: "min" | "max" | "and", rowOf: Int32Array, shift: Int32Array): RowFold {
  const key = `${kind}|${Array.from(rowOf).join(",")}|${Array.from(shift).join(",")}`;
  let fold = cache.get(key);
  if (fold === undefined) {
    fold = rowOf.length > maxUnrolled ? genericFold(kind, rowOf, shift) : new Function("rows", "out", "width", foldSource(kind, rowOf, shift)) as RowFold;
    cache.set(key, fold);
  }
  return fold;
}

/** Beyond this many cells the fold loops over them (the generated source would only grow). */
const maxUnrolled = 256;

function genericFold(kind: "min" | "max" | "and", rowOf: Int32Array, shift: Int32Array): RowFold {
  return (rows, out, width) => {
    for (let i = 0; i < width; i++) {
      let a = rows[rowOf[0]][i + shift[0]];
      for (let k = 1; k < rowOf.length; k++) {
        const v = rows[rowOf[k]][i + shift[k]];
        if (kind === "and" ? v === 0 : kind === "min" ? v < a : v > a) a = kind === "and" ? 0 : v;
      }
      out[i] = kind === "and" ? (a === 0 ? 0 : 1) : a;
    }
  };
}

function foldSource(kind: "min" | "max" | "and", rowOf: Int32Array, shift: Int32Array): string {
  const rowNames = [...new Set(Array.from(rowOf))].map((r) => `const r${r} = rows[${r}];`).join("\n");
  const read = (k: number): string => `r${rowOf[k]}[i + ${shift[k]}]`;
  const lines: string[] = [];
  if (kind === "and") {
    lines.push(`out[i] = ${Array.from(rowOf, (_, k) => read(k)).join(" & ")};`);
  } else {
    lines.push(`let a = ${read(0)};`);
    const op = kind === "min" ? "<" : ">";
    for (let k = 1; k < rowOf.length; k++) lines.push(`{ const v = ${read(k)}; if (v ${op} a) a = v; }`);
    lines.push("out[i] = a;");
  }
  return `"use strict";\n${rowNames}\nfor (let i = 0; i < width; i++) {\n${lines.join("\n")}\n}`;
}
