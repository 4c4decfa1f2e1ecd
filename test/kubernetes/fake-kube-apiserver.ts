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
import { fakeApiServerCertificate } from "./fake-kube-certificate.js";
import { ConflictError, FakeKubeStore, type KubeObject, type Resource } from "./fake-kube-store.js";
import { FakeKubelet, type FakeImage } from "./fake-kubelet.js";
import { FakeKubeProxy } from "./fake-kube-proxy.js";
import { kindOf, objectProblems, statusProblems } from "./fake-kube-schema.js";
import { admissionRefusal, defaultPod } from "./fake-kube-admission.js";
import { serveWatch } from "./fake-kube-watch.js";
import { failure } from "./fake-kube-status.js";
import { collectGarbage, deletePod, orphanDependents } from "./fake-kube-deletion.js";
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
    const fake = new FakeKubeApiServer(options, fakeApiServerCertificate());
    await new Promise<void>((resolve) => fake.server.listen(0, "127.0.0.1", resolve));
    fake.port = (fake.server.address() as AddressInfo).port;
    fake.kubelet = new FakeKubelet(fake.store, {
      images: options.images ?? {}, node: { ...defaultNode, ...options.node }, apiServer: { host: "127.0.0.1", port: fake.port },
      addressBlock: fake.addressBlock, backoffMs: options.backoffMs ?? 100, memoryCheckMs: options.memoryCheckMs ?? 100,
      echoLogs: options.echoLogs ?? Boolean(process.env.FAKE_KUBE_ECHO_LOGS),
    });
    fake.store.subscribe((event) => collectGarbage(fake.store, event));
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
      `    certificate-authority-data: ${Buffer.from(this.ca).toString("base64")}`,
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
      if (watch) {
        record.status = serveWatch(this.store, { resource: route.resource, namespace: route.namespace }, url, request, response, {
          outgoing: (resource, object) => this.outgoing(resource, object),
          opened: (stream) => this.openWatches.add(stream),
          closed: (stream) => this.openWatches.delete(stream),
        });
        return;
      }
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
    const invalid = admissionRefusal(resource, object);
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
    if (propagation === "Orphan") orphanDependents(this.store, object);
    const result = resource === "pods" ? deletePod(this.store, object, grace === undefined || grace === null ? undefined : Number(grace)) : this.store.remove(resource, namespace, name);
    return [200, this.outgoing(resource, result ?? object)];
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
    const invalid = admissionRefusal(resource, patched);
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


function randomName(): string {
  const alphabet = "bcdfghjklmnpqrstvwxz2456789";
  return Array.from(randomBytes(5), (byte) => alphabet[byte % alphabet.length]).join("");
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
