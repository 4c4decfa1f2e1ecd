/**
 * Task prefix colours as Dask's dashboard draws them, so a user moving from Dask sees the
 * same colour for the same kind of task: the 18-colour viridis palette indexed by the first
 * 8 hex digits of MD5(prefix), modulo 18.
 */
import { createHash } from "node:crypto";

export const viridis18 = [
  "#440154", "#471669", "#472A79", "#433C84", "#3C4D8A", "#355D8C", "#2E6C8E", "#287A8E", "#23898D",
  "#1E978A", "#20A585", "#2EB27C", "#45BF6F", "#64CB5D", "#88D547", "#AFDC2E", "#D7E219", "#FDE724",
] as const;

export function prefixColour(prefix: string): string {
  const digest = createHash("md5").update(prefix, "utf8").digest("hex");
  return viridis18[parseInt(digest.slice(0, 8), 16) % viridis18.length];
}
