/**
 * Who may see the dashboard. On a shared cluster anyone can reach an open port, so every
 * request must carry the dashboard token (derived from the cluster credential): as the
 * `token` query parameter of the link the cluster prints (which also sets an HttpOnly
 * cookie, so the pages' own relative links and WebSocket work), as that cookie, or as an
 * `Authorization: Bearer` header (for Prometheus scrapers). Only /health is open.
 * Tokens are compared in constant time.
 *
 * Browsers send a host's cookies to every port of it: with one cookie for all paths, opening
 * another dashboard on the same login node (or anything else served there, e.g. a colleague's
 * server reached through the same ssh tunnel) would hand it this cluster's token. So the
 * pages live under a path of their own, `/<pathSegment>/…`, derived from the token (nobody
 * without the token can name it), and the cookie is set there with no Path attribute: the
 * browser scopes it to that folder, as the browser sees it (also behind a proxy that adds a
 * prefix), and sends it nowhere else. Its name is per cluster too, so two dashboards never
 * overwrite each other's cookie.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

export type AccessDecision = "allowed" | "allowed-by-url" | "denied";

export class DashboardAccess {
  private readonly expected: Buffer;
  /** Cookies are shared by every port of a host (ssh -L to localhost): one name per cluster. */
  readonly cookieName: string;
  /** The folder the pages are served in, and the cookie is scoped to. */
  readonly pathSegment: string;

  constructor(private readonly token: string) {
    this.expected = Buffer.from(token, "utf8");
    this.cookieName = `tessera-dashboard-${createHash("sha256").update(token).digest("hex").slice(0, 12)}`;
    this.pathSegment = `c-${createHash("sha256").update(`dashboard path\0${token}`).digest("hex").slice(0, 16)}`;
  }

  private matches(candidate: string | undefined | null): boolean {
    if (!candidate) return false;
    const given = Buffer.from(candidate, "utf8");
    return given.length === this.expected.length && timingSafeEqual(given, this.expected);
  }

  decide(request: IncomingMessage, url: URL): AccessDecision {
    if (this.matches(url.searchParams.get("token"))) return "allowed-by-url";
    if (this.matches(readCookie(request.headers.cookie, this.cookieName))) return "allowed";
    const authorization = request.headers.authorization;
    if (authorization?.startsWith("Bearer ") && this.matches(authorization.slice(7).trim())) return "allowed";
    return "denied";
  }

  /** The route inside the cluster's folder ("/status" for "/<segment>/status"), or null for a path outside it. */
  routeWithin(pathname: string): string | null {
    const folder = `/${this.pathSegment}`;
    if (pathname === folder) return "/";
    return pathname.startsWith(`${folder}/`) ? pathname.slice(folder.length) : null;
  }

  /**
   * The cookie, set only on a response to a URL inside the cluster's folder: with no Path
   * attribute the browser keeps it for that folder alone.
   */
  cookieHeader(): string {
    return `${this.cookieName}=${this.token}; HttpOnly; SameSite=Strict`;
  }
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const index = part.indexOf("=");
    if (index > 0 && part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return undefined;
}
