/**
 * Named datasets (Dask's publish_dataset / get_dataset / list_datasets / unpublish_dataset):
 * futures, or any structure of them (arrays, plain objects, with plain values beside them),
 * published under a name so that other clients, later, can pick them up. The scheduler keeps
 * their results alive until the dataset is unpublished, whoever disconnects meanwhile.
 */
import { InvalidOptionError } from "../../core/errors.js";
import type { KeyReport } from "../../protocol/messages.js";
import { TaskRef, packPayload, unpackPayload } from "../../protocol/payload.js";
import { mapFutures } from "../future.js";
import { checkOptionNames, type OptionNames } from "../option-names.js";
import { futuresFromRefs, request, requestTaking, type CoordinationClient } from "./coordination-client.js";

function checkName(name: string): void {
  if (typeof name !== "string" || name.length === 0) throw new InvalidOptionError("a dataset needs a name (a non-empty string)");
}

const publishOptionNames: OptionNames<{ override?: boolean }> = { override: true };

export async function publishDataset(client: CoordinationClient, name: string, value: unknown, options: { override?: boolean } = {}): Promise<void> {
  checkOptionNames(options, publishOptionNames, "Client.publishDataset");
  checkName(name);
  const keys = new Set<string>();
  const withRefs = mapFutures(value, (future) => {
    keys.add(future.key);
    return new TaskRef(future.key);
  });
  const frames: Uint8Array[] = [];
  const packed = packPayload(withRefs, frames, `dataset ${JSON.stringify(name)}`);
  await request(client, { op: "dataset-publish", name, keys: [...keys], value: packed, override: options.override ?? false }, frames);
}

const getOptionNames: OptionNames<GetDatasetOptions> = { default: true };

/** Dask's get_dataset `default=`: what to return when no dataset has the name (`undefined` counts as given). */
export interface GetDatasetOptions { default?: unknown }

/**
 * The published structure with each future as a future of this client; raises naming an unknown
 * dataset, unless `options` has a `default`, which is returned instead.
 */
export async function getDataset<T = unknown>(client: CoordinationClient, name: string, options: GetDatasetOptions = {}): Promise<T> {
  checkOptionNames(options, getOptionNames, "Client.getDataset");
  checkName(name);
  const missingOk = Object.hasOwn(options, "default");
  return requestTaking(client, { op: "dataset-get", name, ...(missingOk ? { missingOk } : {}) }, [], (reply) => {
    const result = reply.result as { value: unknown; keys: KeyReport[] } | { missing: true };
    if ("missing" in result) return options.default as T;
    return futuresFromRefs(client, unpackPayload(result.value, reply.frames, (key) => new TaskRef(key)), result.keys) as T;
  });
}

export async function listDatasets(client: CoordinationClient): Promise<string[]> {
  const reply = await request(client, { op: "dataset-list" });
  return reply.result as string[];
}

/** Removes a dataset (its results are let go unless something else holds them); raises naming an unknown one. */
export async function unpublishDataset(client: CoordinationClient, name: string): Promise<void> {
  checkName(name);
  await request(client, { op: "dataset-unpublish", name });
}
