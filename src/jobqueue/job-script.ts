/**
 * Renders a worker job's script from resolved options, as dask-jobqueue lays it out:
 *
 *   <shebang>
 *   <empty line>
 *   <header lines>            generated directives minus skipped ones, then extra directives
 *   <prologue lines>          (an empty line if none)
 *   <worker command>
 *   <epilogue lines>          (an empty line if none)
 *
 * HTCondor's submit description differs: `key = value` header, then `Arguments` running
 * prologue; command; epilogue through `/bin/sh -c`, and `Queue`. Pure: same input, same text.
 *
 * Every value in the worker command is shell-quoted (shell-words.ts); prologue and epilogue
 * lines are the user's own shell and stay as written. No value may hold a line break: in a
 * directive it would end the line and start a shell line of its own.
 */
import type { BatchSystem, JobQueueOptionsFor } from "../config/index.js";
import { InvalidOptionError } from "../core/errors.js";
import type { HeaderContext } from "./batch-system.js";
import { batchSystems } from "./batch-systems.js";
import { computeJobResources } from "./resources.js";
import { refuseLineBreaks } from "./shell-words.js";
import { buildWorkerCommand, jobWorkerLifetime, tesseraWorkerInvocation } from "./worker-command.js";

export interface JobScriptContext {
  /** Where workers connect, e.g. "tcp://10.0.0.5:8786". */
  schedulerAddress: string;
  /** `--name`; with several processes the worker CLI names them `<name>-0`, `<name>-1`… */
  workerName: string;
  /** File holding the cluster credential, readable on the nodes. */
  credentialFile?: string;
  /** Replaces `<node> <tessera.js> worker` when options.workerCommand is unset (tests). */
  workerInvocation?: string;
  /** LSF `-M` unit when options.lsfUnits is unset; detect with detectLsfUnits(). Default "kb". */
  lsfUnits?: string;
}

export function renderJobScript<S extends BatchSystem>(
  system: S,
  options: JobQueueOptionsFor<S>,
  context: JobScriptContext,
): string {
  if (options.system !== system) {
    throw new InvalidOptionError(`renderJobScript: options were resolved for ${options.system}, not ${system}`);
  }
  const resources = computeJobResources(options);
  const header: HeaderContext = { workerName: context.workerName, resources, lsfUnits: context.lsfUnits ?? "kb" };
  const command = buildWorkerCommand({
    invocation: options.workerCommand ?? context.workerInvocation ?? tesseraWorkerInvocation(),
    schedulerAddress: context.schedulerAddress,
    workerName: context.workerName,
    resources,
    options,
    lifetime: jobWorkerLifetime(options),
    credentialFile: context.credentialFile,
  });
  const prologue = options.jobScriptPrologue.filter((line) => line !== "");
  const epilogue = options.jobScriptEpilogue.filter((line) => line !== "");

  const spec = batchSystems[options.system];
  if (spec.layout === "submit-description") {
    const htcondorOptions = options as JobQueueOptionsFor<"htcondor">;
    const entries = new Map(spec.headerEntries(htcondorOptions, header));
    for (const skipped of options.jobDirectivesSkip) entries.delete(skipped);
    for (const [key, value] of Object.entries(htcondorOptions.jobExtraDirectives)) entries.set(key, value);
    const headerText = [...entries].map(([key, value]) => {
      refuseLineBreaks(`job script directive ${key}`, value);
      return `${key} = ${value}`;
    }).join("\n");
    const shellCommand = [...prologue, command, ...epilogue].join("; ");
    return `${options.shebang}\n\n${headerText}\n\nArguments = "${quoteCondorArguments(["-c", shellCommand])}"\n` +
      `Executable = /bin/sh\n\nQueue\n`;
  }

  // A skip substring drops any generated line containing it ("-t" also drops
  // "--cpus-per-task"); extra directives are added after the filter and always kept.
  const generated = (spec.headerLines as (o: typeof options, c: HeaderContext) => string[])(options, header)
    .filter((line) => !options.jobDirectivesSkip.some((skip) => line.includes(skip)));
  const extras = (options.jobExtraDirectives as string[]).map((directive) => `${spec.directivePrefix} ${directive}`);
  for (const line of [...generated, ...extras]) refuseLineBreaks("job script directive", line);
  return `${options.shebang}\n\n${[...generated, ...extras].join("\n")}\n${prologue.join("\n")}\n${command}\n${epilogue.join("\n")}\n`;
}

/**
 * HTCondor's "new" argument quoting: quotes are doubled, and an argument with a space or a
 * single quote is wrapped in single quotes. The caller wraps the whole in double quotes.
 */
export function quoteCondorArguments(args: readonly string[]): string {
  return args
    .map((argument) => {
      const doubled = argument.replace(/'/g, "''").replace(/"/g, '""');
      return doubled.includes(" ") || doubled.includes("'") ? `'${doubled}'` : doubled;
    })
    .join(" ");
}
