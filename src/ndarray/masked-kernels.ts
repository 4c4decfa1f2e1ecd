/**
 * Block kernels of lazy masked arrays (tessera/array's ma), run in workers as built-ins.
 */
import { defineBuiltin } from "../core/builtin.js";
import { copy } from "./copy.js";
import type { NDArray } from "./ndarray.js";
import { broadcastTo } from "./views.js";

/**
 * A mask block stretched to the shape of the data block it belongs to: a mask that came from a
 * smaller broadcast operand must still line up element by element with the result's data.
 */
export const maskedBroadcastMask = defineBuiltin("ndarray.maskedBroadcastMask", function maskedBroadcastMask(mask: NDArray, like: NDArray): NDArray {
  return copy(broadcastTo(mask, like.shape));
});
