/**
 * The "axes" of an OME-NGFF 0.4 image (https://ngff.openmicroscopy.org/0.4/#axes-md and
 * #multiscale-md): what a writer may put there and what a reader must find.
 *
 * The spec's MUSTs, checked on both sides: 2 to 5 axes, one per array dimension; unique
 * names; 2 or 3 axes of type "space"; at most one "time" axis, first; at most one "channel"
 * (or custom-typed) axis, after time and before the space axes.
 *
 * Writing is stricter than the spec's SHOULDs, so that what tessera writes every reader
 * understands: each axis has a type among "space", "time", "channel" (custom types are
 * refused), and a unit, when given, is one of the UDUNITS-2 names the spec lists for its type
 * ("micron" is refused, naming "micrometer"). Reading accepts what the spec allows (custom
 * types, other unit strings), since files written elsewhere may use them.
 */
import { InvalidOptionError } from "../core/errors.js";
import { ZarrMetadataError } from "./errors.js";

export type OmeAxisType = "space" | "time" | "channel";

export interface OmeAxis {
  name: string;
  /** "space", "time" or "channel" (files written elsewhere may hold a custom type). */
  type?: string;
  /** A UDUNITS-2 name such as "micrometer" or "second". */
  unit?: string;
}

/** The space units of NGFF 0.4, in meters (for comparing voxel sizes given in different units). */
const metersPerSpaceUnit: Readonly<Record<string, number>> = {
  angstrom: 1e-10, attometer: 1e-18, centimeter: 1e-2, decimeter: 1e-1, exameter: 1e18, femtometer: 1e-15, foot: 0.3048,
  gigameter: 1e9, hectometer: 1e2, inch: 0.0254, kilometer: 1e3, megameter: 1e6, meter: 1, micrometer: 1e-6, mile: 1609.344,
  millimeter: 1e-3, nanometer: 1e-9, parsec: 3.0856775814913673e16, petameter: 1e15, picometer: 1e-12, terameter: 1e12,
  yard: 0.9144, yoctometer: 1e-24, yottameter: 1e24, zeptometer: 1e-21, zettameter: 1e21,
};

const timeUnits: ReadonlySet<string> = new Set([
  "attosecond", "centisecond", "day", "decisecond", "exasecond", "femtosecond", "gigasecond", "hectosecond", "hour", "kilosecond",
  "megasecond", "microsecond", "millisecond", "minute", "nanosecond", "petasecond", "picosecond", "second", "terasecond",
  "yoctosecond", "yottasecond", "zeptosecond", "zettasecond",
]);

/** Common spellings that are not UDUNITS-2 names, and the name meant. */
const unitSuggestions: Readonly<Record<string, string>> = {
  micron: "micrometer", microns: "micrometer", um: "micrometer", "µm": "micrometer", nm: "nanometer", mm: "millimeter",
  m: "meter", s: "second", ms: "millisecond", sec: "second", min: "minute", h: "hour",
};

/** ome-zarr-py's names with a known type: axes may be given as "tczyx" or ["z", "y", "x"]. */
const knownAxisNames: Readonly<Record<string, OmeAxisType>> = { t: "time", c: "channel", z: "space", y: "space", x: "space" };

const axisTypes: ReadonlySet<string> = new Set(["space", "time", "channel"]);

/** Meters per `unit`, or undefined for a unit that is not an NGFF space unit. */
export function metersPer(unit: string | undefined): number | undefined {
  return unit === undefined ? undefined : metersPerSpaceUnit[unit];
}

function unitError(axis: OmeAxis, type: string): InvalidOptionError {
  const known = type === "space" ? Object.keys(metersPerSpaceUnit) : [...timeUnits];
  const suggestion = unitSuggestions[String(axis.unit)];
  return new InvalidOptionError(
    `axes: unit ${JSON.stringify(axis.unit)} of axis "${axis.name}" is not a ${type} unit of OME-NGFF 0.4` +
      (suggestion ? ` (did you mean "${suggestion}"?)` : "") + `; use one of: ${known.join(", ")}`,
  );
}

function axisFromName(name: unknown, position: number): OmeAxis {
  if (typeof name !== "string" || name === "") throw new InvalidOptionError(`axes: axis ${position} must be a name or { name, type, unit }, got ${JSON.stringify(name)}`);
  const type = knownAxisNames[name];
  if (!type) {
    throw new InvalidOptionError(
      `axes: "${name}" has no known type; give it as { name: "${name}", type: "space" | "time" | "channel" } (only t, c, z, y, x are typed by name)`,
    );
  }
  return { name, type };
}

function axisFromObject(value: Record<string, unknown>, position: number): OmeAxis {
  const unknownKeys = Object.keys(value).filter((key) => !["name", "type", "unit"].includes(key));
  if (unknownKeys.length > 0) throw new InvalidOptionError(`axes: axis ${position} has unknown keys ${unknownKeys.join(", ")}; an axis is { name, type, unit }`);
  const name = value.name;
  if (typeof name !== "string" || name === "") throw new InvalidOptionError(`axes: axis ${position} needs a name, got ${JSON.stringify(name)}`);
  const type = value.type ?? knownAxisNames[name];
  if (type === undefined) throw new InvalidOptionError(`axes: axis "${name}" needs a type: "space", "time" or "channel"`);
  if (typeof type !== "string" || !axisTypes.has(type)) {
    throw new InvalidOptionError(
      `axes: type ${JSON.stringify(value.type)} of axis "${name}" is not one OME-NGFF 0.4 defines; tessera writes "space", "time" or "channel"`,
    );
  }
  const axis: OmeAxis = { name, type };
  if (value.unit !== undefined) {
    if (typeof value.unit !== "string") throw new InvalidOptionError(`axes: unit of axis "${axis.name}" must be a string, got ${JSON.stringify(value.unit)}`);
    axis.unit = value.unit;
    if (type === "channel") throw new InvalidOptionError(`axes: channel axis "${axis.name}" has a unit (${value.unit}); OME-NGFF 0.4 gives units to space and time axes only`);
    if (type === "space" && metersPer(value.unit) === undefined) throw unitError(axis, type);
    if (type === "time" && !timeUnits.has(value.unit)) throw unitError(axis, type);
  }
  return axis;
}

/**
 * The axes a writer was given (a string such as "zyx", a list of names, or a list of
 * { name, type, unit }) as NGFF axes, checked for an array of `ndim` dimensions.
 */
export function axesToWrite(given: unknown, ndim: number): OmeAxis[] {
  let axes: OmeAxis[];
  if (typeof given === "string") {
    axes = [...given].map((name, i) => axisFromName(name, i));
  } else if (Array.isArray(given)) {
    axes = given.map((item: unknown, i) =>
      typeof item === "object" && item !== null && !Array.isArray(item) ? axisFromObject(item as Record<string, unknown>, i) : axisFromName(item, i));
  } else {
    throw new InvalidOptionError(`axes: ${JSON.stringify(given)} must be a string such as "zyx" or a list of { name, type, unit }`);
  }
  checkAxisRules(axes, ndim, (message) => new InvalidOptionError(`axes: ${message}`));
  return axes;
}

/**
 * The spec's MUSTs for a multiscale's axes (both writing and reading). `error` makes the
 * exception, so a writer's options and a reader's file are refused with their own class.
 */
export function checkAxisRules(axes: readonly OmeAxis[], ndim: number, error: (message: string) => Error): void {
  const names = axes.map((axis) => axis.name);
  if (axes.length < 2 || axes.length > 5) throw error(`OME-NGFF 0.4 images have 2 to 5 axes, got ${axes.length} (${names.join(", ")})`);
  if (axes.length !== ndim) throw error(`${axes.length} axes (${names.join(", ")}) for an array of ${ndim} dimensions; give one axis per dimension`);
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate !== undefined) throw error(`axis name "${duplicate}" appears twice; names must be unique`);
  const types = axes.map((axis) => axis.type ?? "custom");
  const spaces = types.filter((type) => type === "space").length;
  if (spaces < 2 || spaces > 3) throw error(`an image has 2 or 3 axes of type "space", got ${spaces} (types: ${types.join(", ")})`);
  if (types.filter((type) => type === "time").length > 1) throw error(`an image has at most one axis of type "time", got types ${types.join(", ")}`);
  if (types.filter((type) => type !== "time" && type !== "space").length > 1) {
    throw error(`an image has at most one axis of type "channel" (or of a custom type), got types ${types.join(", ")}`);
  }
  // time? then channel-or-custom? then 2–3 space axes, in this order (NGFF 0.4, "multiscales" metadata).
  const rank = (type: string): number => (type === "time" ? 0 : type === "space" ? 2 : 1);
  const ordered = types.every((type, i) => i === 0 || rank(types[i - 1]) < rank(type) || (type === "space" && types[i - 1] === "space"));
  if (!ordered) {
    throw error(
      `axes of types (${types.join(", ")}) are out of order: OME-NGFF 0.4 orders them time, then channel, then the space axes ` +
        `(e.g. "tczyx"); transpose the array to that order first`,
    );
  }
}

/** Reads the "axes" of a multiscale from a file; `where` names it in errors. */
export function axesFromFile(value: unknown, ndim: number, where: string): OmeAxis[] {
  if (!Array.isArray(value)) throw new ZarrMetadataError(`${where}: "axes" must be a list (OME-NGFF 0.4), found ${JSON.stringify(value)}`);
  const axes = value.map((item: unknown, i): OmeAxis => {
    if (typeof item === "string") {
      throw new ZarrMetadataError(`${where}: axis ${i} is the name "${item}", as OME-NGFF 0.3 wrote axes; tessera reads version 0.4, where axes are { name, type, unit }`);
    }
    const axis = item as Record<string, unknown> | null;
    if (axis === null || typeof axis !== "object" || typeof axis.name !== "string") throw new ZarrMetadataError(`${where}: axis ${i} ${JSON.stringify(item)} has no "name"`);
    if (axis.type !== undefined && axis.type !== null && typeof axis.type !== "string") throw new ZarrMetadataError(`${where}: axis "${axis.name}" has a type that is not a string`);
    if (axis.unit !== undefined && typeof axis.unit !== "string") throw new ZarrMetadataError(`${where}: axis "${axis.name}" has a unit that is not a string`);
    return {
      name: axis.name,
      ...(typeof axis.type === "string" ? { type: axis.type } : {}),
      ...(typeof axis.unit === "string" ? { unit: axis.unit } : {}),
    };
  });
  checkAxisRules(axes, ndim, (message) => new ZarrMetadataError(`${where}: ${message}`));
  return axes;
}
