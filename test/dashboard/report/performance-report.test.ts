// performanceReport and client.profile write self-contained HTML: opened from disk in a
// Chromium with the network off, every section draws from the data inside the file.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Page } from "playwright-core";
import { Client, LocalCluster } from "../../../src/index.js";
import * as nd from "../../../src/ndarray/index.js";
import { unixSeconds } from "../../../src/core/clock.js";
import { performanceReport } from "../../../src/dashboard/report/performance-report.js";
import { writeProfileHtml } from "../../../src/dashboard/report/profile-html.js";
import type { PerformanceReportData } from "../../../src/dashboard/report/report-data.js";
import { launchChromium, screenshot, watchForErrors, type Browser } from "../browser.js";
import { prepareDogWorkload, type DogWorkload } from "../dog-workload.js";
import { haloAdvice } from "../../../src/array/halo-advice.js";

const callingScriptMarker = "calling-script-marker-7f3a";

async function openOffline(browser: Browser, file: string): Promise<{ page: Page; errors: string[]; requests: string[] }> {
  const page = await browser.context.newPage();
  const errors = watchForErrors(page);
  const requests: string[] = [];
  page.on("request", (request) => requests.push(request.url()));
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector("body[data-rendered=true]", { timeout: 10_000 });
  return { page, errors, requests };
}

async function embeddedData(file: string): Promise<PerformanceReportData> {
  const html = await readFile(file, "utf8");
  const json = /<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(html)?.[1];
  assert.ok(json, "the report embeds its data");
  return JSON.parse(json) as PerformanceReportData;
}

describe("the package entry", () => {
  it("is wired by the package entry so client.profile({ filename }) works after import from \"tessera\"", async () => {
    assert.equal(Client.profileHtmlWriter, writeProfileHtml);
  });
});

describe("performance reports and profiles", { timeout: 240_000 }, () => {
  let cluster: LocalCluster;
  let client: Client;
  let workload: DogWorkload;
  let browser: Browser;
  let directory: string;

  before(async () => {
    directory = await mkdtemp(join(tmpdir(), "tessera-report-"));
    workload = await prepareDogWorkload([64, 256, 256]);
    cluster = await LocalCluster.start({ nWorkers: 2, threadsPerWorker: 1, dashboardAddress: ":0" });
    client = await Client.connect(cluster);
    browser = await launchChromium({ offline: true });
  });
  after(async () => {
    await browser?.close();
    await client?.close();
    await cluster?.close();
    await workload?.cleanup();
    await rm(directory, { recursive: true, force: true });
  });

  it("records a run and renders every section from disk with no network", async () => {
    const file = join(directory, "report.html");
    const [first, second] = cluster.scheduler.view.workers().map((w) => w.address);
    const start = unixSeconds();
    const checksum = await performanceReport(file, async () => {
      await workload.run();
      // A block made on one worker and used on the other: bytes move between workers.
      const block = client.submit({ fn: (n: number) => nd.full([n, n], 3, "float64"), args: [256], workers: [first] });
      const total = client.submit({
        fn: (a: { data: Float64Array }) => {
          let sum = 0;
          for (const v of a.data) sum += v;
          return sum;
        },
        args: [block], workers: [second],
      });
      return total.result();
    });
    assert.equal(checksum, 3 * 256 * 256, "performanceReport returns what its callback returns");
    const recorded = (await client.getTaskStream({ since: start })).length;

    const data = await embeddedData(file);
    assert.equal(data.summary.tasks, recorded);
    assert.ok(data.summary.computeSeconds > 0);
    assert.ok(data.summary.bytesTransferred >= 256 * 256 * 8, `${data.summary.bytesTransferred} bytes moved`);
    assert.ok(data.profile.tree.count > 0, "the workers' profiles arrived");
    assert.equal(data.cluster.workers.length, 2);
    assert.match(data.version, /^\d+\.\d+\.\d+/);
    assert.ok(data.source.code?.includes(callingScriptMarker), "the calling script's source is embedded");
    assert.ok(!JSON.stringify(data).includes(cluster.credential), "the report does not carry the cluster credential");

    const { page, errors, requests } = await openOffline(browser, file);
    assert.deepEqual(requests.filter((url) => !url.startsWith("file:")), [], "the report loads nothing from the network");
    const text = async (selector: string) => (await page.textContent(selector)) ?? "";
    assert.match(await text("#summary"), new RegExp(`Tasks\\s*${data.summary.tasks.toLocaleString("en-US")}`));
    assert.match(await text("#summary"), /Bytes moved between workers/);
    for (const prefix of data.prefixes) assert.ok((await text("#summary")).includes(prefix.prefix));
    // The DoG's fused block tasks (halo → filters → subtract → write): the plan's peak memory
    // estimate and the workers' measurement, side by side, of the same order.
    const store = data.prefixes.find((p) => p.prefix === "store");
    assert.ok(store?.estimatedPeakBytes && store.measuredPeakBytes, `estimate ${store?.estimatedPeakBytes}, measured ${store?.measuredPeakBytes}`);
    assert.ok(store.measuredPeakBytes < 4 * store.estimatedPeakBytes && store.estimatedPeakBytes < 4 * store.measuredPeakBytes, `estimate ${store.estimatedPeakBytes}, measured ${store.measuredPeakBytes}`);
    assert.match(await text("#summary"), /Peak memory per task, estimated/);
    assert.equal(Number(await page.getAttribute("#task-stream canvas", "data-rectangles")), data.stream.start.length);
    const samples = await page.$$eval("#worker-profiles canvas", (canvases) => canvases.map((c) => Number(c.getAttribute("data-samples"))));
    assert.equal(samples.length, 1 + data.profile.byWorker.length, "one flame graph for all workers, one per worker");
    assert.equal(samples[0], data.profile.tree.count);
    assert.equal(await page.$$eval("#bandwidth table tr", (rows) => rows.length), 1 + data.bandwidth.workers.length);
    const workerNames = await page.$$eval("#cluster tbody tr td:first-child", (cells) => cells.map((c) => c.textContent));
    assert.deepEqual(workerNames, data.cluster.workers.map((w) => w.name));
    // The two mapOverlaps of the workload, with the course's chunk advice computed for them.
    const advice = haloAdvice([64, 256, 256], [16, 64, 64], [24, 24, 24]);
    assert.deepEqual(data.halos.map((h) => [h.chunks, h.depth, h.overhead, h.suggestedChunks]), [0, 1].map(() => [[16, 64, 64], [24, 24, 24], advice.overhead, advice.suggestedChunks]));
    assert.ok(advice.overhead > 2 && advice.suggestedChunks, "the workload's halo is worth advice");
    assert.ok((await text("#halos")).includes(`${advice.overhead.toFixed(1)}×`) && (await text("#halos")).includes((advice.suggestedChunks as number[]).join(" × ")), await text("#halos"));
    assert.match(await text("#config"), /"worker-saturation"/);
    assert.ok((await text("#source")).includes(callingScriptMarker));
    assert.match(await text("#source"), /workload\.run\(\)/);
    await screenshot(page, "performance-report", { docs: true });
    assert.deepEqual(errors, []);
    await page.close();
  });

  it("still writes the report when the callback throws, then throws its error", async () => {
    const file = join(directory, "failed.html");
    await assert.rejects(performanceReport(file, async () => {
      await client.submit((x: number) => x * 2, 21).result();
      throw new RangeError("the computation failed");
    }), /the computation failed/);
    assert.ok(existsSync(file));
    const data = await embeddedData(file);
    assert.ok(data.summary.tasks >= 1);
  });

  it("writes the workers' profile as a flame graph with client.profile({ filename })", async () => {
    // The package entry hands Client the dashboard's writer; set here for this module's import.
    Client.profileHtmlWriter ??= writeProfileHtml;
    const file = join(directory, "profile.html");
    const profile = await client.profile({ filename: file });
    assert.ok(profile.tree.count > 0);
    const { page, errors, requests } = await openOffline(browser, file);
    assert.deepEqual(requests.filter((url) => !url.startsWith("file:")), []);
    const samples = await page.$$eval("#profile canvas", (canvases) => canvases.map((c) => Number(c.getAttribute("data-samples"))));
    assert.equal(samples[0], profile.tree.count);
    assert.equal(samples.length, 1 + Object.keys(profile.byWorker).length);
    await screenshot(page, "profile-html");
    assert.deepEqual(errors, []);
    const one = await client.profile({ prefix: Object.keys(profile.prefixes)[0] });
    assert.ok(one.tree.count > 0 && one.tree.count <= profile.tree.count, "a prefix selects part of the samples");
  });

});
