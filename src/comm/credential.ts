/**
 * Where a worker or client finds the cluster credential: an explicit option, a credential
 * file (`--credential-file`, written 0600 on a shared filesystem by job-queue clusters), the
 * scheduler file, or the TESSERA_CREDENTIAL environment variable, in that order.
 *
 * A credential file is read only when it is what it claims to be: a regular file, readable
 * by its owner alone, holding one line of printable characters. Anything else is refused with
 * what to do, and never rewritten: tessera writes a credential only into a file it creates
 * itself (O_CREAT|O_EXCL, mode 0600), so a shell config or a team's shared credential passed
 * by mistake stays as it was.
 */
import { constants, readFileSync, statSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { open } from "node:fs/promises";
import { InvalidOptionError } from "../core/errors.js";

export const credentialEnvironmentVariable = "TESSERA_CREDENTIAL";

/** Longer than any credential anyone types or generates; a larger file is something else. */
const maxCredentialBytes = 4096;

export function newCredential(): string {
  return randomBytes(32).toString("hex");
}

export function readCredentialFile(path: string): string {
  let text: string;
  try {
    const stats = statSync(path);
    if (!stats.isFile()) {
      throw new InvalidOptionError(`credential file ${path} is not a regular file; give the path of the file that holds the cluster credential`);
    }
    const mode = stats.mode & 0o777;
    if ((mode & 0o077) !== 0) {
      throw new InvalidOptionError(
        `credential file ${path} is readable by other users (mode ${mode.toString(8)}); tessera will not use it: ` +
          `if it holds your credential, chmod 600 it; if it is another file, pass the right path`,
      );
    }
    if (stats.size > maxCredentialBytes) {
      throw new InvalidOptionError(`${path} is not a credential file (${stats.size} bytes; a credential is one short line); pass the right path`);
    }
    text = readFileSync(path, "utf8").trim();
  } catch (error) {
    if (error instanceof InvalidOptionError) throw error;
    throw new InvalidOptionError(`cannot read credential file ${path}: ${(error as Error).message}`, { cause: error });
  }
  if (!text) throw new InvalidOptionError(`credential file ${path} is empty; put the cluster credential in it, or delete it to have a new one created`);
  if (!/^[\x21-\x7e]+$/.test(text)) {
    throw new InvalidOptionError(`${path} is not a credential file (a credential is one line of printable characters without spaces); pass the right path`);
  }
  return text;
}

/**
 * Creates `path` holding `credential`, mode 0600, refusing if anything exists there (a file,
 * a link, a directory): an existing file is never overwritten.
 */
export async function writeCredentialFile(path: string, credential: string): Promise<void> {
  let handle;
  try {
    handle = await open(path, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | constants.O_NOFOLLOW, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") {
      throw new InvalidOptionError(`credential file ${path} already exists; tessera does not overwrite it. Use it, or choose another path`, { cause: error });
    }
    throw new InvalidOptionError(`cannot create credential file ${path}: ${(error as Error).message}`, { cause: error });
  }
  try {
    await handle.writeFile(credential);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * The credential in `path`, or a new one written there when nothing exists at the path.
 * A file that exists but cannot be used is refused (readCredentialFile), never replaced.
 */
export async function readOrCreateCredentialFile(path: string): Promise<{ credential: string; created: boolean }> {
  let missing: boolean;
  try {
    statSync(path);
    missing = false;
  } catch (error) {
    missing = (error as NodeJS.ErrnoException).code === "ENOENT";
  }
  if (!missing) return { credential: readCredentialFile(path), created: false };
  const credential = newCredential();
  await writeCredentialFile(path, credential);
  return { credential, created: true };
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
