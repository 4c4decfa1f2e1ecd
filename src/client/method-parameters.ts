/**
 * The parameters of the Client's and the Future's methods, as their signatures name them: each
 * method refuses arguments beyond these (core/argument-count.ts). JavaScript drops extra
 * arguments unseen, so Dask's keywords written as an options object where a method takes none
 * ran with the defaults: `client.uploadFile(path, { load: false })` loaded the file,
 * `client.close({ timeout: 10 })` and `future.result(5, { raiseErrors: false })` ignored theirs.
 * Methods that take any number of arguments (submit, map, run, runOnScheduler, story) are not
 * listed: theirs go to the user's function or name keys.
 */
const optionsOnly = ["options"] as const;
const futuresAndOptions = ["futures", "options"] as const;

export const clientMethodParameters: Readonly<Record<string, readonly string[]>> = {
  cancel: futuresAndOptions, gather: futuresAndOptions, scatter: ["data", "options"], compute: ["graph", "keys", "options"], persist: ["graph", "keys", "options"],
  waitForWorkers: ["n", "options"], refreshSchedulerInfo: [], schedulerInfo: [], currentSchedulerInfo: [], workerMemoryLimits: [], unrunnable: [],
  runWith: optionsOnly, retireWorkers: optionsOnly, getTaskStream: optionsOnly, getTransferLog: optionsOnly, profile: optionsOnly, restart: optionsOnly,
  getWorkerLogs: optionsOnly, getSchedulerLogs: optionsOnly, forwardLogging: optionsOnly,
  fireAndForget: ["futures"], retry: ["futures"], whoHas: ["futures"], hasWhat: ["workers"], replicate: futuresAndOptions, rebalance: futuresAndOptions,
  publishDataset: ["name", "value", "options"], getDataset: ["name", "options"], listDatasets: [], unpublishDataset: ["name"],
  registerWorkerPlugin: ["plugin", "options"], unregisterWorkerPlugin: ["name"], registerSchedulerPlugin: ["plugin", "options"], uploadFile: ["path"],
  logEvent: ["topic", "msg"], getEvents: ["topic"], subscribeTopic: ["topic", "handler"], close: [],
};

export const futureMethodParameters: Readonly<Record<string, readonly string[]>> = {
  done: [], cancelled: [], result: ["timeout"], exception: ["timeout"], cancel: optionsOnly, retry: [], addDoneCallback: ["callback"], release: [],
};

/** How the client's refusals read: whose keywords a user may have meant. */
export const clientArgumentWording = { keywordsOf: "Dask's" };
