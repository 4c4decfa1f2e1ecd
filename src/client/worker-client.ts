/**
 * Tasks that submit tasks (Dask's get_client, worker_client, secede, rejoin). Inside a task,
 * `getClient()` gives a Client connected to the scheduler as the task's worker is (its
 * address, credential and TLS settings), made once per compute thread and reused by every
 * task that runs there. A task that waits on the tasks it submitted should `secede()` first:
 * it then no longer holds one of its worker's thread slots (nor counts against the worker on
 * the scheduler), so the subtasks can run even on a one-thread worker; `rejoin()` waits for a
 * free slot and takes it again. `workerClient(fn)` does all three: secede, run fn(client),
 * rejoin.
 *
 *   export async function fanOut(n: number) {
 *     const client = await getClient();
 *     secede();
 *     const values = await client.gather(client.map(square, range(n)));
 *     await rejoin();
 *     return sum(values);
 *   }
 *
 * Outside a task, getClient() gives the current default client; secede/rejoin raise.
 */
import { InvalidOptionError } from "../core/errors.js";
import { Security } from "../comm/security.js";
import { currentTask, workerConnectionInfo } from "../graph/task-context.js";
import { Client } from "./client.js";
import { setTaskClientSource } from "./coordination/coordination-client.js";

let threadClient: Promise<Client> | null = null;

function taskOrRaise(what: string) {
  const task = currentTask();
  if (!task) throw new InvalidOptionError(`${what}() can only be called inside a task running on a worker`);
  return task;
}

/** The client of this task's worker thread (connected on first use), or the default client outside tasks. */
export async function getClient(): Promise<Client> {
  const info = workerConnectionInfo();
  if (!info || !currentTask()) {
    const current = Client.current();
    if (!current) throw new InvalidOptionError("getClient(): no client is connected in this process (and this is not a task on a worker)");
    return current;
  }
  const existing = threadClient ? await threadClient.catch(() => null) : null;
  if (existing && !existing.isClosed) return existing;
  const security = info.security && (info.security.ca || info.security.cert) ? new Security(info.security) : undefined;
  threadClient = Client.connect(info.schedulerAddress, { credential: info.credential, ...(security ? { security } : {}), setAsDefault: false });
  return threadClient;
}

// Lock, Semaphore, Queue, Variable and Event made in a task without { client } use the task's client.
setTaskClientSource(() => (workerConnectionInfo() && currentTask() ? getClient() : undefined));

/** The running task gives its thread slot back while it waits on other tasks. */
export function secede(): void {
  taskOrRaise("secede").secede();
}

/** A seceded task waits for a free thread slot on its worker and takes it again. */
export async function rejoin(): Promise<void> {
  await taskOrRaise("rejoin").rejoin();
}

/** Secedes, runs `fn` with the task's client, and rejoins (also when fn throws). */
export async function workerClient<T>(fn: (client: Client) => Promise<T> | T): Promise<T> {
  const task = taskOrRaise("workerClient");
  const client = await getClient();
  task.secede();
  try {
    return await fn(client);
  } finally {
    await task.rejoin();
  }
}
