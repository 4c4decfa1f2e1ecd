/**
 * Opening a client's connection to the scheduler (Client.connect): the target resolved (an
 * address, a cluster, a scheduler file, or a LocalCluster started for the client when none
 * is given), the timeouts read from the options or the configuration (Dask's
 * distributed.comm.timeouts), then the connection opened, watched for liveness and
 * registered as a client.
 */
import { connect } from "../comm/connect.js";
import type { Connection } from "../comm/connection.js";
import { watchLiveness } from "../comm/liveness.js";
import type { Security } from "../comm/security.js";
import { commTimeouts } from "../config/index.js";
import { InvalidOptionError } from "../core/errors.js";
import { createLogger, type Logger } from "../core/log.js";
import { parseDuration } from "../core/units.js";
import { resolveTarget, type ClientOptions, type ClientTarget, type ClusterLike } from "./client-types.js";
import { checkOptionNames, type OptionNames } from "./option-names.js";
import type { ReconnectTarget } from "./reconnect.js";

/** A cluster started for one client, closed with it. */
export type OwnedCluster = ClusterLike & { close(): Promise<void> };

/** A registered scheduler connection and what the client keeps of how it was reached. */
export interface OpenedScheduler {
  connection: Connection;
  registration: { clientId: string; schedulerId: string; nWorkers: number };
  /** The scheduler's address as the user knows it (the client's schedulerAddress). */
  address: string;
  credential: string;
  security: Security | undefined;
  /** The cluster's own dashboard link, when the target was a cluster that has one. */
  dashboardLink: string | undefined;
  logger: Logger;
  /** The LocalCluster started for this client, if it was given no target. */
  owned: OwnedCluster | null;
  /** How to reach the scheduler again after a drop, and for how long to try (0: never). */
  reconnectTarget: ReconnectTarget;
  reconnectSeconds: number;
}

const clientOptionNames: OptionNames<ClientOptions> = {
  timeout: true, schedulerTimeout: true, reconnectTimeout: true, credential: true, credentialFile: true, security: true, graphPartTasks: true, setAsDefault: true,
};

export async function openScheduler(target: ClientTarget | undefined, options: ClientOptions, localClusterFactory: (() => Promise<OwnedCluster>) | null): Promise<OpenedScheduler> {
  // Before anything starts: a misspelt timeout would otherwise connect with the default.
  checkOptionNames(options, clientOptionNames, "Client.connect");
  let owned: OwnedCluster | null = null;
  if (target === undefined) {
    if (!localClusterFactory) throw new InvalidOptionError("Client.connect() needs an address, a cluster or { schedulerFile }");
    owned = await localClusterFactory();
    target = owned;
  }
  const timeout = parseDuration(options.timeout ?? commTimeouts().connectSeconds, "timeout");
  const schedulerTimeout = parseDuration(options.schedulerTimeout ?? commTimeouts().tcpSeconds, "schedulerTimeout");
  if (schedulerTimeout <= 0) throw new InvalidOptionError(`schedulerTimeout must be positive, got ${String(options.schedulerTimeout)}`);
  const reconnectSeconds = parseDuration(options.reconnectTimeout ?? timeout, "reconnectTimeout");
  const { address, connectTo, credential, security, dashboardLink } = await resolveTarget(target, options, timeout);
  const logger = createLogger("client");
  const connection = await connect(connectTo, { credential, security, logger, timeout });
  watchLiveness(connection, { timeoutMs: schedulerTimeout * 1000, peerName: "the scheduler" });
  connection.start(() => {});
  const reply = await connection.request({ op: "register-client" }, [], { timeoutMs: timeout * 1000 });
  const registration = reply.result as OpenedScheduler["registration"];
  const reconnectTarget: ReconnectTarget = {
    address: connectTo, credential, security, schedulerTimeoutSeconds: schedulerTimeout,
    ...(typeof target === "object" && "schedulerFile" in target ? { schedulerFile: target.schedulerFile } : {}),
  };
  return { connection, registration, address, credential, security, dashboardLink, logger, owned, reconnectTarget, reconnectSeconds };
}
