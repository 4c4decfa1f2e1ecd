/**
 * Writing a Zarr v2 group whose arrays are written with it (an OME-Zarr image pyramid), and
 * reading a group's attributes.
 *
 * The writer holds the group's exclusive write lease for the whole write: the lease covers
 * every node below the group (write-lease.ts refuses a writer of a child while a parent is
 * held, and a parent while a child is), so the pyramid's arrays are created and written
 * under it without leases of their own. The same rules as for arrays hold (node-files.ts):
 * a group is created only where nothing but Zarr nodes lives, and replacing one deletes
 * its Zarr keys (its arrays' included) and nothing else.
 */
import { InvalidOptionError } from "../core/errors.js";
import { ZarrArrayExistsError, ZarrMetadataError, ZarrNotFoundError, ZarrUnsupportedError } from "./errors.js";
import { checkStoreRoot, nodeKindOf } from "./create-array.js";
import { v2GroupDocument } from "./array-metadata.js";
import { attributesJson, encodeMetadataJson, parseMetadataJson, refuseNonJsonAttributes } from "./metadata-json.js";
import { checkWritableTarget, deleteNodeKeys } from "./node-files.js";
import { forgetArrays, storeFor } from "./open-array.js";
import { type WriteLease, acquireExclusiveLease } from "./write-lease.js";
import { type ZarrRef, describeRef, keyInNode, resolveRef } from "./zarr-ref.js";

function describeGroup(ref: ZarrRef): string {
  const resolved = resolveRef(ref);
  return resolved.component === "" ? `the Zarr group at ${resolved.path}` : `group "${resolved.component}" of ${resolved.path}`;
}

/**
 * Begins writing the group at `ref`: refuses a target among other files, takes the group's
 * exclusive write lease. Release the lease when the whole write (every chunk) is done.
 */
export async function beginGroupWrite(ref: ZarrRef): Promise<WriteLease> {
  const resolved = resolveRef(ref);
  const where = describeGroup(ref);
  await checkStoreRoot(resolved.path);
  await checkWritableTarget(resolved.path, resolved.component, `the group (${where})`);
  return acquireExclusiveLease(resolved.path, resolved.component, where, "write");
}

/**
 * For the holder of the group's lease: makes the group at `ref` new and empty (a `.zgroup`,
 * and one at each missing parent). An existing array or group there is refused unless
 * `overwrite`, which deletes its Zarr keys first.
 */
export async function createGroupHeld(ref: ZarrRef, options: { overwrite: boolean }): Promise<void> {
  const resolved = resolveRef(ref);
  const store = storeFor(resolved.path);
  const parts = resolved.component === "" ? [] : resolved.component.split("/");
  for (let level = 0; level < parts.length; level++) {
    const parent = parts.slice(0, level).join("/");
    const kind = await nodeKindOf(store, parent);
    if (kind === "array") throw new InvalidOptionError(`cannot create ${describeGroup(ref)}: ${parent === "" ? "the store root" : `"${parent}"`} is an array, not a group`);
    if (kind === undefined) await store.set(keyInNode(parent, ".zgroup"), encodeMetadataJson(v2GroupDocument));
  }
  const existing = await nodeKindOf(store, resolved.component);
  if (existing && !options.overwrite) {
    throw new ZarrArrayExistsError(`${describeGroup(ref)} already holds a Zarr ${existing}; pass overwrite: true to replace it (its arrays and chunks are deleted)`);
  }
  if (existing) await deleteNodeKeys(store.pathOf(resolved.component));
  forgetArrays(resolved);
  await store.set(keyInNode(resolved.component, ".zgroup"), encodeMetadataJson(v2GroupDocument));
}

/**
 * For the holder of the group's lease: writes the group's `.zattrs` in one atomic rename.
 * Attributes JSON cannot hold are refused, nothing written (toOmeZarr checks its user-given
 * parts, the omero block, before it replaces the group: checkOmero).
 */
export async function writeGroupAttributesHeld(ref: ZarrRef, attributes: Record<string, unknown>): Promise<void> {
  if (attributes === null || typeof attributes !== "object" || Array.isArray(attributes)) {
    throw new InvalidOptionError(`attributes of ${describeGroup(ref)}: must be a plain object of JSON values`);
  }
  refuseNonJsonAttributes(attributes, "attributes");
  const resolved = resolveRef(ref);
  await storeFor(resolved.path).set(keyInNode(resolved.component, ".zattrs"), encodeMetadataJson(attributesJson(attributes)));
}

/** The attributes of the v2 group at `ref`; a missing group, an array or a v3 node are refused by name. */
export async function readGroupAttributes(ref: ZarrRef): Promise<Record<string, unknown>> {
  const resolved = resolveRef(ref);
  const where = describeGroup(ref);
  const store = storeFor(resolved.path);
  const kind = await nodeKindOf(store, resolved.component);
  if (kind === "array") throw new ZarrNotFoundError(`${describeRef(resolved)} is an array, not an image group; open it with fromZarr, or name its group`);
  if (await store.has(keyInNode(resolved.component, "zarr.json"))) {
    throw new ZarrUnsupportedError(`${where} is a Zarr v3 group (OME-NGFF 0.5 or later); tessera reads OME-NGFF 0.4 images, which are Zarr v2`);
  }
  if (kind === undefined) throw new ZarrNotFoundError(`no Zarr group at ${where}: it has no .zgroup; check the path and component`);
  const bytes = await store.get(keyInNode(resolved.component, ".zattrs"));
  if (bytes === undefined) return {};
  const attributes = parseMetadataJson(bytes, store.pathOf(keyInNode(resolved.component, ".zattrs")));
  if (typeof attributes !== "object" || attributes === null || Array.isArray(attributes)) throw new ZarrMetadataError(`${where}: .zattrs must hold a JSON object`);
  return attributes;
}
