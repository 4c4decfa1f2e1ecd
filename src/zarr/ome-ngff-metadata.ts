/**
 * The group attributes of an OME-NGFF 0.4 image (https://ngff.openmicroscopy.org/0.4/): the
 * "multiscales" list a writer puts in the image group's `.zattrs`, the "omero" rendering
 * hints beside it, and the reading of both from a file.
 *
 * What the spec requires of a multiscale, and both sides hold to: "axes" (ome-ngff-axes.ts);
 * "datasets" ordered from the highest resolution to the lowest, each with a "path" relative
 * to the group and "coordinateTransformations" holding exactly one "scale" (the pixel size
 * in the axes' units) optionally followed by exactly one "translation", each as long as
 * "axes"; an optional multiscale-wide "coordinateTransformations" under the same rules,
 * applied after the dataset's. A writer also gives "version": "0.4", "name", "type" (the
 * downscaling method) and "metadata" (its parameters), which the spec's strict schema asks for.
 */
import { InvalidOptionError } from "../core/errors.js";
import { ZarrMetadataError, ZarrUnsupportedError } from "./errors.js";
import { refuseNonJsonAttributes } from "./metadata-json.js";
import { type OmeAxis, axesFromFile, checkAxisRules } from "./ome-ngff-axes.js";

export const omeNgffVersion = "0.4";

/** One resolution level: its array's path in the group and its pixel size and origin. */
export interface MultiscaleDataset {
  path: string;
  scale: number[];
  /** The physical position of pixel [0, 0, …]; absent means zero. */
  translation?: number[];
}

export interface MultiscaleDescription {
  name: string;
  axes: OmeAxis[];
  datasets: MultiscaleDataset[];
  /** The downscaling method, e.g. "mean". */
  type: string;
  metadata: Record<string, unknown>;
}

function transformationsJson(dataset: MultiscaleDataset): Array<Record<string, unknown>> {
  const list: Array<Record<string, unknown>> = [{ type: "scale", scale: [...dataset.scale] }];
  if (dataset.translation) list.push({ type: "translation", translation: [...dataset.translation] });
  return list;
}

/** The group attributes for one multiscale image (and its omero block, when given). */
export function multiscalesAttributes(description: MultiscaleDescription, omero?: Record<string, unknown>): Record<string, unknown> {
  const multiscale = {
    version: omeNgffVersion,
    name: description.name,
    axes: description.axes.map((axis) => ({ ...axis })),
    datasets: description.datasets.map((dataset) => ({ path: dataset.path, coordinateTransformations: transformationsJson(dataset) })),
    type: description.type,
    metadata: description.metadata,
  };
  return omero === undefined ? { multiscales: [multiscale] } : { multiscales: [multiscale], omero };
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Checks a writer's omero block against the spec's schema (channels, each with a window of
 * start/min/end/max numbers and an RRGGBB color) and its channel count against the image's.
 */
export function checkOmero(omero: unknown, channels: number): Record<string, unknown> {
  // First: the messages below print parts of it as JSON, and toOmeZarr checks it before it replaces a group.
  refuseNonJsonAttributes(omero, "omero");
  if (!isRecord(omero) || !Array.isArray(omero.channels)) {
    throw new InvalidOptionError(`omero: ${JSON.stringify(omero)} must be an object with "channels", a list of { color, window, label, active }`);
  }
  if (omero.channels.length !== channels) {
    throw new InvalidOptionError(`omero: ${omero.channels.length} channels described for an image of ${channels} channel${channels === 1 ? "" : "s"}`);
  }
  omero.channels.forEach((channel: unknown, i) => {
    const where = `omero channel ${i}`;
    if (!isRecord(channel)) throw new InvalidOptionError(`${where}: must be an object, got ${JSON.stringify(channel)}`);
    if (typeof channel.color !== "string" || !/^[0-9A-Fa-f]{6}$/.test(channel.color)) {
      throw new InvalidOptionError(`${where}: color ${JSON.stringify(channel.color)} must be six hex digits RRGGBB, e.g. "00FF00"`);
    }
    const window = channel.window;
    if (!isRecord(window) || !["start", "min", "end", "max"].every((key) => typeof window[key] === "number" && Number.isFinite(window[key]))) {
      throw new InvalidOptionError(`${where}: window ${JSON.stringify(window)} must have numbers start, min, end and max`);
    }
    for (const [key, type] of [["label", "string"], ["family", "string"], ["active", "boolean"]] as const) {
      if (channel[key] !== undefined && typeof channel[key] !== type) throw new InvalidOptionError(`${where}: ${key} must be a ${type}, got ${JSON.stringify(channel[key])}`);
    }
  });
  return omero;
}

/** One multiscale as read from a file, its transformations combined into one scale and translation per level. */
export interface MultiscaleRead {
  name?: string;
  axes: OmeAxis[];
  datasets: Array<Required<MultiscaleDataset>>;
  type?: string;
  /** The multiscale's JSON as stored. */
  stored: Record<string, unknown>;
}

function numberList(value: unknown, length: number, what: string, where: string): number[] {
  if (!Array.isArray(value) || value.length !== length || !value.every((n) => typeof n === "number" && Number.isFinite(n))) {
    throw new ZarrMetadataError(`${where}: ${what} ${JSON.stringify(value)} must be ${length} finite numbers, one per axis`);
  }
  return value as number[];
}

/** A "coordinateTransformations" list: exactly one scale, then at most one translation. */
function readTransformations(value: unknown, ndim: number, where: string): { scale: number[]; translation: number[] } {
  if (!Array.isArray(value) || value.length < 1 || value.length > 2) {
    throw new ZarrMetadataError(`${where}: coordinateTransformations ${JSON.stringify(value)} must be a scale, optionally followed by a translation`);
  }
  value.forEach((entry: unknown, i) => {
    const type = isRecord(entry) ? entry.type : undefined;
    const expected = i === 0 ? "scale" : "translation";
    if (type !== expected) throw new ZarrMetadataError(`${where}: coordinateTransformations[${i}] is ${JSON.stringify(type)}; OME-NGFF 0.4 wants exactly one "scale" first and at most one "translation" after it`);
    if (isRecord(entry) && entry.path !== undefined) {
      throw new ZarrUnsupportedError(`${where}: the ${expected} is stored as binary data at "${String(entry.path)}"; tessera reads ${expected}s written as lists of numbers only`);
    }
  });
  const [scale, translation] = value as Array<Record<string, unknown>>;
  return {
    scale: numberList(scale.scale, ndim, "scale", where),
    translation: translation === undefined ? new Array<number>(ndim).fill(0) : numberList(translation.translation, ndim, "translation", where),
  };
}

/**
 * The multiscale named `name` (or the first, as the spec says a reader should choose) of an
 * image group's attributes. `where` names the group in errors.
 */
export function readMultiscale(attributes: Record<string, unknown>, where: string, name?: string): MultiscaleRead {
  const list = attributes.multiscales;
  if (list === undefined) {
    throw new ZarrMetadataError(
      `${where} has no "multiscales" attributes, so it is not an OME-NGFF image (or its writer did not finish: tessera writes them after the last level); open an array in it with fromZarr`,
    );
  }
  if (!Array.isArray(list) || list.length === 0 || !list.every(isRecord)) throw new ZarrMetadataError(`${where}: "multiscales" must be a non-empty list of objects`);
  const chosen = name === undefined ? list[0] : list.find((entry) => entry.name === name);
  if (chosen === undefined) {
    throw new ZarrMetadataError(`${where} has no multiscale named ${JSON.stringify(name)}; it has ${list.map((entry) => JSON.stringify(entry.name)).join(", ")}`);
  }
  const version = chosen.version;
  if (version !== undefined && version !== omeNgffVersion) {
    throw new ZarrUnsupportedError(`${where} is OME-NGFF version ${JSON.stringify(version)}; tessera reads version ${omeNgffVersion}`);
  }
  const rawAxes = chosen.axes;
  const axes = axesFromFile(rawAxes, Array.isArray(rawAxes) ? rawAxes.length : 0, where);
  const ndim = axes.length;
  const overall = chosen.coordinateTransformations === undefined ? undefined : readTransformations(chosen.coordinateTransformations, ndim, `${where} (multiscale)`);
  const datasets = chosen.datasets;
  if (!Array.isArray(datasets) || datasets.length === 0) throw new ZarrMetadataError(`${where}: "datasets" must be a non-empty list of { path, coordinateTransformations }`);
  return {
    ...(typeof chosen.name === "string" ? { name: chosen.name } : {}),
    ...(typeof chosen.type === "string" ? { type: chosen.type } : {}),
    axes,
    stored: chosen,
    datasets: datasets.map((dataset: unknown, i) => {
      const at = `${where} dataset ${i}`;
      if (!isRecord(dataset) || typeof dataset.path !== "string" || dataset.path === "") throw new ZarrMetadataError(`${at}: ${JSON.stringify(dataset)} has no "path"`);
      const own = readTransformations(dataset.coordinateTransformations, ndim, at);
      // The multiscale's transformations apply after the dataset's: x·s₁ + t₁, then ·s₂ + t₂.
      const scale = overall ? own.scale.map((s, a) => s * overall.scale[a]) : own.scale;
      const translation = overall ? own.translation.map((t, a) => t * overall.scale[a] + overall.translation[a]) : own.translation;
      return { path: dataset.path, scale, translation };
    }),
  };
}

/** The spec's rule that every level's array has one dimension per axis. */
export function checkLevelDimensions(axes: readonly OmeAxis[], shape: readonly number[], where: string): void {
  checkAxisRules(axes, shape.length, (message) => new ZarrMetadataError(`${where}: ${message}`));
}
