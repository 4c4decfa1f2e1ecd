/**
 * `tessera scheduler`: a scheduler process (with its dashboard) that workers and clients
 * join. It binds to localhost unless told otherwise (--host, --interface): on a shared
 * cluster anyone can reach an open port. The credential goes into the scheduler file (or a
 * credential file), both readable by the user only.
 */
import type { Command } from "commander";
import { homedir } from "node:os";
import { join } from "node:path";
import { mkdir } from "node:fs/promises";
import { rmSync } from "node:fs";
import { createLogger } from "../core/log.js";
import { formatAddress } from "../comm/address.js";
import { readOrCreateCredentialFile, writeCredentialFile } from "../comm/credential.js";
import { interfaceAddress } from "../comm/network-interface.js";
import { SchedulerServer } from "../scheduler/server/scheduler-server.js";
import { attachDashboard } from "../deploy/dashboard-hook.js";
import { collectOption, durationOption, portOption, securityFromFlags, type TlsFlags } from "./common-options.js";
import { schedulerSettings } from "../config/index.js";
import { exitCodeHelp, exitCodes } from "./exit-codes.js";

interface SchedulerFlags extends TlsFlags {
  port: number;
  host?: string;
  interface?: string;
  schedulerFile?: string;
  dashboardAddress: string;
  dashboard: boolean;
  idleTimeout?: number;
  credentialFile?: string;
  preload: string[];
}

export function registerSchedulerCommand(program: Command, setExit: (code: number) => void): void {
  program
    .command("scheduler")
    .description("start a scheduler")
    .option("--port <port>", "port to listen on (0 for any free one)", portOption, 8786)
    .option("--host <host>", "address to bind (default 127.0.0.1; 0.0.0.0 for all interfaces)")
    .option("--interface <name>", "bind to this network interface's address (e.g. ib0)")
    .option("--scheduler-file <path>", "write address and credential here (mode 600) for workers and clients")
    .option("--dashboard-address <address>", "dashboard address", ":8787")
    .option("--no-dashboard", "do not serve the dashboard")
    .option("--idle-timeout <duration>", "close after this long without work", durationOption("--idle-timeout"))
    .option("--credential-file <path>", "use this credential file (mode 600), or create it (mode 600) when nothing exists at the path")
    .option("--preload <module>", "a module whose tesseraSetup(scheduler) runs at start, e.g. to add scheduler plugins (repeatable)", collectOption, [])
    .option("--tls-ca-file <path>").option("--tls-cert <path>").option("--tls-key <path>")
    .addHelpText("after", exitCodeHelp)
    .action(async (flags: SchedulerFlags) => setExit(await runScheduler(flags)));
}

async function runScheduler(flags: SchedulerFlags): Promise<number> {
  const logger = createLogger("scheduler");
  const security = securityFromFlags(flags);
  const host = flags.interface ? interfaceAddress(flags.interface) : flags.host ?? "127.0.0.1";
  // An existing credential file is used as it is or refused (mode, contents), never rewritten;
  // only a path where nothing exists gets a new credential.
  const credential = flags.credentialFile ? (await readOrCreateCredentialFile(flags.credentialFile)).credential : undefined;
  const scheduler = await SchedulerServer.start({
    address: formatAddress({ scheme: security?.hasTls ? "tls" : "tcp", host, port: flags.port }),
    credential, security, schedulerFile: flags.schedulerFile,
    // Without the flag, distributed.scheduler.idle-timeout of the configuration applies.
    settings: { ...(flags.idleTimeout === undefined ? {} : { idleTimeout: flags.idleTimeout }), noWorkersTimeout: schedulerSettings().noWorkersTimeoutSeconds },
    logger, preload: flags.preload,
  });
  let credentialNote = flags.schedulerFile ? `scheduler file ${flags.schedulerFile}` : flags.credentialFile ? `credential file ${flags.credentialFile}` : "";
  if (!credentialNote) {
    const directory = join(homedir(), ".tessera", "credentials");
    await mkdir(directory, { recursive: true, mode: 0o700 });
    const file = join(directory, `${scheduler.id}.credential`);
    await writeCredentialFile(file, scheduler.credential);
    // Removed on any exit, a crash included: a credential must not outlive its scheduler.
    process.once("exit", () => rmSync(file, { force: true }));
    credentialNote = `credential file ${file} (give workers and clients --credential-file ${file})`;
  }
  const dashboard = flags.dashboard ? await attachDashboard(scheduler, flags.dashboardAddress, host) : undefined;
  if (flags.schedulerFile) await scheduler.writeFile();
  process.stdout.write(`Scheduler at ${scheduler.address}\n${dashboard ? `Dashboard at ${dashboard}\n` : ""}Credential in the ${credentialNote}\n`);
  const stop = () => void scheduler.close();
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  await scheduler.finished;
  logger.info("scheduler closed");
  return exitCodes.ok;
}
