// Reading what the FAKE batch commands of test/fixtures/fake-batch recorded, and a command
// runner that runs them (instead of the real qsub, bsub, condor_submit) by absolute path.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { execFileRunner, type CommandRunner } from "../../src/jobqueue/command-runner.js";

export const fakeBatchDirectory = fileURLToPath(new URL("../../../test/fixtures/fake-batch/", import.meta.url));

export interface FakeCall {
  command: string;
  argv: string[];
  stdin: string;
  /** The submitted script, when an argument named a file. */
  script?: string;
  scriptMode?: string;
}

/** Calls recorded under `recordDirectory`, oldest first. */
export function fakeCalls(recordDirectory: string): FakeCall[] {
  return readdirSync(recordDirectory).filter((name) => name.startsWith("call-")).sort().map((name) => {
    const directory = join(recordDirectory, name);
    const read = (file: string) => (existsSync(join(directory, file)) ? readFileSync(join(directory, file), "utf8") : undefined);
    return {
      command: name.replace(/^call-\d+-/, ""),
      argv: (read("argv") ?? "").split("\0").slice(0, -1),
      stdin: read("stdin") ?? "",
      script: read("script"),
      scriptMode: read("script-mode")?.trim(),
    };
  });
}

/** Runs `<fake-batch>/<system>/<command>`; the fakes record into $FAKE_BATCH_DIR. */
export function fakeRunner(system: string): CommandRunner {
  return (command, args, options) => execFileRunner(join(fakeBatchDirectory, system, command), args, options);
}
