/**
 * Named datasets (Dask's PublishExtension): a client publishes futures (or a structure of
 * them) under a name, and any client can get them back by that name, even after the
 * publisher disconnected. A published dataset keeps its futures' keys alive until it is
 * unpublished. Names are unique: publishing over an existing name needs `override`; getting
 * or unpublishing a name nobody published is an error naming it and the names there are.
 */
import type { MessageOf } from "../../../protocol/messages.js";
import { CoordinationError, answer, requireClient, type PeerRequest, type SchedulerExtension } from "./extension-host.js";
import { holderId, type KeyHolders } from "./key-holders.js";

interface Dataset {
  keys: string[];
  /** The published structure as it came (futures as task references), and its frames. */
  value: unknown;
  frames: Uint8Array[];
}

type DatasetOp = "dataset-publish" | "dataset-get" | "dataset-list" | "dataset-unpublish";

export class DatasetExtension implements SchedulerExtension<DatasetOp> {
  private readonly datasets = new Map<string, Dataset>();

  readonly handlers = {
    "dataset-publish": (message: MessageOf<"dataset-publish">, frames: Uint8Array[], request: PeerRequest) => answer(request, message.reqId, () => {
      const what = `dataset ${JSON.stringify(message.name)}`;
      const old = this.datasets.get(message.name);
      if (old && !message.override) throw new CoordinationError(`${what} already exists: unpublish it first, or publish with { override: true }`);
      const holder = holderId("dataset", message.name);
      this.holders.hold(holder, message.keys, what);
      if (old) this.holders.release(holder, old.keys);
      this.datasets.set(message.name, { keys: [...message.keys], value: message.value, frames });
      return { published: message.name };
    }),
    "dataset-get": (message: MessageOf<"dataset-get">, _frames: Uint8Array[], request: PeerRequest) => {
      let dataset: Dataset;
      let reports;
      try {
        requireClient(request, "getting a dataset");
        // With a default (Dask's get_dataset(name, default=...)) a missing name is an answer, not an error.
        if (message.missingOk && !this.datasets.has(message.name)) {
          request.connection.reply(message.reqId, { missing: true });
          return;
        }
        dataset = this.existing(message.name);
        reports = this.holders.giveTo(request.peer, dataset.keys);
      } catch (error) {
        request.connection.replyError(message.reqId, error);
        return;
      }
      request.connection.reply(message.reqId, { value: dataset.value, keys: reports }, dataset.frames);
    },
    "dataset-list": (message: MessageOf<"dataset-list">, _frames: Uint8Array[], request: PeerRequest) => answer(request, message.reqId, () => [...this.datasets.keys()].sort()),
    "dataset-unpublish": (message: MessageOf<"dataset-unpublish">, _frames: Uint8Array[], request: PeerRequest) => answer(request, message.reqId, () => {
      const dataset = this.existing(message.name);
      this.datasets.delete(message.name);
      this.holders.release(holderId("dataset", message.name), dataset.keys);
      return { unpublished: message.name };
    }),
  };

  constructor(private readonly holders: KeyHolders) {}

  private existing(name: string): Dataset {
    const dataset = this.datasets.get(name);
    if (dataset) return dataset;
    const known = [...this.datasets.keys()].sort();
    const list = known.length === 0 ? "no dataset is published" : `published: ${known.slice(0, 20).map((n) => JSON.stringify(n)).join(", ")}${known.length > 20 ? ", …" : ""}`;
    throw new CoordinationError(`dataset ${JSON.stringify(name)} is not published (${list})`);
  }
}
