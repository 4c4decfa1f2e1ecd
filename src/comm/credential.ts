/**
 * Where a worker or client finds the cluster credential: an explicit option, a credential
 * file (`--credential-file`, written 0600 on a shared filesystem by job-queue clusters), the
 * scheduler file, or the TESSERA_CREDENTIAL environment variable, in that order.
 */
import { readFileSync, statSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { writeFile, chmod } from "node:fs/promises";
import { InvalidOptionError } from "../core/errors.js";

export const credentialEnvironmentVariable = "TESSERA_CREDENTIAL";

export function newCredential(): string {
  return randomBytes(32).toString("hex");
}

export function readCredentialFile(path: string): string {
  let text: string;
  try {
    const mode = statSync(path).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      throw new InvalidOptionError(`credential file ${path} is readable by other users (mode ${mode.toString(8)}); chmod 600 it`);
    }
    text = readFileSync(path, "utf8").trim();
  } catch (error) {
    if (error instanceof InvalidOptionError) throw error;
    throw new InvalidOptionError(`cannot read credential file ${path}: ${(error as Error).message}`, { cause: error });
  }
  if (!text) throw new InvalidOptionError(`credential file ${path} is empty`);
  return text;
}

export async function writeCredentialFile(path: string, credential: string): Promise<void> {
  await writeFile(path, credential, { mode: 0o600 });
  await chmod(path, 0o600);
}

export function resolveCredential(options: { credential?: string; credentialFile?: string; fromSchedulerFile?: string }): string {
  if (options.credential) return options.credential;
  if (options.credentialFile) return readCredentialFile(options.credentialFile);
  if (options.fromSchedulerFile) return options.fromSchedulerFile;
  const fromEnvironment = process.env[credentialEnvironmentVariable];
  if (fromEnvironment) return fromEnvironment;
  throw new InvalidOptionError(
    "no cluster credential: pass `credential`, a credential file, a scheduler file, or set TESSERA_CREDENTIAL " +
      "(every tessera scheduler requires one; it is in the scheduler file it writes)",
  );
}
