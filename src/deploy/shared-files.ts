/**
 * Files that workers started as separate processes read: the cluster credential (always)
 * and, with TLS, the CA, certificate and key. Job-queue clusters put them where the compute
 * nodes see them; a LocalCluster with TLS, in a private temporary directory. They are written mode 0600 into a
 * directory the nodes share: `sharedTempDirectory`, else `logDirectory`, else `./.tessera/`
 * (with a warning, as dask-jobqueue warns when it falls back to the current directory).
 *
 * A directory written with variables (`$SCRATCH/tessera`) is expanded here to write the
 * files, and kept unexpanded in the job script so the node expands it in its own
 * environment; any other relative directory becomes absolute, since a batch job may start
 * elsewhere (PBS starts jobs in $HOME).
 */
import { chmod, mkdir, rm, writeFile } from "node:fs/promises";
import { isAbsolute, join, resolve } from "node:path";
import { writeCredentialFile } from "../comm/credential.js";
import type { Security } from "../comm/security.js";
import { InvalidOptionError } from "../core/errors.js";
import { uuid } from "../core/ids.js";

export interface SharedFiles {
  /** The directory as the job script names it (unexpanded). */
  directoryInScript: string;
  /** `--credential-file` in the job script. */
  credentialFile: string;
  /** Extra worker flags (`--tls-ca-file …`), empty without TLS. */
  workerFlags: string[];
  /** Local paths written, removed by remove(). */
  written: string[];
}

/** Where the shared files go; `warn` is told when the fallback ./.tessera is used. */
export function chooseSharedDirectory(
  sharedTempDirectory: string | null,
  logDirectory: string | null,
  warn: (message: string) => void,
): string {
  if (sharedTempDirectory) return sharedTempDirectory;
  if (logDirectory) return logDirectory;
  warn(
    "sharedTempDirectory is not set: the cluster credential goes to ./.tessera/ in the current directory, which the " +
    "compute nodes must see. Set sharedTempDirectory (config key jobqueue.<system>.shared-temp-directory) to a " +
    "directory on a shared filesystem to silence this.",
  );
  return ".tessera";
}

/** `$NAME` and `${NAME}` replaced from `env`; an unset variable is an error naming it. */
export function expandVariables(path: string, env: Record<string, string | undefined> = process.env): string {
  return path.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g, (_whole, braced?: string, bare?: string) => {
    const name = (braced ?? bare) as string;
    const value = env[name];
    if (value === undefined) {
      throw new InvalidOptionError(`directory ${JSON.stringify(path)} uses $${name}, which is not set here; set it or give a plain path`);
    }
    return value;
  });
}

export async function writeSharedFiles(directory: string, credential: string, security: Security | undefined): Promise<SharedFiles> {
  const local = resolve(expandVariables(directory));
  const inScript = directory.includes("$") ? directory : isAbsolute(directory) ? directory : local;
  try {
    await mkdir(local, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new InvalidOptionError(`cannot create the shared directory ${local} for the cluster credential: ${(error as Error).message}`, { cause: error });
  }
  const stem = `.tessera-${uuid().slice(0, 12)}`;
  const written: string[] = [];
  const files: SharedFiles = { directoryInScript: inScript, credentialFile: join(inScript, `${stem}.credential`), workerFlags: [], written };
  try {
    await writeCredentialFile(join(local, `${stem}.credential`), credential);
    written.push(join(local, `${stem}.credential`));
    if (security?.hasTls) {
      const pems: Array<[string, string | undefined, string]> = [["ca", security.ca, "--tls-ca-file"], ["cert", security.cert, "--tls-cert"], ["key", security.key, "--tls-key"]];
      for (const [suffix, pem, flag] of pems) {
        const path = join(local, `${stem}.${suffix}.pem`);
        await writeFile(path, pem ?? "", { mode: 0o600 });
        await chmod(path, 0o600);
        written.push(path);
        files.workerFlags.push(flag, join(inScript, `${stem}.${suffix}.pem`));
      }
    }
  } catch (error) {
    await removeSharedFiles(files);
    throw new InvalidOptionError(`cannot write the cluster credential into ${local}: ${(error as Error).message}`, { cause: error });
  }
  return files;
}

export async function removeSharedFiles(files: SharedFiles): Promise<void> {
  await Promise.all(files.written.map((path) => rm(path, { force: true })));
}
