// The live dashboard in a real Chromium, watching a LocalCluster (worker processes) run the
// difference-of-Gaussians pipeline: every page loads without console errors, the task
// stream and progress move while the work runs, the workers table lists every worker,
// access without the token is refused, and a port-forward (ssh -L style) works.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createServer as createHttpServer } from "node:http";
import { createServer, connect, type Server } from "node:net";
import type { Page } from "playwright-core";
import { Client, LocalCluster } from "../../../../src/index.js";
import { SchedulerServer } from "../../../../src/scheduler/server/scheduler-server.js";
import { attachDashboard } from "../../../../src/deploy/dashboard-hook.js";
import { launchChromium, screenshot, updatingDocsScreenshots, waitFor, watchForErrors, type Browser } from "../../browser.js";
import { prepareDogWorkload, type DogWorkload } from "../../dog-workload.js";

async function canvasNumber(page: Page, selector: string, attribute: string): Promise<number> {
  const value = await page.getAttribute(selector, attribute, { timeout: 5000 }).catch(() => null);
  return value === null ? -1 : Number(value);
}

describe("the dashboard in Chromium, while the DoG pipeline runs", { timeout: 240_000 }, () => {
  let cluster: LocalCluster;
  let client: Client;
  let workload: DogWorkload;
  let browser: Browser;
  let link: string;

  before(async () => {
    workload = await prepareDogWorkload();
    cluster = await LocalCluster.start({ nWorkers: 2, threadsPerWorker: 2, dashboardAddress: ":0" });
    client = await Client.connect(cluster);
    link = cluster.dashboardLink as string;
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await client?.close();
    await cluster?.close();
    await workload?.cleanup();
  });

  it("shows every page without console errors, with live task stream, progress and workers", async () => {
    const page = await browser.context.newPage();
    const errors = watchForErrors(page);
    await page.goto(link);
    assert.match(new URL(page.url()).pathname, /^\/c-[0-9a-f]{16}\/status$/, "the pages live in the cluster's own folder");
    assert.equal(new URL(page.url()).search, "", "the token leaves the address bar once the cookie holds it");
    await waitFor(() => page.textContent("#live-state"), (text) => text === "live", "the live connection");

    const work = workload.run();
    // The DoG is a handful of large grouped tasks that may all end, and be released, between two
    // samples of the page; small tasks beside it, held until the end, keep the stream and the
    // progress moving while they are watched (each spins 5 ms: work, not a wait).
    const ticks = client.map((i: number) => {
      const end = Date.now() + 5;
      while (Date.now() < end);
      return i;
    }, Array.from({ length: 1000 }, (_, i) => i));
    // A computation that fails stops the pages moving: say why rather than wait for them.
    let failed: unknown;
    work.catch((error: unknown) => (failed = error));
    const unlessFailed = <T>(read: () => Promise<T>) => async () => {
      if (failed !== undefined) throw new Error(`the DoG failed while the pages were watched: ${String(failed)}`, { cause: failed });
      return read();
    };
    const streamCanvas = "#task-stream-panel canvas";
    const progressCanvas = "#progress-panel canvas";
    const first = await waitFor(
      unlessFailed(async () => ({ rectangles: await canvasNumber(page, streamCanvas, "data-rectangles"), done: await canvasNumber(page, progressCanvas, "data-done"), total: await canvasNumber(page, progressCanvas, "data-total") })),
      (v) => v.rectangles > 0 && v.total > 0, "the first tasks to appear",
    );
    await waitFor(
      // The live indicator and the scheduler's own task counts travel along, to be shown should this time out.
      unlessFailed(async () => ({
        rectangles: await canvasNumber(page, streamCanvas, "data-rectangles"), done: await canvasNumber(page, progressCanvas, "data-done"),
        live: await page.textContent("#live-state"), scheduler: cluster.scheduler.view.counts(),
      })),
      (v) => v.rectangles > first.rectangles && v.done > first.done, "the task stream and progress to move",
    );
    await screenshot(page, "status", { docs: true });

    await page.click("nav a[href=workers]");
    await page.waitForURL(/\/workers$/);
    const names = await waitFor(() => page.$$eval("#workers-panel tbody tr td:first-child", (cells) => cells.map((c) => c.textContent)), (n) => n.length === 2, "both workers in the table");
    const addresses = await page.$$eval("#workers-panel tbody tr td:nth-child(2)", (cells) => cells.map((c) => c.textContent ?? ""));
    assert.deepEqual(addresses.sort(), cluster.scheduler.view.workers().map((w) => w.address).sort());
    assert.deepEqual(names.sort(), cluster.scheduler.view.workers().map((w) => w.name).sort());
    await screenshot(page, "workers", { docs: true });

    await page.click("nav a[href=tasks]");
    await waitFor(() => canvasNumber(page, "#task-stream-panel canvas", "data-rectangles"), (n) => n > 0, "task stream rectangles");
    await page.mouse.move(700, 200);
    await page.mouse.wheel(0, -300);
    await screenshot(page, "task-stream", { docs: true });

    await page.click("nav a[href=graph]");
    await waitFor(() => page.textContent("#graph-panel .hint"), (text) => /tasks/.test(text ?? ""), "the graph summary");
    await screenshot(page, "graph", { docs: true });

    await page.click("nav a[href=profile]");
    await waitFor(() => canvasNumber(page, "#profile-panel canvas", "data-samples"), (n) => n > 0, "profile samples");
    const prefixes = await page.$$eval("#profile-panel select option", (options) => options.map((o) => o.getAttribute("value")));
    assert.ok(prefixes.length >= 2, `a choice of task prefixes: ${prefixes.join(", ")}`);
    await screenshot(page, "profile", { docs: true });

    await page.click("nav a[href=system]");
    await waitFor(() => page.$$eval("#cpu-panel canvas", (c) => c.length), (n) => n === 1, "the CPU chart");
    // Only for the docs' picture (nothing is asserted on it): let the charts gather a few points.
    if (updatingDocsScreenshots()) await page.waitForTimeout(1500);
    await screenshot(page, "system", { docs: true });

    await page.click("nav a[href=jobs]");
    await waitFor(() => page.textContent("#jobs-panel small"), (text) => /not run its workers as batch jobs/.test(text ?? ""), "the jobs note");

    await work;
    assert.equal((await client.gather(ticks)).length, 1000);
    for (const tick of ticks) tick.release();
    // Once the result is written its tasks are released: progress empties, the stream stays.
    await page.click("nav a[href=status]");
    await waitFor(() => canvasNumber(page, streamCanvas, "data-rectangles"), (n) => n > 0, "the task stream after the run");
    assert.deepEqual(errors, []);
    await page.close();
  });

  it("refuses a browser that does not carry the token", async () => {
    const stranger = await launchChromium();
    try {
      const strangerPage = await stranger.context.newPage();
      const origin = new URL(link).origin;
      for (const path of ["/status", "/workers", "/json/counts", "/metrics"]) {
        const response = await strangerPage.goto(`${origin}${path}`);
        assert.equal(response?.status(), 401, path);
      }
      assert.match(await strangerPage.textContent("body") ?? "", /needs its access token/);
      const health = await strangerPage.goto(`${origin}/health`);
      assert.equal(health?.status(), 200);
    } finally {
      await stranger.close();
    }
  });

  it("keeps two clusters' dashboards on one host apart: both work in one browser, and neither cookie reaches another port", async () => {
    const second = await LocalCluster.start({ nWorkers: 1, threadsPerWorker: 1, processes: false, dashboardAddress: ":0" });
    const seen: string[] = [];
    const spy = createHttpServer((request, response) => {
      seen.push(`${request.url} cookie=${request.headers.cookie ?? ""}`);
      response.writeHead(200, { "Content-Type": "text/html" }).end("<p>another server on this host</p>");
    });
    await new Promise<void>((resolve) => spy.listen(0, new URL(link).hostname, resolve));
    const spyOrigin = `http://${new URL(link).hostname}:${(spy.address() as { port: number }).port}`;
    const first = await browser.context.newPage();
    const other = await browser.context.newPage();
    const errors = [...watchForErrors(first), ...watchForErrors(other)];
    try {
      await first.goto(link);
      await waitFor(() => first.textContent("#live-state"), (text) => text === "live", "the first dashboard live");
      await other.goto(second.dashboardLink as string);
      await waitFor(() => other.textContent("#live-state"), (text) => text === "live", "the second dashboard live");
      const cookies = await browser.context.cookies();
      const ours = cookies.filter((cookie) => cookie.name.startsWith("tessera-dashboard-"));
      assert.equal(new Set(ours.map((cookie) => cookie.name)).size, 2, "one cookie per cluster, neither overwritten");
      assert.ok(ours.every((cookie) => /^\/c-[0-9a-f]{16}$/.test(cookie.path) && cookie.httpOnly && cookie.sameSite === "Strict"), JSON.stringify(ours));
      // Each page keeps working with its own cookie after the other was opened.
      for (const [page, owner] of [[first, cluster], [other, second]] as const) {
        await page.reload();
        await waitFor(() => page.textContent("#live-state"), (text) => text === "live", "live again after a reload");
        await page.click("nav a[href=workers]");
        const rows = await waitFor(() => page.$$eval("#workers-panel tbody tr", (r) => r.length), (n) => n === owner.scheduler.view.workers().length, "this cluster's workers");
        assert.equal(rows, owner.scheduler.view.workers().length);
      }
      // Whatever else listens on this host (another user's server) gets neither cookie.
      const probe = await browser.context.newPage();
      for (const path of ["/", "/status", "/workers", "/ws"]) await probe.goto(`${spyOrigin}${path}`);
      await probe.close();
      assert.deepEqual(["/", "/status", "/workers", "/ws"].filter((path) => !seen.some((line) => line.startsWith(`${path} `))), [], "the browser asked the other server");
      assert.ok(seen.every((line) => !line.includes("tessera-dashboard-")), seen.join("\n"));
      assert.deepEqual(errors, []);
    } finally {
      await first.close();
      await other.close();
      spy.close();
      await second.close();
    }
  });

  it("works through a port forward under another host name (ssh -L style)", async () => {
    const target = new URL(link);
    const proxy: Server = createServer((socket) => {
      const upstream = connect(Number(target.port), target.hostname);
      socket.pipe(upstream).pipe(socket);
      socket.on("error", () => upstream.destroy());
      upstream.on("error", () => socket.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    const port = (proxy.address() as { port: number }).port;
    const page = await browser.context.newPage();
    const errors = watchForErrors(page);
    const hosts = new Set<string>();
    page.on("request", (request) => hosts.add(new URL(request.url()).host));
    page.on("websocket", (socket) => hosts.add(new URL(socket.url()).host));
    try {
      await page.goto(`http://localhost:${port}/status${target.search}`);
      await waitFor(() => page.textContent("#live-state"), (text) => text === "live", "the live connection through the forward");
      await page.click("nav a[href=workers]");
      await waitFor(() => page.$$eval("#workers-panel tbody tr", (rows) => rows.length), (n) => n === 2, "the workers through the forward");
      assert.deepEqual([...hosts], [`localhost:${port}`], "every request used the forwarded address");
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
      proxy.close();
    }
  });
});

describe("the Jobs page of a job-queue cluster", { timeout: 60_000 }, () => {
  it("lists the batch jobs with their state and reason", async () => {
    const scheduler = await SchedulerServer.start({ address: "tcp://127.0.0.1:0" });
    const jobs = [
      { id: "4242", state: "running", workers: ["slurm-4242-0", "slurm-4242-1"] },
      { id: "4243", state: "pending", reason: "Priority", workers: 0 },
    ];
    const link = await attachDashboard(scheduler, ":0", "127.0.0.1", { jobs: () => jobs });
    const browser = await launchChromium();
    try {
      assert.ok(link);
      const page = await browser.context.newPage();
      const errors = watchForErrors(page);
      await page.goto(link.replace("/status?", "/jobs?"));
      const rows = await waitFor(
        () => page.$$eval("#jobs-panel tbody tr", (trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent))),
        (r) => r.length === 2 && r[0].length === 4, "two jobs",
      );
      assert.deepEqual(rows, [["4242", "running", "", "slurm-4242-0, slurm-4242-1"], ["4243", "pending", "Priority", "0"]]);
      await screenshot(page, "jobs", { docs: true });
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      await scheduler.close();
    }
  });
});
