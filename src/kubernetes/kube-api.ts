/**
 * The few Kubernetes API calls a KubeCluster makes (pods, their logs, services and secrets in
 * one namespace), through `@kubernetes/client-node`, with its failures turned into errors that
 * say what was refused, where, and what to do: a 403 names the namespace, the verb and the
 * resource (and the RBAC rule to ask for), a 404 on a namespace says it does not exist, an
 * unreachable server names its URL and the kubeconfig it came from.
 */
import { ApiException, CoreV1Api, Watch, type V1Pod, type V1Secret, type V1Service } from "@kubernetes/client-node";
import { TesseraError, errorMessage } from "../core/errors.js";
import type { LoadedKubeConfig } from "./kube-config.js";

/** A refusal or failure of the Kubernetes API, with its HTTP status when there was one. */
export class KubernetesApiError extends TesseraError {
  override name = "KubernetesApiError";
  constructor(message: string, readonly status: number | null, readonly reason: string | null, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export const isNotFound = (error: unknown): boolean => error instanceof KubernetesApiError && error.status === 404;

type Resource = "pods" | "services" | "secrets";

export class KubeApi {
  readonly core: CoreV1Api;
  readonly watch: Watch;

  constructor(readonly kube: LoadedKubeConfig, readonly namespace: string) {
    this.core = kube.config.makeApiClient(CoreV1Api);
    this.watch = new Watch(kube.config);
  }

  createSecret(body: V1Secret): Promise<V1Secret> {
    return this.call("create", "secrets", () => this.core.createNamespacedSecret({ namespace: this.namespace, body }));
  }

  createPod(body: V1Pod): Promise<V1Pod> {
    return this.call("create", "pods", () => this.core.createNamespacedPod({ namespace: this.namespace, body }));
  }

  createService(body: V1Service): Promise<V1Service> {
    return this.call("create", "services", () => this.core.createNamespacedService({ namespace: this.namespace, body }));
  }

  readService(name: string): Promise<V1Service> {
    return this.call("get", "services", () => this.core.readNamespacedService({ name, namespace: this.namespace }));
  }

  listPods(labelSelector: string) {
    return this.call("list", "pods", () => this.core.listNamespacedPod({ namespace: this.namespace, labelSelector }));
  }

  async listServices(labelSelector: string): Promise<V1Service[]> {
    return (await this.call("list", "services", () => this.core.listNamespacedService({ namespace: this.namespace, labelSelector }))).items;
  }

  async listSecrets(labelSelector: string): Promise<V1Secret[]> {
    return (await this.call("list", "secrets", () => this.core.listNamespacedSecret({ namespace: this.namespace, labelSelector }))).items;
  }

  /** The last lines a pod's container wrote ("" when it never started). */
  async podLog(name: string, container: string, tailLines = 20): Promise<string> {
    try {
      return await this.call("get", "pods/log", () => this.core.readNamespacedPodLog({ name, namespace: this.namespace, container, tailLines }));
    } catch (error) {
      if (error instanceof KubernetesApiError && (error.status === 400 || error.status === 404)) return "";
      throw error;
    }
  }

  /** Deletes a pod (its container gets SIGTERM, then `graceSeconds` to exit); a pod already gone is not an error. */
  deletePod(name: string, graceSeconds?: number): Promise<void> {
    return this.deleteIgnoringAbsent("pods", () => this.core.deleteNamespacedPod({
      name, namespace: this.namespace, ...(graceSeconds !== undefined ? { gracePeriodSeconds: graceSeconds } : {}),
    }));
  }

  deleteService(name: string): Promise<void> {
    return this.deleteIgnoringAbsent("services", () => this.core.deleteNamespacedService({ name, namespace: this.namespace }));
  }

  /** Background propagation: the garbage collector also deletes every object the secret owns. */
  deleteSecret(name: string): Promise<void> {
    return this.deleteIgnoringAbsent("secrets", () => this.core.deleteNamespacedSecret({ name, namespace: this.namespace, propagationPolicy: "Background" }));
  }

  /** Sets annotations of a secret (a JSON patch, so nothing else of it is touched). */
  async annotateSecret(name: string, values: Record<string, string>): Promise<void> {
    const body = Object.entries(values).map(([key, value]) => ({ op: "add", path: `/metadata/annotations/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`, value }));
    await this.call("patch", "secrets", () => this.core.patchNamespacedSecret({ name, namespace: this.namespace, body }));
  }

  private async deleteIgnoringAbsent(resource: Resource, request: () => Promise<unknown>): Promise<void> {
    try {
      await this.call("delete", resource, request);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  private async call<T>(verb: string, resource: Resource | "pods/log", request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw this.explain(error, verb, resource);
    }
  }

  private explain(error: unknown, verb: string, resource: string): KubernetesApiError {
    const where = `namespace "${this.namespace}"`;
    const server = `${this.kube.server} (${this.kube.source}, context ${this.kube.context})`;
    if (!(error instanceof ApiException)) {
      return new KubernetesApiError(`cannot reach the Kubernetes API server at ${server} to ${verb} ${resource}: ${errorMessage(error)}`, null, null, { cause: error });
    }
    const status = statusOf(error.body);
    const said = status.message ? `: ${status.message}` : "";
    const code = error.code;
    let message: string;
    if (code === 403) {
      message = `Kubernetes refused to ${verb} ${resource} in ${where} (403 Forbidden)${said}. The account of ${server} needs a Role in ${where} ` +
        `allowing create, get, list, watch and delete on pods, services and secrets (patch on secrets, get on pods/log); or choose a namespace you may write to (option namespace)`;
    } else if (code === 401) {
      message = `the Kubernetes API server at ${server} did not accept the credentials (401 Unauthorized)${said}; renew them (e.g. log in again) and retry`;
    } else if (code === 404 && status.details?.kind === "namespaces") {
      message = `${where} does not exist on ${server} (404)${said}; create it or choose another (option namespace)`;
    } else {
      message = `Kubernetes refused to ${verb} ${resource} in ${where} (${code}${status.reason ? ` ${status.reason}` : ""})${said}`;
    }
    return new KubernetesApiError(message, code, status.reason ?? null, { cause: error });
  }
}

interface StatusBody {
  message?: string;
  reason?: string;
  details?: { kind?: string; name?: string };
}

/** The Status object of a refusal (the client hands it over parsed, or as text). */
function statusOf(body: unknown): StatusBody {
  if (typeof body === "string") {
    try {
      return statusOf(JSON.parse(body));
    } catch {
      return { message: body.slice(0, 500) };
    }
  }
  return typeof body === "object" && body !== null ? (body as StatusBody) : {};
}
