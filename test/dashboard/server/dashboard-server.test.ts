import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:net";
import WebSocket from "ws";
import { Client, LocalCluster } from "../../../src/index.js";
import { emptyProfile, type ProfileNode } from "../../../src/protocol/profile-tree.js";
import { createLogger, setLogLevel, type LogLevel } from "../../../src/core/log.js";
import { httpGet } from "../http-client.js";

function findFrame(node: ProfileNode, name: string): ProfileNode | undefined {
  if (node.name === name) return node;
  for (const child of Object.values(node.children)) {
    const found = findFrame(child, name);
    if (found) return found;
  }
  return undefined;
}

function occupyPort(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => resolve({ server, port: (server.address() as { port: number }).port }));
  });
}

describe("the dashboard server", () => {
  let cluster: LocalCluster;
  let client: Client;
  let blocker: { server: Server; port: number };
  let link: URL;
  let base: string;
  let token: string;
  const warnings: string[] = [];

  before(async () => {
    blocker = await occupyPort();
    // The fallback warning is what is checked: let warnings through while the cluster starts.
    const probe = createLogger("test");
    const level = (["debug", "info", "warn", "error"] as LogLevel[]).find((l) => probe.enabled(l)) as LogLevel;
    setLogLevel("warn");
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((text: string | Uint8Array, ...rest: unknown[]) => {
      warnings.push(String(text));
      return (write as (...args: unknown[]) => boolean)(text, ...rest);
    }) as typeof process.stderr.write;
    try {
      cluster = await LocalCluster.start({ nWorkers: 2, threadsPerWorker: 2, processes: false, dashboardAddress: `:${blocker.port}` });
    } finally {
      process.stderr.write = write;
      setLogLevel(level);
    }
    client = await Client.connect(cluster);
    link = new URL(cluster.dashboardLink as string);
    base = `${link.protocol}//${link.host}`;
    token = link.searchParams.get("token") as string;
  });
  after(async () => {
    await client?.close();
    await cluster?.close();
    blocker?.server.close();
  });

  it("falls back to a free port with a warning when the asked one is taken", () => {
    assert.notEqual(Number(link.port), blocker.port);
    assert.equal(cluster.scheduler.services.dashboard, Number(link.port));
    assert.ok(warnings.some((w) => w.includes(`port ${blocker.port} is already in use`)), warnings.join(""));
  });

  it("prints a link to /status carrying a token, which clients of the scheduler also derive", async () => {
    assert.equal(link.pathname, "/status");
    assert.match(token, /^[0-9a-f]{40}$/);
    assert.ok(!cluster.dashboardLink?.includes(cluster.credential), "the link must not carry the cluster credential");
    assert.equal(client.dashboardLink, cluster.dashboardLink);
    const remote = await Client.connect(cluster.schedulerAddress, { credential: cluster.credential, setAsDefault: false });
    try {
      assert.equal(remote.dashboardLink, cluster.dashboardLink);
    } finally {
      await remote.close();
    }
  });

  it("answers /health to anyone and refuses everything else without the token", async () => {
    const health = await httpGet(`${base}/health`);
    assert.equal(health.status, 200);
    assert.equal(health.body, "ok");
    for (const path of ["/status", "/workers", "/metrics", "/json/counts", "/json/identity", "/json/profile", "/static/pages/status.js", "/"]) {
      const reply = await httpGet(`${base}${path}`);
      assert.equal(reply.status, 401, `${path} without a token`);
      assert.ok(!reply.body.includes("tessera_"), `${path} leaks data`);
    }
    const page = await httpGet(`${base}/status`, { Accept: "text/html" });
    assert.match(page.body, /status\?token=/, "the refusal says where the token comes from");
    await assert.rejects(new Promise((resolve, reject) => {
      const socket = new WebSocket(`ws://${link.host}/ws`);
      socket.on("open", resolve);
      socket.on("error", reject);
    }), /401/);
  });

  /** Follows the printed link as a browser does: into the cluster's folder, then the cookie. */
  async function cookieFromLink(): Promise<{ cookie: string; folder: string; setCookie: string }> {
    const first = await httpGet(link.href);
    assert.equal(first.status, 303);
    assert.equal(first.headers["set-cookie"], undefined, "no cookie is set outside the cluster's folder");
    const inside = new URL(String(first.headers.location), link);
    assert.match(inside.pathname, /^\/c-[0-9a-f]{16}\/status$/, "the token travels into the cluster's own folder");
    assert.equal(inside.searchParams.get("token"), token);
    const second = await httpGet(inside.href);
    assert.equal(second.status, 303);
    assert.equal(new URL(String(second.headers.location), inside).href, `${base}${inside.pathname}`, "the token leaves the address");
    const setCookie = String(second.headers["set-cookie"]);
    return { cookie: setCookie.split(";")[0], folder: inside.pathname.replace(/\/status$/, ""), setCookie };
  }

  it("trades the token in the link for an HttpOnly cookie scoped to the cluster's folder, and serves pages with relative links only", async () => {
    const { cookie, folder, setCookie } = await cookieFromLink();
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /SameSite=Strict/);
    assert.doesNotMatch(setCookie, /Path=/i, "no Path: the browser keeps it for the folder the page is in");
    const page = await httpGet(`${base}${folder}/status`, { cookie });
    assert.equal(page.status, 200);
    assert.match(page.body, /<script type="module" src="static\/pages\/status\.js">/);
    assert.doesNotMatch(page.body, /(href|src)="\/|https?:\/\//, "every URL in the page is relative");
    const script = await httpGet(`${base}${folder}/static/pages/status.js`, { cookie });
    assert.equal(script.status, 200);
    assert.match(String(script.headers["content-type"]), /javascript/);
    assert.equal((await httpGet(`${base}${folder}/json/counts`, { cookie })).status, 200);
    assert.equal((await httpGet(`${base}${folder}/static/..%2f..%2fpackage.json`, { cookie })).status, 404);
    assert.equal((await httpGet(`${base}${folder}/static/pages/../../../../package.json`, { cookie })).status, 404);
    assert.equal((await httpGet(`${base}/c-0000000000000000/status`, { cookie })).status, 404, "another folder is not this dashboard's");
  });

  it("refuses a WebSocket opened by a page of another site, even with the cookie", async () => {
    const { cookie, folder } = await cookieFromLink();
    await assert.rejects(new Promise((resolve, reject) => {
      const socket = new WebSocket(`ws://${link.host}${folder}/ws`, { headers: { cookie, origin: "http://attacker.example" } });
      socket.on("open", resolve);
      socket.on("error", reject);
    }), /403/);
  });

  it("serves counts, identity and Prometheus metrics that agree with the cluster", async () => {
    const auth = { Authorization: `Bearer ${token}` };
    const futures = client.map((x: number) => x + 1, [1, 2, 3, 4, 5]);
    await client.gather(futures);
    const counts = JSON.parse((await httpGet(`${base}/json/counts`, auth)).body) as Record<string, number>;
    assert.equal(counts.workers, 2);
    assert.equal(counts.cores, 4);
    assert.equal(counts.memory, 5);
    assert.equal(counts.clients, 1);
    const identity = JSON.parse((await httpGet(`${base}/json/identity`, auth)).body) as { type: string; address: string; workers: Record<string, { nthreads: number }> };
    assert.equal(identity.type, "Scheduler");
    assert.equal(identity.address, cluster.schedulerAddress);
    assert.deepEqual(Object.keys(identity.workers).sort(), cluster.scheduler.view.workers().map((w) => w.address).sort());
    const metrics = await httpGet(`${base}/metrics`, auth);
    assert.match(String(metrics.headers["content-type"]), /^text\/plain; version=0\.0\.4/);
    const samples = new Map<string, number>();
    for (const line of metrics.body.trim().split("\n")) {
      if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) continue;
      const match = /^([a-z_]+)(\{(?:[a-z_]+="(?:[^"\\]|\\.)*",?)*\})? (-?[0-9.e+-]+)$/.exec(line);
      assert.ok(match, `not Prometheus text format: ${line}`);
      samples.set(`${match[1]}${match[2] ?? ""}`, Number(match[3]));
    }
    assert.equal(samples.get('tessera_scheduler_workers{state="running"}'), 2);
    assert.equal(samples.get('tessera_scheduler_tasks{state="memory"}'), 5);
    for (const worker of cluster.scheduler.view.workers()) {
      assert.equal(samples.get(`tessera_worker_threads{worker="${worker.address}",name="${worker.name}"}`), 2);
    }
  });

  it("streams the task stream's history first, then status snapshots unasked, to an authenticated socket", async () => {
    const socket = new WebSocket(`ws://${link.host}/ws?token=${token}`);
    const received: Array<{ type: string; reset?: boolean }> = [];
    // Four status snapshots: the one the subscription brings, then three the feed's timer sends.
    const fourStatuses = new Promise<void>((resolve, reject) => {
      const guard = setTimeout(() => reject(new Error(`${received.filter((m) => m.type === "status").length} status updates within 60 s`)), 60_000);
      socket.on("message", (data) => {
        received.push(JSON.parse(String(data)) as { type: string; reset?: boolean });
        if (received.filter((m) => m.type === "status").length >= 4) {
          clearTimeout(guard);
          resolve();
        }
      });
    });
    await new Promise((resolve) => socket.on("open", resolve));
    socket.send(JSON.stringify({ subscribe: ["status", "stream"], history: 100 }));
    try {
      await fourStatuses;
    } finally {
      socket.close();
    }
    assert.equal(received[0].type, "stream", "the task stream's history arrives first");
    assert.equal(received[0].reset, true, "as a fresh start");
  });

  it("gives the profile of the compute threads, naming the function that ran", async () => {
    const spinBriefly = function spinBriefly(n: number) {
      let x = 0;
      for (let i = 0; i < n; i++) x += Math.sqrt(x + i);
      return x;
    };
    type Profile = { tree: ProfileNode; prefixes: Record<string, number> };
    // Work until the scheduler holds 20 samples of it (at 10 ms, 0.2 s of running; samples
    // reach it with the workers' heartbeats), then check what a user reads from it.
    const deadline = Date.now() + 120_000; // hang guard only
    let viaClient: Profile = { tree: emptyProfile(), prefixes: {} };
    for (let round = 0; viaClient.tree.count < 20; round++) {
      if (Date.now() > deadline) assert.fail(`${viaClient.tree.count} samples of spinBriefly after two minutes of work`);
      await client.gather(client.map(spinBriefly, [0, 1, 2, 3].map((i) => 5_000_000 + 4 * round + i)));
      viaClient = (await client.profile({ prefix: "spinBriefly" })) as Profile;
    }
    assert.ok(findFrame(viaClient.tree, "spinBriefly"), "the profile names the task's function");
    const viaHttp = JSON.parse((await httpGet(`${base}/json/profile?token=${token}`)).body) as Profile;
    assert.ok(viaHttp.prefixes.spinBriefly >= 20, `the dashboard shows the same samples: ${JSON.stringify(viaHttp.prefixes)}`);
    assert.ok(findFrame(viaHttp.tree, "spinBriefly"));
  });

  it("closes with the scheduler, leaving the port free", async () => {
    const port = Number(link.port);
    await client.close();
    await cluster.close();
    await assert.rejects(httpGet(`http://127.0.0.1:${port}/health`), /ECONNREFUSED/);
  });
});
