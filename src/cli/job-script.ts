/**
 * `tessera job-script <system> [--cores 24 --memory 128GB …]`: prints the job script a
 * cluster with these options would submit, resolving options exactly as the cluster does
 * (explicit > config.set > environment > files > defaults), with a placeholder scheduler
 * address and worker name.
 */
import { batchSystemNames, isBatchSystem, normaliseKey, parseYamlScalar, resolveJobQueueOptions } from "../config/index.js";
import { InvalidOptionError } from "../core/errors.js";
import { renderJobScript } from "../jobqueue/job-script.js";
import { detectLsfUnits } from "../jobqueue/memory-requests.js";

const listOptions = new Set([
  "worker-extra-args", "job-script-prologue", "job-script-epilogue", "job-extra-directives",
  "job-directives-skip", "submit-command-extra", "cancel-command-extra",
]);

/** Whether a job option takes a list (its name in any case: `jobExtraDirectives`, `job-extra-directives`). */
export function isListOption(name: string): boolean {
  return listOptions.has(normaliseKey(name));
}

export const placeholderSchedulerAddress = "tcp://<scheduler-address>:8786";
const placeholderWorkerName = "dummy-name";

/**
 * The job script for `system`. Option values given as strings (command-line flags) are read
 * as YAML scalars, like environment variables: "24" is a number, "[a, b]" a list, "02:00:00"
 * stays a string.
 */
export function jobScriptCommand(system: string, options: Record<string, unknown>): string {
  const name = system.toLowerCase();
  if (!isBatchSystem(name)) {
    throw new InvalidOptionError(`job-script: unknown batch system ${JSON.stringify(system)}; use one of ${batchSystemNames.join(", ")}`);
  }
  const explicit = Object.fromEntries(
    Object.entries(options).map(([key, value]) => {
      if (typeof value !== "string") return [key, value];
      const parsed = parseYamlScalar(value);
      // A list option given once on the command line is a list of one.
      return [key, isListOption(key) && typeof parsed === "string" ? [parsed] : parsed];
    }),
  );
  const configName = typeof explicit.configName === "string" ? explicit.configName : undefined;
  delete explicit.configName;
  const resolved = resolveJobQueueOptions(name, explicit, configName);
  return renderJobScript(name, resolved, {
    schedulerAddress: placeholderSchedulerAddress,
    workerName: placeholderWorkerName,
    lsfUnits: name === "lsf" ? detectLsfUnits() : undefined,
  });
}
