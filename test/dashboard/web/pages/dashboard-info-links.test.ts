// The browser pages lead to the info pages in a real Chromium: a worker's name on the Workers
// page opens its log, and the Status page says why tasks wait for a worker (here: resources no
// worker offers), with the waiting key linking to its story. A LocalCluster with a process
// worker; the key carries HTML that must show as text everywhere.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Client, LocalCluster } from "../../../../src/index.js";
import { launchChromium, screenshot, waitFor, watchForErrors, type Browser } from "../../browser.js";

describe("the dashboard's links to the info pages, in Chromium", { timeout: 120_000 }, () => {
  let cluster: LocalCluster;
  let client: Client;
  let browser: Browser;

  before(async () => {
    cluster = await LocalCluster.start({ nWorkers: 1, threadsPerWorker: 1, dashboardAddress: ":0" });
    client = await Client.connect(cluster, { setAsDefault: false });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await client?.close();
    await cluster?.close();
  });

  it("links a worker's name on the Workers page to its log", async () => {
    const page = await browser.context.newPage();
    const errors = watchForErrors(page);
    await page.goto((cluster.dashboardLink as string).replace("/status?", "/workers?"));
    const [worker] = cluster.scheduler.view.workers();
    const nameLink = "#workers-panel tbody tr td:first-child a";
    await waitFor(() => page.textContent(nameLink, { timeout: 30_000 }), (text) => text === worker.name, "the worker's name as a link");
    await page.click(nameLink);
    await page.waitForURL(/\/info\/worker\?worker=/);
    assert.equal(await page.textContent("h1"), `Worker ${worker.address}`);
    const log = await page.$$eval("tbody tr td:nth-child(4)", (cells) => cells.map((c) => c.textContent ?? ""));
    assert.ok(log.some((line) => line.includes(`worker ${worker.name} at ${worker.address}`)), `the worker's start line is in its log: ${log.slice(0, 5).join(" | ")}`);
    await page.goBack();
    await page.waitForURL(/\/workers$/);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it("shows on the Status page why tasks wait, the example key linking to its story", async () => {
    const key = "gpu-job-<img src=x onerror=alert(1)>";
    const waiting = client.submit({ fn: (x: number) => x + 1, args: [1], resources: { GPU: 1 }, key });
    const page = await browser.context.newPage();
    const errors = watchForErrors(page);
    try {
      await page.goto(cluster.dashboardLink as string);
      const panelText = await waitFor(
        () => page.textContent("#unrunnable-panel", { timeout: 30_000 }).then((text) => text ?? ""),
        (text) => text.includes(key), "the waiting task on the Status page",
      );
      assert.match(panelText, /no running worker offers a resource named "GPU"/);
      assert.ok(await page.isVisible("#unrunnable-panel"));
      assert.equal(await page.$$eval("#unrunnable-panel img", (images) => images.length), 0, "the key is shown as text");
      await screenshot(page, "status-unrunnable");
      await page.click("#unrunnable-panel a");
      await page.waitForURL(/\/info\/task\?key=/);
      assert.equal(await page.textContent("h1"), `Task ${key}`);
      const transitions = await page.$$eval("tbody tr td:nth-child(3)", (cells) => cells.map((c) => c.textContent ?? ""));
      assert.ok(transitions.includes("waiting → no-worker"), `its story says it waits for a worker: ${transitions.join(", ")}`);
      assert.equal(await page.$$eval("img", (images) => images.length), 0, "the key is shown as text on its page");
    } finally {
      await waiting.cancel();
    }
    // Nothing waits any more: the panel goes away.
    await page.goto(cluster.dashboardLink as string);
    await waitFor(() => page.isVisible("#unrunnable-panel"), (visible) => !visible, "the panel to go once nothing waits");
    assert.deepEqual(errors, []);
    await page.close();
  });
});
