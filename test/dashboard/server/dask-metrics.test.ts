/**
 * Issue 13 item 8: `/metrics` carries, beside tessera's own families, the families Dask's
 * Grafana dashboards query, under Dask's exact names, types and labels. The reference is the
 * installed distributed itself: its Prometheus collectors are read (parsed, not run: the
 * prometheus_client they import is not installed) and the names they expose worked out as
 * prometheus_client does (a unit appended, `_total` on counters).
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { Client, LocalCluster, Semaphore } from "../../../src/index.js";
import { httpGet } from "../http-client.js";

const daskFamiliesScript = String.raw`
import ast, json, os, distributed
from distributed.scheduler import ALL_TASK_STATES
base = os.path.join(os.path.dirname(distributed.__file__), "http")
families = {}
for subsystem, path in [("scheduler", "scheduler/prometheus/core.py"), ("semaphore", "scheduler/prometheus/semaphore.py"), ("worker", "worker/prometheus/core.py")]:
    for node in ast.walk(ast.parse(open(os.path.join(base, path)).read())):
        kind = getattr(getattr(node, "func", None), "id", None)
        if not isinstance(node, ast.Call) or kind not in ("GaugeMetricFamily", "CounterMetricFamily"):
            continue
        first = node.args[0]
        if not (isinstance(first, ast.Call) and getattr(first.func, "attr", None) == "build_name"):
            continue
        keywords = {k.arg: k.value for k in node.keywords}
        name = "dask_%s_%s" % (subsystem, first.args[0].value)
        unit = keywords["unit"].value if "unit" in keywords else None
        if unit and not name.endswith("_" + unit):
            name += "_" + unit
        if kind == "CounterMetricFamily" and not name.endswith("_total"):
            name += "_total"
        labels = [e.value for e in keywords["labels"].elts] if "labels" in keywords else []
        families[name] = {"type": "counter" if kind == "CounterMetricFamily" else "gauge", "labels": labels}
print(json.dumps({"families": families, "taskStates": sorted(ALL_TASK_STATES)}))
`;

interface Family { type: string; labels: string[]; samples: Array<{ labels: Record<string, string>; value: number }> }

function parseMetrics(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  for (const line of text.trim().split("\n")) {
    const type = /^# TYPE ([a-z_]+) (gauge|counter)$/.exec(line);
    if (type) {
      families.set(type[1], { type: type[2], labels: [], samples: [] });
      continue;
    }
    if (line.startsWith("#")) continue;
    const sample = /^([a-z_]+)(?:\{(.*)\})? (-?[0-9.e+-]+)$/.exec(line);
    assert.ok(sample, `not Prometheus text format: ${line}`);
    const labels = Object.fromEntries([...(sample[2] ?? "").matchAll(/([a-z_]+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    const family = families.get(sample[1]);
    assert.ok(family, `sample of ${sample[1]} before its TYPE line`);
    family.samples.push({ labels, value: Number(sample[3]) });
    for (const name of Object.keys(labels)) if (!family.labels.includes(name)) family.labels.push(name);
  }
  return families;
}

describe("Prometheus metrics under Dask's names", () => {
  let cluster: LocalCluster;
  let client: Client;
  let metricsUrl: string;
  let auth: Record<string, string>;
  const dask = JSON.parse(execFileSync("/usr/bin/python3", ["-c", daskFamiliesScript], { encoding: "utf8" })) as {
    families: Record<string, { type: string; labels: string[] }>;
    taskStates: string[];
  };

  before(async () => {
    cluster = await LocalCluster.start({ nWorkers: 2, threadsPerWorker: 2, dashboardAddress: "127.0.0.1:0" });
    client = await Client.connect(cluster, { setAsDefault: false });
    const link = new URL(cluster.dashboardLink as string);
    metricsUrl = `${link.protocol}//${link.host}/metrics`;
    auth = { Authorization: `Bearer ${link.searchParams.get("token") as string}` };
  });
  after(async () => {
    await client?.close();
    await cluster?.close();
  });

  it("names, types and labels every dask_ family exactly as distributed does", async () => {
    const semaphore = new Semaphore({ name: "writers", maxLeases: 3, client });
    await semaphore.acquire();
    const futures = client.map((x: number) => x + 1, Array.from({ length: 12 }, (_, i) => i));
    await client.gather(futures);
    const families = parseMetrics((await httpGet(metricsUrl, auth)).body);
    await semaphore.release();

    const ours = [...families.keys()].filter((name) => name.startsWith("dask_"));
    for (const name of ours) {
      const reference = dask.families[name];
      assert.ok(reference, `${name} is not a family distributed exposes`);
      const family = families.get(name) as Family;
      assert.equal(family.type, reference.type, `${name} type`);
      // Worker families are served by the scheduler for every worker: `worker` and `name` tell them apart.
      const extra = name.startsWith("dask_worker_") ? ["worker", "name"] : [];
      if (family.samples.length > 0) assert.deepEqual([...family.labels].sort(), [...reference.labels, ...extra].sort(), `${name} labels`);
    }
    const wanted = ["dask_scheduler_clients", "dask_scheduler_desired_workers", "dask_scheduler_workers", "dask_scheduler_tasks", "dask_scheduler_tasks_suspicious_total",
      "dask_semaphore_max_leases", "dask_semaphore_active_leases", "dask_semaphore_pending_leases", "dask_semaphore_acquire_total", "dask_semaphore_release_total",
      "dask_semaphore_average_pending_lease_time_s", "dask_worker_tasks", "dask_worker_threads", "dask_worker_memory_bytes", "dask_worker_transfer_incoming_count"];
    for (const name of wanted) assert.ok(families.has(name), `${name} is served`);
    assert.ok(families.has("tessera_scheduler_workers"), "tessera's own families stay");

    const value = (name: string, labels: Record<string, string> = {}) =>
      families.get(name)?.samples.find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
    assert.equal(value("dask_scheduler_clients"), 1);
    assert.equal(value("dask_scheduler_workers", { state: "connected" }), 2);
    assert.deepEqual(families.get("dask_scheduler_tasks")?.samples.map((s) => s.labels.state).sort(), dask.taskStates.filter((s) => s !== "forgotten"));
    assert.equal(value("dask_scheduler_tasks", { state: "memory" }), 12);
    for (const worker of cluster.scheduler.view.workers()) assert.equal(value("dask_worker_threads", { worker: worker.address }), 2);
    const stored = families.get("dask_worker_tasks")?.samples.filter((s) => s.labels.state === "memory").reduce((sum, s) => sum + s.value, 0);
    assert.equal(stored, 12);
    assert.equal(value("dask_semaphore_max_leases", { name: "writers" }), 3);
    assert.equal(value("dask_semaphore_active_leases", { name: "writers" }), 1);
    assert.equal(value("dask_semaphore_acquire_total", { name: "writers" }), 1);
  });
});
