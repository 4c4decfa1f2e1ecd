/**
 * A FAKE Kubernetes API server, for tests: no real one can run on these machines. It speaks
 * the real REST and watch protocol of the core/v1 objects tessera uses — pods, services,
 * secrets, events — over HTTPS with bearer tokens, as `@kubernetes/client-node` and kubectl
 * talk to a real one:
 *
 *  - `GET …/namespaces/{ns}/{resource}` lists (labelSelector, fieldSelector, the list's
 *    resourceVersion); with `?watch=true` it streams JSON lines {"type": ADDED | MODIFIED |
 *    DELETED | ERROR, "object": …} from a resourceVersion (410 Gone once compacted),
 *    `timeoutSeconds` ends the stream; `GET …/{name}`, `POST` (generateName, 409
 *    AlreadyExists), `DELETE` (graceful for pods; Background / Orphan propagation; the
 *    garbage collector deletes objects whose ownerReferences all point to deleted owners),
 *    `PATCH` (JSON patch, merge patch), `GET …/pods/{name}/log`;
 *  - refusals are Status objects with the real reasons: 401 Unauthorized, 403 Forbidden
 *    (`forbid(namespace)`), 404 NotFound (namespaces "x" not found), 409 AlreadyExists,
 *    400 BadRequest ("strict decoding error: unknown field …"), 422 Invalid;
 *  - every object received and sent is checked against the Kubernetes OpenAPI schemas
 *    (fake-kube-schema.ts): bad requests are refused, and anything the fake itself got wrong
 *    is collected in `schemaProblems` (tests assert it is empty).
 * Its fake kubelet (fake-kubelet.ts) runs each pod's container as a real local process, and
 * its fake kube-proxy (fake-kube-proxy.ts) serves the Services. Test-only knobs inject what
 * a test needs: forbidden namespaces, failing lists, closed watches, a compacted history.
 * Limits, as fakes: one node, one container per pod, secret volumes only.
 */
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { makeTemporaryCertificate, temporaryCommonName } from "../../src/comm/temporary-certificate.js";
import { ConflictError, FakeKubeStore, labelMatcher, type KubeObject, type Resource, type StoreEvent } from "./fake-kube-store.js";
import { FakeKubelet, type FakeImage } from "./fake-kubelet.js";
import { FakeKubeProxy } from "./fake-kube-proxy.js";
import { kindOf, objectProblems, statusProblems } from "./fake-kube-schema.js";
import { defaultNode, type FakeNodeShape } from "./fake-node.js";
import { applyPatch } from "./fake-kube-patch.js";

export interface FakeKubeApiServerOptions {
  images?: Record<string, FakeImage>;
  /** Namespaces that exist (default ["default"]). */
  namespaces?: string[];
  node?: Partial<FakeNodeShape>;
  /** First back-off of image pulls and crash restarts (default 100 ms). */
  backoffMs?: number;
  /** How often container memory is measured (default 100 ms). */
  memoryCheckMs?: number;
  /** Copy container output to stderr (default: $FAKE_KUBE_ECHO_LOGS set). */
  echoLogs?: boolean;
}

export interface RequestRecord {
  method: string;
  verb: string;
  resource: string;
  namespace: string | null;
  name: string | null;
  status: number;
}

interface Route {
  namespace: string | null;
  resource: Resource;
  name: string | null;
  log: boolean;
}

const resources: ReadonlySet<string> = new Set(["pods", "services", "secrets", "events"]);
const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const dns1035Label = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export class FakeKubeApiServer {
  readonly store = new FakeKubeStore();
  kubelet!: FakeKubelet;
  readonly proxy: FakeKubeProxy;
  readonly requests: RequestRecord[] = [];
  /** Objects the fake produced that break the Kubernetes schema: a bug of the fake. */
  readonly schemaProblems: string[] = [];
  readonly token = randomBytes(16).toString("hex");
  readonly user = "tessera-tester";
  readonly ca: string;
  private readonly namespaces: Set<string>;
  private readonly forbidden = new Map<string, { verbs: Set<string> | null; resources: Set<string> | null }>();
  private readonly failingLists = new Set<string>();
  private readonly openWatches = new Set<ServerResponse>();
  private readonly addressBlock = 100 + Math.floor(Math.random() * 150);
  private nextServiceAddress = 2;
  private server!: Server;
  private port = 0;

  private constructor(options: FakeKubeApiServerOptions, certificate: { cert: string; key: string }) {
    this.ca = certificate.cert;
    this.namespaces = new Set(options.namespaces ?? ["default"]);
    this.server = createServer({ cert: certificate.cert, key: certificate.key }, (request, response) => void this.handle(request, response));
    this.proxy = new FakeKubeProxy(this.store);
  }

  static async start(options: FakeKubeApiServerOptions = {}): Promise<FakeKubeApiServer> {
    const fake = new FakeKubeApiServer(options, makeTemporaryCertificate());
    await new Promise<void>((resolve) => fake.server.listen(0, "127.0.0.1", resolve));
    fake.port = (fake.server.address() as AddressInfo).port;
    fake.kubelet = new FakeKubelet(fake.store, {
      images: options.images ?? {}, node: { ...defaultNode, ...options.node }, apiServer: { host: "127.0.0.1", port: fake.port },
      addressBlock: fake.addressBlock, backoffMs: options.backoffMs ?? 100, memoryCheckMs: options.memoryCheckMs ?? 100,
      echoLogs: options.echoLogs ?? Boolean(process.env.FAKE_KUBE_ECHO_LOGS),
    });
    fake.store.subscribe((event) => fake.collectGarbage(event));
    fake.kubelet.start();
    fake.proxy.start();
    return fake;
  }

  get url(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  /** A kubeconfig for this server (the CA inline, the token as the user's); `currentContext: null` leaves it unset. */
  writeKubeconfig(path: string, options: { namespace?: string; currentContext?: string | null } = {}): void {
    const lines = [
      "apiVersion: v1", "kind: Config",
      "clusters:", "- name: fake", "  cluster:", `    server: ${this.url}`,
      `    certificate-authority-data: ${Buffer.from(this.ca).toString("base64")}`, `    tls-server-name: ${temporaryCommonName}`,
      "users:", `- name: ${this.user}`, "  user:", `    token: ${this.token}`,
      "contexts:", "- name: fake", "  context:", "    cluster: fake", `    user: ${this.user}`,
      ...(options.namespace ? [`    namespace: ${options.namespace}`] : []),
      ...(options.currentContext === null ? [] : [`current-context: ${options.currentContext ?? "fake"}`]),
    ];
    writeFileSync(path, `${lines.join("\n")}\n`, { mode: 0o600 });
  }

  // ---- knobs for tests ----

  /** Requests in `namespace` are refused with 403: all, or those of the verbs and resources given. */
  forbid(namespace: string, verbs?: string[], resources?: Resource[]): void {
    this.forbidden.set(namespace, { verbs: verbs ? new Set(verbs) : null, resources: resources ? new Set(resources) : null });
  }

  /** Lists (not watches) of `resource` fail with 503 while set. */
  failLists(resource: Resource, failing: boolean): void {
    if (failing) this.failingLists.add(resource);
    else this.failingLists.delete(resource);
  }

  /** Ends every open watch stream (as a server does after its watch timeout). */
  closeWatches(): void {
    for (const response of this.openWatches) response.end();
    this.openWatches.clear();
  }

  compactHistory(): void {
    this.store.compact();
  }

  addNamespace(name: string): void {
    this.namespaces.add(name);
  }

  async close(): Promise<void> {
    this.closeWatches();
    await this.kubelet.close();
    await this.proxy.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---- requests ----

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", this.url);
    const route = parseRoute(url.pathname);
    const method = request.method ?? "GET";
    if (process.env.FAKE_KUBE_DEBUG) process.stderr.write(`fake-kube: ${method} ${request.url}\n`);
    const record: RequestRecord = { method, verb: "", resource: route?.resource ?? url.pathname, namespace: route?.namespace ?? null, name: route?.name ?? null, status: 0 };
    this.requests.push(record);
    const reply = (status: number, body: unknown) => {
      record.status = status;
      this.send(response, status, body);
    };
    if (request.headers.authorization !== `Bearer ${this.token}`) return reply(401, failure(401, "Unauthorized", "Unauthorized"));
    if (url.pathname === "/version") return reply(200, { major: "1", minor: "31", gitVersion: "v1.31.0-fake" });
    if (!route) return reply(404, failure(404, "NotFound", "the server could not find the requested resource"));
    const watch = ["true", "1"].includes(url.searchParams.get("watch") ?? "");
    const verb = route.log ? "get" : verbOf(method, route.name !== null, watch);
    record.verb = verb;
    const rule = route.namespace !== null ? this.forbidden.get(route.namespace) : undefined;
    if (rule && (!rule.verbs || rule.verbs.has(verb)) && (!rule.resources || rule.resources.has(route.resource))) {
      const resource = route.log ? "pods/log" : route.resource;
      return reply(403, failure(403, "Forbidden", `${resource} is forbidden: User "${this.user}" cannot ${verb} resource "${resource}" in API group "" in the namespace "${route.namespace}"`, { kind: route.resource }));
    }
    try {
      const body = ["POST", "PATCH", "PUT"].includes(method) ? await readBody(request) : "";
      if (watch) return this.watch(route, url, request, response, record);
      const [status, result] = this.dispatch(route, method, url, body, request.headers["content-type"] ?? "");
      if (typeof result === "string") {
        record.status = status;
        response.writeHead(status, { "content-type": "text/plain" }).end(result);
        return;
      }
      reply(status, result);
    } catch (error) {
      reply(500, failure(500, "InternalError", `fake API server: ${(error as Error).stack ?? String(error)}`));
    }
  }

  private dispatch(route: Route, method: string, url: URL, body: string, contentType: string): [number, unknown] {
    const { resource, name } = route;
    const namespace = route.namespace;
    if (route.log) return this.podLog(namespace ?? "", name ?? "", url);
    if (name === null) {
      if (method === "GET") {
        if (this.failingLists.has(resource)) return [503, failure(503, "ServiceUnavailable", "the fake API server was told to fail lists")];
        return this.list(resource, namespace, url);
      }
      if (method === "POST" && namespace !== null) return this.create(resource, namespace, body);
      return [405, failure(405, "MethodNotAllowed", `the fake API server does not implement ${method} on a collection`)];
    }
    if (namespace === null) return [404, failure(404, "NotFound", "the server could not find the requested resource")];
    const notFound = () => failure(404, "NotFound", `${resource} "${name}" not found`, { name, kind: resource });
    switch (method) {
      case "GET": {
        const object = this.store.get(resource, namespace, name);
        return object ? [200, this.outgoing(resource, object)] : [404, notFound()];
      }
      case "DELETE":
        return this.delete(resource, namespace, name, url, body);
      case "PATCH":
        return this.patch(resource, namespace, name, body, contentType);
      default:
        return [405, failure(405, "MethodNotAllowed", `the fake API server does not implement ${method}`)];
    }
  }

  private list(resource: Resource, namespace: string | null, url: URL): [number, unknown] {
    let items: KubeObject[];
    try {
      items = this.store.list(resource, namespace, url.searchParams.get("labelSelector"), url.searchParams.get("fieldSelector"));
    } catch (error) {
      return [400, failure(400, "BadRequest", (error as Error).message)];
    }
    // A list's items carry no kind and apiVersion; the list says them once.
    const listed = items.map((item) => {
      const { apiVersion: _apiVersion, kind: _kind, ...rest } = this.outgoing(resource, item);
      return rest;
    });
    return [200, { kind: `${kindOf(resource)}List`, apiVersion: "v1", metadata: { resourceVersion: String(this.store.currentRevision) }, items: listed }];
  }

  private create(resource: Resource, namespace: string, body: string): [number, unknown] {
    let object: KubeObject;
    try {
      object = JSON.parse(body) as KubeObject;
    } catch (error) {
      return [400, failure(400, "BadRequest", `the body is not JSON: ${(error as Error).message}`)];
    }
    if (object.kind !== kindOf(resource) || object.apiVersion !== "v1") {
      return [400, failure(400, "BadRequest", `the API version in the data (${object.apiVersion}) and kind (${object.kind}) do not match ${kindOf(resource)} v1`)];
    }
    const metadata = (object.metadata ?? {}) as KubeObject["metadata"];
    object.metadata = metadata;
    if (metadata.namespace && metadata.namespace !== namespace) {
      return [400, failure(400, "BadRequest", "the namespace of the provided object does not match the namespace sent on the request")];
    }
    if (!this.namespaces.has(namespace)) return [404, failure(404, "NotFound", `namespaces "${namespace}" not found`, { name: namespace, kind: "namespaces" })];
    metadata.namespace = namespace;
    if (!metadata.name && metadata.generateName) metadata.name = `${metadata.generateName}${randomName()}`;
    const invalid = this.invalid(resource, object);
    if (invalid) return invalid;
    if (resource === "pods") defaultPod(object);
    if (resource === "services") this.defaultService(object);
    try {
      return [201, this.outgoing(resource, this.store.create(resource, object))];
    } catch (error) {
      if (error instanceof ConflictError) return [409, failure(409, "AlreadyExists", `${resource} "${metadata.name}" already exists`, { name: metadata.name, kind: resource })];
      throw error;
    }
  }

  /** A refusal of an object a client sent, or null when it is acceptable. */
  private invalid(resource: Resource, object: KubeObject): [number, unknown] | null {
    const { name, labels } = object.metadata;
    const invalid = (message: string) => [422, failure(422, "Invalid", `${kindOf(resource)} "${name ?? ""}" is invalid: ${message}`, { name, kind: resource })] as [number, unknown];
    if (!name) return invalid("metadata.name: Required value: name or generateName is required");
    const nameRule = resource === "services" ? dns1035Label : dns1123Subdomain;
    if (!nameRule.test(name) || name.length > (resource === "services" ? 63 : 253)) return invalid(`metadata.name: Invalid value: "${name}": a lowercase RFC 1123 name is required`);
    for (const [key, value] of Object.entries(labels ?? {})) {
      if (value.length > 63 || !labelValue.test(value)) return invalid(`metadata.labels: Invalid value: "${value}" (label ${key}): must be 63 characters or less, alphanumeric, '-', '_' or '.'`);
    }
    const unknown = objectProblems(resource, object);
    const strict = unknown.filter((problem) => problem.includes("is not a field of"));
    if (strict.length > 0) return [400, failure(400, "BadRequest", `strict decoding error: unknown field "${strict.map((p) => p.split(":")[0]).join('", "')}"`)];
    if (unknown.length > 0) return invalid(unknown.join("; "));
    if (resource === "pods") {
      const containers = (object.spec as { containers: unknown[] }).containers;
      if (containers.length !== 1) return invalid("spec.containers: the FAKE kubelet runs pods of exactly one container");
    }
    return null;
  }

  private defaultService(service: KubeObject): void {
    const spec = service.spec as { type?: string; clusterIP?: string; clusterIPs?: string[]; ports?: Array<{ port: number; protocol?: string; targetPort?: number | string }> };
    spec.type ??= "ClusterIP";
    if (spec.clusterIP !== "None") {
      spec.clusterIP = `127.${this.addressBlock}.200.${this.nextServiceAddress++}`;
      spec.clusterIPs = [spec.clusterIP];
    }
    for (const port of spec.ports ?? []) {
      port.protocol ??= "TCP";
      port.targetPort ??= port.port;
    }
    if (spec.type === "LoadBalancer") {
      // The cloud's load balancer: its address appears in the status a moment later.
      const { namespace, name } = service.metadata;
      const ingress = `127.${this.addressBlock}.201.${this.nextServiceAddress}`;
      setTimeout(() => this.store.modify("services", namespace, name, (s) => {
        s.status = { loadBalancer: { ingress: [{ ip: ingress, ipMode: "VIP" }] } };
      }), 50).unref();
    }
    service.status = { loadBalancer: {} };
  }

  private delete(resource: Resource, namespace: string, name: string, url: URL, body: string): [number, unknown] {
    const options = body ? (JSON.parse(body) as { gracePeriodSeconds?: number; propagationPolicy?: string }) : {};
    const grace = url.searchParams.get("gracePeriodSeconds") ?? options.gracePeriodSeconds;
    const propagation = url.searchParams.get("propagationPolicy") ?? options.propagationPolicy ?? "Background";
    if (propagation !== "Background" && propagation !== "Orphan") {
      return [400, failure(400, "BadRequest", `the FAKE API server implements propagationPolicy Background and Orphan, not ${propagation}`)];
    }
    const object = this.store.get(resource, namespace, name);
    if (!object) return [404, failure(404, "NotFound", `${resource} "${name}" not found`, { name, kind: resource })];
    if (propagation === "Orphan") this.orphanDependents(object);
    const result = resource === "pods" ? this.deletePod(object, grace === undefined || grace === null ? undefined : Number(grace)) : this.store.remove(resource, namespace, name);
    return [200, this.outgoing(resource, result ?? object)];
  }

  /** Graceful deletion: a running pod gets a deletionTimestamp; the kubelet stops it and removes it. */
  private deletePod(pod: KubeObject, graceSeconds: number | undefined): KubeObject | undefined {
    const { namespace, name } = pod.metadata;
    const spec = pod.spec as { nodeName?: string; terminationGracePeriodSeconds?: number };
    const phase = (pod.status as { phase?: string } | undefined)?.phase;
    const grace = graceSeconds ?? spec.terminationGracePeriodSeconds ?? 30;
    if (!spec.nodeName || phase === "Succeeded" || phase === "Failed" || grace === 0) return this.store.remove("pods", namespace, name);
    if (pod.metadata.deletionTimestamp) return pod;
    return this.store.modify("pods", namespace, name, (p) => {
      p.metadata.deletionTimestamp = new Date(Date.now() + grace * 1000).toISOString().replace(/\.\d+Z$/, "Z");
      p.metadata.deletionGracePeriodSeconds = grace;
    });
  }

  private orphanDependents(owner: KubeObject): void {
    for (const resource of ["pods", "services", "secrets"] as const) {
      for (const dependent of this.store.list(resource, owner.metadata.namespace)) {
        if (!dependent.metadata.ownerReferences?.some((ref) => ref.uid === owner.metadata.uid)) continue;
        this.store.modify(resource, dependent.metadata.namespace, dependent.metadata.name, (d) => {
          d.metadata.ownerReferences = d.metadata.ownerReferences?.filter((ref) => ref.uid !== owner.metadata.uid);
        });
      }
    }
  }

  /** The garbage collector: an object all of whose owners are gone is deleted. */
  private collectGarbage(event: StoreEvent): void {
    if (event.type !== "DELETED") return;
    const gone = event.object.metadata.uid;
    for (const resource of ["pods", "services", "secrets"] as const) {
      for (const dependent of this.store.list(resource, event.object.metadata.namespace)) {
        const owners = dependent.metadata.ownerReferences ?? [];
        if (!owners.some((ref) => ref.uid === gone)) continue;
        const alive = owners.some((ref) => ["pods", "services", "secrets"].some((r) => this.store.list(r as Resource, dependent.metadata.namespace).some((o) => o.metadata.uid === ref.uid)));
        if (alive) continue;
        if (resource === "pods") this.deletePod(dependent, undefined);
        else this.store.remove(resource, dependent.metadata.namespace, dependent.metadata.name);
      }
    }
  }

  private patch(resource: Resource, namespace: string, name: string, body: string, contentType: string): [number, unknown] {
    const current = this.store.get(resource, namespace, name);
    if (!current) return [404, failure(404, "NotFound", `${resource} "${name}" not found`, { name, kind: resource })];
    let patched: KubeObject;
    try {
      patched = applyPatch(current, JSON.parse(body), contentType.split(";")[0].trim());
    } catch (error) {
      return [(error as { status?: number }).status ?? 422, failure((error as { status?: number }).status ?? 422, "Invalid", (error as Error).message)];
    }
    const invalid = this.invalid(resource, patched);
    if (invalid) return invalid;
    return [200, this.outgoing(resource, this.store.update(resource, patched))];
  }

  private podLog(namespace: string, name: string, url: URL): [number, unknown] {
    const pod = this.store.get("pods", namespace, name);
    if (!pod) return [404, failure(404, "NotFound", `pods "${name}" not found`, { name, kind: "pods" })];
    const log = this.kubelet.logOf(namespace, name);
    if (log === null) {
      const container = (pod.spec as { containers: Array<{ name: string }> }).containers[0].name;
      return [400, failure(400, "BadRequest", `container "${container}" in pod "${name}" is waiting to start: ContainerCreating`)];
    }
    const tail = Number(url.searchParams.get("tailLines") ?? NaN);
    const lines = log.split("\n");
    return [200, Number.isFinite(tail) ? lines.slice(-tail - 1).join("\n") : log];
  }

  private watch(route: Route, url: URL, request: IncomingMessage, response: ServerResponse, record: RequestRecord): void {
    let matchLabels: (labels: Record<string, string>) => boolean;
    try {
      matchLabels = labelMatcher(url.searchParams.get("labelSelector") ?? "");
    } catch (error) {
      record.status = 400;
      this.send(response, 400, failure(400, "BadRequest", (error as Error).message));
      return;
    }
    record.status = 200;
    response.writeHead(200, { "content-type": "application/json", "transfer-encoding": "chunked" });
    response.flushHeaders();
    this.openWatches.add(response);
    const matches = (event: StoreEvent) => event.resource === route.resource &&
      (route.namespace === null || event.object.metadata.namespace === route.namespace) && matchLabels(event.object.metadata.labels ?? {});
    const write = (event: StoreEvent) => response.write(`${JSON.stringify({ type: event.type, object: this.outgoing(event.resource, event.object) })}\n`);
    const from = url.searchParams.get("resourceVersion") ?? "";
    if (from === "" || from === "0") {
      for (const object of this.store.list(route.resource, route.namespace)) {
        if (matchLabels(object.metadata.labels ?? {})) write({ type: "ADDED", resource: route.resource, object, revision: 0 });
      }
    } else {
      const replay = this.store.eventsAfter(Number(from));
      if (replay === "expired") {
        response.write(`${JSON.stringify({ type: "ERROR", object: failure(410, "Expired", `too old resource version: ${from}`) })}\n`);
        response.end();
        this.openWatches.delete(response);
        return;
      }
      for (const event of replay) if (matches(event)) write(event);
    }
    const unsubscribe = this.store.subscribe((event) => {
      if (matches(event)) write(event);
    });
    const seconds = Number(url.searchParams.get("timeoutSeconds") ?? NaN);
    const timer = Number.isFinite(seconds) ? setTimeout(() => response.end(), seconds * 1000) : null;
    const finish = () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
      this.openWatches.delete(response);
    };
    response.once("close", finish);
    request.once("close", finish);
  }

  /** An object on its way out, checked against the schema (problems are the fake's bugs). */
  private outgoing(resource: Resource, object: KubeObject): KubeObject {
    const problems = objectProblems(resource, object);
    if (problems.length > 0) this.schemaProblems.push(`${resource} ${object.metadata.name}: ${problems.join("; ")}`);
    return object;
  }

  private send(response: ServerResponse, status: number, body: unknown): void {
    if (typeof body === "object" && body !== null && (body as { kind?: string }).kind === "Status") {
      const problems = statusProblems(body);
      if (problems.length > 0) this.schemaProblems.push(`Status: ${problems.join("; ")}`);
    }
    response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  }
}

function parseRoute(path: string): Route | null {
  const parts = path.split("/").filter(Boolean);
  if (parts[0] !== "api" || parts[1] !== "v1") return null;
  if (parts.length === 3 && resources.has(parts[2])) return { namespace: null, resource: parts[2] as Resource, name: null, log: false };
  if (parts[2] !== "namespaces" || parts.length < 5 || !resources.has(parts[4])) return null;
  const [namespace, resource, name, sub] = [parts[3], parts[4] as Resource, parts[5] ?? null, parts[6]];
  if (parts.length > 7 || (sub !== undefined && !(sub === "log" && resource === "pods"))) return null;
  return { namespace, resource, name, log: sub === "log" };
}

function verbOf(method: string, named: boolean, watch: boolean): string {
  if (method === "GET") return watch ? "watch" : named ? "get" : "list";
  return { POST: "create", PUT: "update", PATCH: "patch", DELETE: named ? "delete" : "deletecollection" }[method] ?? method.toLowerCase();
}

export function failure(code: number, reason: string, message: string, details?: { name?: string; kind?: string }): object {
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, ...(details ? { details } : {}), code };
}

function defaultPod(pod: KubeObject): void {
  const spec = pod.spec as { restartPolicy?: string; terminationGracePeriodSeconds?: number; dnsPolicy?: string; schedulerName?: string };
  spec.restartPolicy ??= "Always";
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= "ClusterFirst";
  spec.schedulerName ??= "default-scheduler";
  pod.status = { phase: "Pending", qosClass: "Burstable" };
}

function randomName(): string {
  const alphabet = "bcdfghjklmnpqrstvwxz2456789";
  return Array.from(randomBytes(5), (byte) => alphabet[byte % alphabet.length]).join("");
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
