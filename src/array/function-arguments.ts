/**
 * The `ta` functions of a fixed number of arguments, each refusing arguments beyond its own
 * (argument-count.ts): before, `ta.ravel(x, "F")` (NumPy's order) raveled in C order and
 * `ta.clip(x, 0, 1, { out })` ignored the options, without a word. index.ts exports these in
 * place of the functions of the modules below. Those with options objects check their keys
 * where they are defined.
 */
import { withArgumentCount } from "./argument-count.js";
import { block as blockOf } from "./block.js";
import { choose as chooseOf } from "./choose-select.js";
import * as complex from "./complex.js";
import * as manipulation from "./manipulation.js";
import * as nonzeros from "./nonzero.js";
import * as stacking from "./stacking.js";
import { tile as tileOf } from "./tile-repeat.js";
import * as toplevel from "./toplevel-forms.js";
import * as ufuncs from "./ufuncs.js";
import { union1d as union1dOf } from "./unique.js";

export const flip = withArgumentCount("ta.flip", ["x", "axis"], manipulation.flip);
export const flipud = withArgumentCount("ta.flipud", ["x"], manipulation.flipud);
export const fliplr = withArgumentCount("ta.fliplr", ["x"], manipulation.fliplr);
export const moveaxis = withArgumentCount("ta.moveaxis", ["x", "source", "destination"], manipulation.moveaxis);
export const swapaxes = withArgumentCount("ta.swapaxes", ["x", "axis1", "axis2"], manipulation.swapaxes);
export const expandDims = withArgumentCount("ta.expandDims", ["x", "axis"], manipulation.expandDims);
export const squeeze = withArgumentCount("ta.squeeze", ["x", "axis"], manipulation.squeeze);
export const ravel = withArgumentCount("ta.ravel", ["x"], manipulation.ravel);
export const roll = withArgumentCount("ta.roll", ["x", "shift", "axis"], manipulation.roll);
export const block = withArgumentCount("ta.block", ["arrays"], blockOf);
export const choose = withArgumentCount("ta.choose", ["a", "choices"], chooseOf);
export const real = withArgumentCount("ta.real", ["x"], complex.real);
export const imag = withArgumentCount("ta.imag", ["x"], complex.imag);
export const conjugate = withArgumentCount("ta.conjugate", ["x"], complex.conjugate);
export const conj = withArgumentCount("ta.conj", ["x"], complex.conj);
export const iscomplex = withArgumentCount("ta.iscomplex", ["x"], complex.iscomplex);
export const isreal = withArgumentCount("ta.isreal", ["x"], complex.isreal);
export const iscomplexobj = withArgumentCount("ta.iscomplexobj", ["x"], complex.iscomplexobj);
export const argwhere = withArgumentCount("ta.argwhere", ["a"], nonzeros.argwhere);
export const nonzero = withArgumentCount("ta.nonzero", ["a"], nonzeros.nonzero);
export const flatnonzero = withArgumentCount("ta.flatnonzero", ["a"], nonzeros.flatnonzero);
export const extract = withArgumentCount("ta.extract", ["condition", "arr"], nonzeros.extract);
export const vstack = withArgumentCount("ta.vstack", ["arrays"], stacking.vstack);
export const hstack = withArgumentCount("ta.hstack", ["arrays"], stacking.hstack);
export const dstack = withArgumentCount("ta.dstack", ["arrays"], stacking.dstack);
export const tile = withArgumentCount("ta.tile", ["x", "reps"], tileOf);
export const shape = withArgumentCount("ta.shape", ["x"], toplevel.shape);
export const transpose = withArgumentCount("ta.transpose", ["x", "axes"], toplevel.transpose);
export const rollaxis = withArgumentCount("ta.rollaxis", ["x", "axis", "start"], toplevel.rollaxis);
export const ndim = withArgumentCount("ta.ndim", ["x"], toplevel.ndim);
export const where = withArgumentCount("ta.where", ["condition", "x", "y"], ufuncs.where);
export const clip = withArgumentCount("ta.clip", ["x", "min", "max"], ufuncs.clip);
export const union1d = withArgumentCount("ta.union1d", ["a", "b"], union1dOf);
