/**
 * How the FAKE API server checks the objects it receives and sends against Kubernetes' own
 * OpenAPI schemas: `kubernetes-models` validates required fields and types (its JSON schemas
 * are generated from the Kubernetes OpenAPI document), and the client's model classes
 * (src/kubernetes/object-shape.ts) catch fields the schema does not know, which the real
 * server (fieldValidation=Strict) refuses as "unknown field".
 */
import { Event } from "kubernetes-models/v1/Event";
import { Pod } from "kubernetes-models/v1/Pod";
import { Secret } from "kubernetes-models/v1/Secret";
import { Service } from "kubernetes-models/v1/Service";
import { Status } from "@kubernetes-models/apimachinery/apis/meta/v1/Status";
import { shapeProblems } from "../../src/kubernetes/object-shape.js";
import type { Resource } from "./fake-kube-store.js";

const kinds: Record<Resource, { kind: string; model: string; validate(data: object): void }> = {
  pods: { kind: "Pod", model: "V1Pod", validate: (data) => new Pod(data as never).validate() },
  services: { kind: "Service", model: "V1Service", validate: (data) => new Service(data as never).validate() },
  secrets: { kind: "Secret", model: "V1Secret", validate: (data) => new Secret(data as never).validate() },
  events: { kind: "Event", model: "CoreV1Event", validate: (data) => new Event(data as never).validate() },
};

export const kindOf = (resource: Resource) => kinds[resource].kind;

/** Problems of an object of `resource` (empty when it is valid): schema violations and unknown fields. */
export function objectProblems(resource: Resource, object: unknown): string[] {
  const { model, validate } = kinds[resource];
  const problems = shapeProblems(object, model).map((p) => `${p.path}: ${p.problem}`);
  try {
    validate(object as object);
  } catch (error) {
    problems.push((error as Error).message);
  }
  return problems;
}

export function statusProblems(status: object): string[] {
  try {
    new Status(status as never).validate();
    return shapeProblems(status, "V1Status").map((p) => `${p.path}: ${p.problem}`);
  } catch (error) {
    return [(error as Error).message];
  }
}
