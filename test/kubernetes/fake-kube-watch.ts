/**
 * The watch protocol of the FAKE API server: `GET …?watch=true` answers 200 at once and then
 * streams one JSON line per change, {"type": "ADDED" | "MODIFIED" | "DELETED", "object": …}:
 * without a resourceVersion (or "0") first an ADDED for each object there is, else every
 * change after that resourceVersion — or, when the history no longer reaches back that far,
 * one {"type": "ERROR", "object": Status 410 Expired} and the end of the stream, as a real
 * server after etcd compaction. `timeoutSeconds` ends the stream, as on a real server.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { labelMatcher, type FakeKubeStore, type KubeObject, type Resource, type StoreEvent } from "./fake-kube-store.js";
import { failure } from "./fake-kube-status.js";

export interface WatchHooks {
  /** Every object sent passes here (the schema check). */
  outgoing(resource: Resource, object: KubeObject): KubeObject;
  opened(stream: ServerResponse): void;
  closed(stream: ServerResponse): void;
}

/** Serves one watch request; returns the HTTP status it answered with. */
export function serveWatch(store: FakeKubeStore, target: { resource: Resource; namespace: string | null }, url: URL, request: IncomingMessage, response: ServerResponse, hooks: WatchHooks): number {
  let matchLabels: (labels: Record<string, string>) => boolean;
  try {
    matchLabels = labelMatcher(url.searchParams.get("labelSelector") ?? "");
  } catch (error) {
    response.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify(failure(400, "BadRequest", (error as Error).message)));
    return 400;
  }
  response.writeHead(200, { "content-type": "application/json", "transfer-encoding": "chunked" });
  response.flushHeaders();
  hooks.opened(response);
  const matches = (event: StoreEvent) => event.resource === target.resource &&
    (target.namespace === null || event.object.metadata.namespace === target.namespace) && matchLabels(event.object.metadata.labels ?? {});
  const write = (event: StoreEvent) => response.write(`${JSON.stringify({ type: event.type, object: hooks.outgoing(event.resource, event.object) })}\n`);
  const from = url.searchParams.get("resourceVersion") ?? "";
  if (from === "" || from === "0") {
    for (const object of store.list(target.resource, target.namespace)) {
      if (matchLabels(object.metadata.labels ?? {})) write({ type: "ADDED", resource: target.resource, object, revision: 0 });
    }
  } else {
    const replay = store.eventsAfter(Number(from));
    if (replay === "expired") {
      response.write(`${JSON.stringify({ type: "ERROR", object: failure(410, "Expired", `too old resource version: ${from}`) })}\n`);
      response.end();
      hooks.closed(response);
      return 200;
    }
    for (const event of replay) if (matches(event)) write(event);
  }
  const unsubscribe = store.subscribe((event) => {
    if (matches(event)) write(event);
  });
  const seconds = Number(url.searchParams.get("timeoutSeconds") ?? NaN);
  const timer = Number.isFinite(seconds) ? setTimeout(() => response.end(), seconds * 1000) : null;
  const finish = () => {
    unsubscribe();
    if (timer) clearTimeout(timer);
    hooks.closed(response);
  };
  response.once("close", finish);
  request.once("close", finish);
  return 200;
}
