/**
 * The dashboard's HTTP server, run inside the scheduler process: the pages, the compiled
 * browser app, the live WebSocket feed, the JSON and Prometheus endpoints and the profile
 * data. It reads the scheduler through its read-only view and never changes it.
 *
 * Access: every route except /health needs the dashboard token (see access-token.ts).
 * Address: ":8787" binds `host` on port 8787, "host:port" binds that host; a port already
 * in use falls back to a free one with a warning. close() stops the server, its sockets
 * and its timers; the scheduler closes it on its own close().
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer } from "ws";
import { InvalidOptionError } from "../../core/errors.js";
import { createLogger, type Logger } from "../../core/log.js";
import type { SchedulerView } from "../../scheduler/server/view.js";
import type { SchedulerState } from "../../scheduler/state/scheduler-state.js";
import { DashboardAccess } from "./access-token.js";
import { dashboardCss } from "./dashboard-style.js";
import type { JobsProvider } from "./jobs.js";
import { LiveFeed } from "./live-feed.js";
import { countsJson, identityJson, prometheusMetrics } from "./machine-endpoints.js";
import { dashboardPages, escapeHtml, pageHtml, unauthorizedHtml } from "./page-shell.js";
import { infoPage, type InfoPage } from "./info-pages.js";
import { StaticAssets, webAppDirectory } from "./static-assets.js";
import type { MemoryThresholds } from "./status-snapshot.js";
import { SystemMonitor } from "./system-monitor.js";

export interface DashboardServerOptions {
  view: SchedulerView;
  /** Read (never changed) to summarise large graphs. */
  state: SchedulerState;
  /** ":8787", "host:port", "8787", or ":0" for any free port. */
  address: string;
  /** Host to bind when the address names none. */
  host: string;
  token: string;
  thresholds: MemoryThresholds;
  jobs?: JobsProvider;
  logger?: Logger;
  /** Milliseconds between live updates (default 250: 4 per second). */
  updateIntervalMs?: number;
}

/** Splits a dashboard address into host and port ("" host = the default host). */
export function parseDashboardAddress(address: string): { host: string; port: number } {
  const text = address.trim().replace(/^https?:\/\//, "");
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(text) ?? (/^(\d+)$/.test(text) ? [text, undefined, "", text] : null);
  const port = match ? Number(match[3]) : NaN;
  if (!match || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidOptionError(`dashboardAddress "${address}" is not ":port" or "host:port" (for example ":8787"); pass false for no dashboard`);
  }
  return { host: match[1] ?? match[2] ?? "", port };
}

function hostOfOrigin(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

/** `target` (a path from the dashboard's root) as a link relative to `requestPath`: it works behind a proxy that adds a prefix. */
function relativeToRequest(requestPath: string, target: string): string {
  const depth = requestPath.split("/").length - 2;
  return "../".repeat(Math.max(0, depth)) + target;
}

const securityHeaders = {
  "Content-Security-Policy": "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "Cache-Control": "no-store",
};

export class DashboardServer {
  private readonly server: Server;
  private readonly sockets = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  private readonly access: DashboardAccess;
  private readonly assets = new StaticAssets(webAppDirectory());
  private readonly system = new SystemMonitor();
  private readonly feed: LiveFeed;
  private readonly logger: Logger;
  private closing: Promise<void> | null = null;
  host = "";
  port = 0;

  private constructor(private readonly options: DashboardServerOptions) {
    this.logger = options.logger ?? createLogger("dashboard");
    this.access = new DashboardAccess(options.token);
    this.feed = new LiveFeed({
      view: options.view, state: options.state, system: this.system, thresholds: options.thresholds,
      jobs: options.jobs, logger: this.logger, intervalMs: options.updateIntervalMs,
    });
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        this.logger.error(`dashboard request ${request.url} failed`, error);
        if (!response.headersSent) response.writeHead(500, { "Content-Type": "text/plain" });
        response.end("internal error\n");
      });
    });
    this.server.on("upgrade", (request, socket, head) => this.upgrade(request, socket, head));
  }

  static async start(options: DashboardServerOptions): Promise<DashboardServer> {
    const { host, port } = parseDashboardAddress(options.address);
    const dashboard = new DashboardServer(options);
    const bindHost = host || options.host;
    try {
      await dashboard.listen(bindHost, port);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE" || port === 0) {
        dashboard.stopParts();
        throw error;
      }
      await dashboard.listen(bindHost, 0);
      dashboard.logger.warn(`port ${port} is already in use; the dashboard is on port ${dashboard.port} instead`);
    }
    if (!dashboard.assets.available) {
      dashboard.logger.warn("the dashboard's browser app is not built (run `npm run build`); pages will say so");
    }
    return dashboard;
  }

  private listen(host: string, port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      this.server.once("error", onError);
      this.server.listen(port, host, () => {
        this.server.off("error", onError);
        const address = this.server.address();
        this.port = typeof address === "object" && address ? address.port : port;
        this.host = host;
        resolve();
      });
    });
  }

  /** Browsers connected to the live feed now. */
  get liveConnections(): number {
    return this.feed.connectedCount;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://dashboard.invalid");
    // Routes are the same inside the cluster's folder (access-token.ts) and at the root.
    const within = this.access.routeWithin(url.pathname);
    const path = (within ?? url.pathname).replace(/\/+$/, "") || "/";
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.writeHead(405, { Allow: "GET, HEAD", "Content-Type": "text/plain" }).end("only GET\n");
      return;
    }
    if (path === "/health") {
      response.writeHead(200, { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" }).end("ok");
      return;
    }
    const decision = this.access.decide(request, url);
    if (decision === "denied") {
      const wantsHtml = (request.headers.accept ?? "").includes("text/html");
      response.writeHead(401, { "Content-Type": wantsHtml ? "text/html; charset=utf-8" : "text/plain; charset=utf-8", "WWW-Authenticate": "Bearer", ...securityHeaders });
      response.end(wantsHtml ? unauthorizedHtml() : "the dashboard needs its token: open the link the cluster printed (…/status?token=…)\n");
      return;
    }
    const headers: Record<string, string> = { ...securityHeaders };
    if (decision === "allowed-by-url" && within !== null) headers["Set-Cookie"] = this.access.cookieHeader();
    const page = dashboardPages.find((p) => `/${p.path}` === (path === "/" ? "/status" : path));
    if (page && (path === "/" || decision === "allowed-by-url")) {
      // Pages open inside the cluster's folder, where the cookie is valid; a token arriving
      // outside it travels in, and once the cookie holds it, it leaves the address bar.
      if (within !== null) url.searchParams.delete("token");
      const target = `${this.access.pathSegment}/${page.path}${url.search}`;
      response.writeHead(path === "/" ? 302 : 303, { ...headers, Location: relativeToRequest(url.pathname, target) }).end();
      return;
    }
    if (page) {
      response.writeHead(200, { ...headers, "Content-Type": "text/html; charset=utf-8" }).end(pageHtml(page, this.options.view.address));
      return;
    }
    if (path === "/static/dashboard.css") {
      response.writeHead(200, { ...headers, "Content-Type": "text/css; charset=utf-8" }).end(dashboardCss);
      return;
    }
    if (path.startsWith("/static/")) {
      const content = await this.assets.module(path.slice("/static/".length));
      if (!content) {
        response.writeHead(404, { ...headers, "Content-Type": "text/plain" }).end(this.assets.available ? "not found\n" : "the dashboard's browser app is not built: run `npm run build`\n");
        return;
      }
      response.writeHead(200, { ...headers, "Content-Type": "text/javascript; charset=utf-8" }).end(content);
      return;
    }
    if (path.startsWith("/info/")) {
      const info = await infoPage(path.slice("/info/".length), url.searchParams, this.options.view).catch((error: Error): InfoPage => ({ status: 502, html: `could not ask the workers: ${escapeHtml(error.message)}\n` }));
      if (info) {
        response.writeHead(info.status, { ...headers, "Content-Type": "text/html; charset=utf-8" }).end(info.html);
        return;
      }
    }
    const json = this.json(path, url);
    if (json !== undefined) {
      response.writeHead(200, { ...headers, "Content-Type": "application/json" }).end(JSON.stringify(json));
      return;
    }
    if (path === "/metrics") {
      response.writeHead(200, { ...headers, "Content-Type": "text/plain; version=0.0.4; charset=utf-8" }).end(prometheusMetrics(this.options.view, this.system.latest()));
      return;
    }
    response.writeHead(404, { ...headers, "Content-Type": "text/plain" }).end("not found\n");
  }

  private json(path: string, url: URL): unknown {
    const view = this.options.view;
    switch (path) {
      case "/json/counts":
      case "/json/counts.json":
        return countsJson(view);
      case "/json/identity":
      case "/json/identity.json":
        return identityJson(view);
      case "/json/unrunnable":
        // Why tasks wait for a worker (no worker offers the resources they ask for, …), by reason.
        return view.unrunnable();
      case "/json/profile": {
        const number = (name: string) => (url.searchParams.has(name) ? Number(url.searchParams.get(name)) : undefined);
        const prefix = url.searchParams.get("prefix") || undefined;
        const worker = url.searchParams.get("worker") || undefined;
        return view.profile({ since: number("since"), until: number("until"), ...(prefix ? { prefix } : {}), ...(worker ? { worker } : {}) });
      }
      default:
        return undefined;
    }
  }

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? "/", "http://dashboard.invalid");
    const refuse = (status: string) => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
    };
    if (!url.pathname.endsWith("/ws")) return refuse("404 Not Found");
    if (this.access.decide(request, url) === "denied") return refuse("401 Unauthorized");
    // A page of another site must not ride on the cookie (cross-site WebSocket hijacking).
    const origin = request.headers.origin;
    if (origin && origin !== "null" && hostOfOrigin(origin) !== request.headers.host) return refuse("403 Forbidden");
    this.sockets.handleUpgrade(request, socket, head, (ws) => this.feed.add(ws));
  }

  private stopParts(): void {
    this.feed.close();
    this.system.stop();
  }

  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      this.stopParts();
      this.sockets.close();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    return this.closing;
  }
}
