/**
 * The public functions of tessera/ndarray that are not built-ins, each refusing arguments beyond
 * its own (public-parameters.ts). index.ts exports these in place of the modules' functions; the
 * modules' own callers keep the unchecked ones. Built-ins check inside their tagged function
 * instead (definePublicBuiltin).
 */
import { iscomplexobj as iscomplexobjOf } from "./complex.js";
import * as dtype from "./dtype.js";
import { fromTypedArray as fromTypedArrayOf } from "./creation.js";
import * as fillValues from "./masked-fill-value.js";
import * as ndarray from "./ndarray.js";
import { promoteTypes as promoteTypesOf } from "./promotion.js";
import { withPublicParameters as checked } from "./public-parameters.js";

export const isNDArray = checked("isNDArray", ndarray.isNDArray);
export const empty = checked("empty", ndarray.empty);
export const allocate = checked("allocate", ndarray.allocate);
export const cStrides = checked("cStrides", ndarray.cStrides);
export const shapeSize = checked("shapeSize", ndarray.shapeSize);
export const dtypeInfo = checked("dtypeInfo", dtype.dtypeInfo);
export const isDType = checked("isDType", dtype.isDType);
export const toDType = checked("toDType", dtype.toDType);
export const isComplexDType = checked("isComplexDType", dtype.isComplexDType);
export const promoteTypes = checked("promoteTypes", promoteTypesOf);
export const fromTypedArray = checked("fromTypedArray", fromTypedArrayOf);
export const iscomplexobj = checked("iscomplexobj", iscomplexobjOf);
export const defaultFillValue = checked("defaultFillValue", fillValues.defaultFillValue);
export const minimumFillValue = checked("minimumFillValue", fillValues.minimumFillValue);
export const maximumFillValue = checked("maximumFillValue", fillValues.maximumFillValue);
export const fillValueIn = checked("fillValueIn", fillValues.fillValueIn);
