/**
 * The public functions of tessera/ndimage that are not built-ins, each refusing arguments
 * beyond its own (public-parameters.ts). index.ts exports these in place of the modules'
 * functions; the modules' own callers keep the unchecked ones. Built-ins check inside their
 * tagged function instead (region-kernel.ts, definePublicBuiltin).
 */
import { isWasmSimdAvailable as isWasmSimdAvailableOf } from "./backend.js";
import * as structures from "./binary-structure.js";
import { comprehensionFinish as comprehensionFinishOf } from "./comprehension-partials.js";
import { distanceTransformBf as distanceTransformBfOf } from "./distance-transform-bf.js";
import { distanceTransformCdt as distanceTransformCdtOf } from "./distance-transform-cdt.js";
import { distanceTransformEdt as distanceTransformEdtOf } from "./distance-transform.js";
import * as extremaOf from "./extrema.js";
import * as positions from "./extrema-positions.js";
import { findObjects as findObjectsOf } from "./find-objects.js";
import * as derivatives from "./generic-derivatives.js";
import { geometricTransform as geometricTransformOf } from "./geometric-transform.js";
import { label as labelOf } from "./label.js";
import { histogram as histogramOf } from "./label-histogram.js";
import { median as medianOf } from "./label-median.js";
import * as measurements from "./measurements.js";
import { withPublicParameters as checked } from "./public-parameters.js";
import { isRegionKernel as isRegionKernelOf } from "./region-kernel.js";
import { thresholdLocal as thresholdLocalOf } from "./threshold-local.js";
import { valueIndices as valueIndicesOf } from "./value-indices.js";
import { watershedIft as watershedIftOf } from "./watershed-ift.js";

export const isWasmSimdAvailable = checked("isWasmSimdAvailable", isWasmSimdAvailableOf);
export const isRegionKernel = checked("isRegionKernel", isRegionKernelOf);
export const generateBinaryStructure = checked("generateBinaryStructure", structures.generateBinaryStructure);
export const iterateStructure = checked("iterateStructure", structures.iterateStructure);
export const distanceTransformEdt = checked("distanceTransformEdt", distanceTransformEdtOf);
export const distanceTransformCdt = checked("distanceTransformCdt", distanceTransformCdtOf);
export const distanceTransformBf = checked("distanceTransformBf", distanceTransformBfOf);
export const label = checked("label", labelOf);
export const findObjects = checked("findObjects", findObjectsOf);
export const sumLabels = checked("sumLabels", measurements.sumLabels);
export const sum = checked("sum", measurements.sum);
export const mean = checked("mean", measurements.mean);
export const variance = checked("variance", measurements.variance);
export const standardDeviation = checked("standardDeviation", measurements.standardDeviation);
export const centerOfMass = checked("centerOfMass", measurements.centerOfMass);
export const area = checked("area", measurements.area);
export const minimum = checked("minimum", extremaOf.minimum);
export const maximum = checked("maximum", extremaOf.maximum);
export const labeledComprehension = checked("labeledComprehension", extremaOf.labeledComprehension);
export const comprehensionFinish = checked("comprehensionFinish", comprehensionFinishOf);
export const minimumPosition = checked("minimumPosition", positions.minimumPosition);
export const maximumPosition = checked("maximumPosition", positions.maximumPosition);
export const extrema = checked("extrema", positions.extrema);
export const median = checked("median", medianOf);
export const histogram = checked("histogram", histogramOf);
export const thresholdLocal = checked("thresholdLocal", thresholdLocalOf);
export const watershedIft = checked("watershedIft", watershedIftOf);
export const valueIndices = checked("valueIndices", valueIndicesOf);
export const genericLaplace = checked("genericLaplace", derivatives.genericLaplace);
export const genericGradientMagnitude = checked("genericGradientMagnitude", derivatives.genericGradientMagnitude);
export const geometricTransform = checked("geometricTransform", geometricTransformOf);
