import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { IncomingMessage } from "node:http";
import { DashboardAccess, readCookie } from "../../../src/dashboard/server/access-token.js";
import { parseDashboardAddress } from "../../../src/dashboard/server/dashboard-server.js";
import { dashboardToken } from "../../../src/comm/dashboard-token.js";

const request = (headers: Record<string, string>) => ({ headers } as unknown as IncomingMessage);
const url = (path: string) => new URL(path, "http://host");

describe("dashboard access", () => {
  const token = dashboardToken("a-cluster-credential");
  const access = new DashboardAccess(token);

  it("derives a token that is not the credential and differs per credential", () => {
    assert.notEqual(token, "a-cluster-credential");
    assert.ok(!token.includes("a-cluster-credential"));
    assert.notEqual(dashboardToken("another-credential"), token);
    assert.equal(dashboardToken("a-cluster-credential"), token);
  });

  it("accepts the token in the URL, the cookie it sets, or a bearer header; refuses the rest", () => {
    assert.equal(access.decide(request({}), url(`/status?token=${token}`)), "allowed-by-url");
    const cookie = access.cookieHeader().split(";")[0];
    assert.equal(access.decide(request({ cookie: `other=1; ${cookie}` }), url("/workers")), "allowed");
    assert.equal(access.decide(request({ authorization: `Bearer ${token}` }), url("/metrics")), "allowed");
    assert.equal(access.decide(request({}), url("/status")), "denied");
    assert.equal(access.decide(request({}), url(`/status?token=${token.slice(0, -1)}x`)), "denied");
    assert.equal(access.decide(request({ cookie: `${access.cookieName}=wrong` }), url("/status")), "denied");
    assert.equal(access.decide(request({ authorization: "Bearer " }), url("/metrics")), "denied");
  });

  it("sets an HttpOnly, SameSite=Strict cookie whose name and folder are specific to the cluster (ports share cookies)", () => {
    assert.match(access.cookieHeader(), /HttpOnly/);
    assert.match(access.cookieHeader(), /SameSite=Strict/);
    assert.doesNotMatch(access.cookieHeader(), /Path=/i, "scoped by the browser to the folder it was set in");
    const other = new DashboardAccess(dashboardToken("other"));
    assert.notEqual(other.cookieName, access.cookieName);
    assert.notEqual(other.pathSegment, access.pathSegment);
    assert.match(access.pathSegment, /^c-[0-9a-f]{16}$/);
    assert.ok(!token.includes(access.pathSegment.slice(2)) && !access.cookieName.includes(access.pathSegment.slice(2)), "the folder is not a piece of the token or the cookie name");
    assert.equal(readCookie("a=1; b = 2", "b"), "2");
  });

  it("finds routes inside the cluster's folder, and only there", () => {
    const folder = `/${access.pathSegment}`;
    assert.equal(access.routeWithin(`${folder}/status`), "/status");
    assert.equal(access.routeWithin(`${folder}/static/pages/status.js`), "/static/pages/status.js");
    assert.equal(access.routeWithin(folder), "/");
    assert.equal(access.routeWithin(`${folder}/`), "/");
    assert.equal(access.routeWithin("/status"), null);
    assert.equal(access.routeWithin(`${folder}x/status`), null, "a longer name is another folder");
    assert.equal(access.routeWithin(`/x${folder}/status`), null);
  });
});

describe("dashboard addresses", () => {
  it("reads :port, host:port and a bare port", () => {
    assert.deepEqual(parseDashboardAddress(":8787"), { host: "", port: 8787 });
    assert.deepEqual(parseDashboardAddress("0.0.0.0:9000"), { host: "0.0.0.0", port: 9000 });
    assert.deepEqual(parseDashboardAddress("[::1]:9000"), { host: "::1", port: 9000 });
    assert.deepEqual(parseDashboardAddress("8787"), { host: "", port: 8787 });
  });

  it("refuses anything else, saying what to write", () => {
    assert.throws(() => parseDashboardAddress("localhost"), /":port" or "host:port"/);
    assert.throws(() => parseDashboardAddress(":99999"), /dashboardAddress/);
  });
});
