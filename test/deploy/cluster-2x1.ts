/**
 * A LocalCluster of 2 workers × 1 thread for the enclosing describe block: started before its
 * tests, closed after them, its client the default executor meanwhile. The getters give the
 * cluster (for its scheduler's state, its worker processes) and the client.
 */
import { after, before } from "node:test";
import { Client } from "../../src/client/client.js";
import { LocalCluster } from "../../src/deploy/local-cluster.js";

export function useLocalCluster2x1(): { cluster: () => LocalCluster; client: () => Client } {
  let cluster: LocalCluster | undefined;
  let client: Client | undefined;
  before(async () => {
    cluster = await LocalCluster.start({ nWorkers: 2, threadsPerWorker: 1, dashboardAddress: false });
    client = await Client.connect(cluster);
  });
  after(async () => {
    await client?.close();
    await cluster?.close();
  });
  return { cluster: () => cluster as LocalCluster, client: () => client as Client };
}
