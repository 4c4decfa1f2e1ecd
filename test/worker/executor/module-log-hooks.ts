// Module loader hooks (node:module register) that append the URL of every module loaded to
// the file named by the register call's data: what a compute thread started with
// `--import module-log-register.js` loads, observed from outside it.
import { appendFileSync } from "node:fs";

let logFile: string | undefined;

export function initialize(data: { logFile?: string } | undefined): void {
  logFile = data?.logFile;
}

export async function load(url: string, context: unknown, nextLoad: (url: string, context: unknown) => Promise<unknown>): Promise<unknown> {
  if (logFile) appendFileSync(logFile, `${url}\n`);
  return nextLoad(url, context);
}
