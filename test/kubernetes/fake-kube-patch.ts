/**
 * PATCH bodies as the FAKE API server applies them: JSON patch (RFC 6902: add, replace,
 * remove, test) and JSON merge patch (RFC 7386; a strategic merge patch is applied as a merge
 * patch, which is the same for the maps tessera patches). Server-side apply is refused (415).
 */
import type { KubeObject } from "./fake-kube-store.js";

class PatchError extends Error {
  constructor(message: string, readonly status = 422) {
    super(message);
  }
}

export function applyPatch(object: KubeObject, patch: unknown, contentType: string): KubeObject {
  const target = structuredClone(object) as unknown as Record<string, unknown>;
  if (contentType === "application/json-patch+json") {
    if (!Array.isArray(patch)) throw new PatchError("a JSON patch must be a list of operations", 400);
    for (const operation of patch as Array<{ op: string; path: string; value?: unknown }>) applyOperation(target, operation);
    return target as unknown as KubeObject;
  }
  if (contentType === "application/merge-patch+json" || contentType === "application/strategic-merge-patch+json") {
    return mergePatch(target, patch) as unknown as KubeObject;
  }
  throw new PatchError(`the fake API server does not apply patches of type ${contentType}`, 415);
}

function applyOperation(target: Record<string, unknown>, operation: { op: string; path: string; value?: unknown }): void {
  const parts = operation.path.split("/").slice(1).map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"));
  const last = parts.pop();
  if (last === undefined) throw new PatchError(`invalid path ${operation.path}`);
  let at: unknown = target;
  for (const part of parts) {
    if (typeof at !== "object" || at === null) throw new PatchError(`path ${operation.path}: ${part} does not exist`);
    const next = (at as Record<string, unknown>)[part];
    if (next === undefined && operation.op === "add") (at as Record<string, unknown>)[part] = {};
    at = (at as Record<string, unknown>)[part];
  }
  if (typeof at !== "object" || at === null) throw new PatchError(`path ${operation.path} does not exist`);
  const container = at as Record<string, unknown>;
  switch (operation.op) {
    case "add":
    case "replace":
      if (operation.op === "replace" && !(last in container)) throw new PatchError(`replace at ${operation.path}: nothing there`);
      if (Array.isArray(container) && last === "-") container.push(operation.value);
      else container[last] = operation.value;
      return;
    case "remove":
      if (!(last in container)) throw new PatchError(`remove at ${operation.path}: nothing there`);
      delete container[last];
      return;
    case "test":
      if (JSON.stringify(container[last]) !== JSON.stringify(operation.value)) throw new PatchError(`test at ${operation.path} failed`);
      return;
    default:
      throw new PatchError(`the fake API server does not apply JSON patch operation "${operation.op}"`, 400);
  }
}

function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== "object" || patch === null || Array.isArray(patch)) return patch;
  const result: Record<string, unknown> = typeof target === "object" && target !== null && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}
