/**
 * The FAKE kube-proxy: each Service of the fake cluster listens on its ClusterIP (a
 * loopback address of the fake cluster's block) — and a LoadBalancer Service also on its
 * ingress address, once the fake cloud assigned one — on each of its ports, and forwards every
 * connection to a ready endpoint — a pod of the namespace that matches the Service's
 * selector, is Running and Ready — at its pod IP and target port. A connection with no ready
 * endpoint is refused (closed), as kube-proxy rejects it.
 */
import { createServer, connect, type Server, type Socket } from "node:net";
import type { FakeKubeStore, KubeObject, StoreEvent } from "./fake-kube-store.js";

interface ServicePort {
  port: number;
  targetPort?: number | string;
}

export class FakeKubeProxy {
  private readonly listeners = new Map<string, Server[]>();
  private readonly addresses = new Map<string, Set<string>>();
  private readonly sockets = new Set<Socket>();
  private unsubscribe: () => void = () => {};

  constructor(private readonly store: FakeKubeStore) {}

  start(): void {
    this.unsubscribe = this.store.subscribe((event) => this.onEvent(event));
  }

  private onEvent(event: StoreEvent): void {
    if (event.resource !== "services") return;
    const id = `${event.object.metadata.namespace}/${event.object.metadata.name}`;
    if (event.type === "DELETED") this.stop(id);
    else this.listen(id, event.object);
  }

  /** Listens on the Service's addresses it does not listen on yet. */
  private listen(id: string, service: KubeObject): void {
    const spec = service.spec as { clusterIP?: string; ports?: ServicePort[] };
    const ingress = (service.status as { loadBalancer?: { ingress?: Array<{ ip?: string }> } } | undefined)?.loadBalancer?.ingress ?? [];
    const addresses = [spec.clusterIP, ...ingress.map((entry) => entry.ip)].filter((ip): ip is string => Boolean(ip) && ip !== "None");
    const servers = this.listeners.get(id) ?? [];
    const bound = this.addresses.get(id) ?? new Set<string>();
    for (const address of addresses.filter((a) => !bound.has(a))) {
      bound.add(address);
      for (const port of spec.ports ?? []) {
        const server = createServer((socket) => this.forward(service, port, socket));
        server.on("error", (error) => process.stderr.write(`fake kube-proxy: ${id} ${address}:${port.port}: ${error.message}\n`));
        server.listen(port.port, address);
        servers.push(server);
      }
    }
    this.listeners.set(id, servers);
    this.addresses.set(id, bound);
  }

  private forward(service: KubeObject, port: ServicePort, socket: Socket): void {
    this.sockets.add(socket);
    socket.once("close", () => this.sockets.delete(socket));
    const endpoint = this.readyEndpoint(service);
    if (!endpoint) {
      socket.destroy();
      return;
    }
    const target = typeof port.targetPort === "number" ? port.targetPort : Number(port.targetPort ?? port.port);
    const upstream = connect({ host: endpoint, port: target });
    this.sockets.add(upstream);
    upstream.once("close", () => this.sockets.delete(upstream));
    socket.pipe(upstream).pipe(socket);
    const end = () => {
      socket.destroy();
      upstream.destroy();
    };
    socket.once("error", end);
    upstream.once("error", end);
    socket.once("close", end);
    upstream.once("close", end);
  }

  private readyEndpoint(service: KubeObject): string | null {
    const selector = (service.spec as { selector?: Record<string, string> }).selector ?? {};
    const pods = this.store.list("pods", service.metadata.namespace, Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(","));
    const ready = pods.find((pod) => {
      const status = pod.status as { phase?: string; podIP?: string; conditions?: Array<{ type: string; status: string }> } | undefined;
      return status?.phase === "Running" && status.podIP && !pod.metadata.deletionTimestamp &&
        status.conditions?.some((c) => c.type === "Ready" && c.status === "True");
    });
    return (ready?.status as { podIP?: string } | undefined)?.podIP ?? null;
  }

  private stop(id: string): void {
    for (const server of this.listeners.get(id) ?? []) server.close();
    this.listeners.delete(id);
    this.addresses.delete(id);
  }

  async close(): Promise<void> {
    this.unsubscribe();
    for (const socket of this.sockets) socket.destroy();
    await Promise.all([...this.listeners.values()].flat().map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
    this.listeners.clear();
  }
}
