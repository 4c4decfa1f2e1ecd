/**
 * The shape of tessera's configuration: every key tessera reads, with a zod schema for its
 * value. The tree mirrors `defaults.yaml` exactly (a test holds them together); a key that is
 * not here is an error wherever it is written. Leaf schemas carry the words of the error a
 * user sees ("is not a number"), and turn what YAML gives (`account: 12345`) into the type
 * tessera uses (the string "12345").
 */
import { z } from "zod";
import { parseBytes, parseDuration } from "../core/units.js";
import { parseWalltime, walltimeHint, type WalltimeSyntax } from "./walltime.js";

export interface SchemaLeaf {
  kind: "leaf";
  schema: z.ZodTypeAny;
}

export interface SchemaBranch {
  kind: "branch";
  children: Record<string, SchemaNode>;
  /** Schema for children not named in `children` (custom jobqueue sections); none ⇒ unknown key. */
  otherChildren?: SchemaNode;
}

export type SchemaNode = SchemaLeaf | SchemaBranch;

const leaf = (schema: z.ZodTypeAny): SchemaLeaf => ({ kind: "leaf", schema });
const branch = (children: Record<string, SchemaNode>, otherChildren?: SchemaNode): SchemaBranch => ({
  kind: "branch", children, otherChildren,
});
/** The first option that accepts the value decides its output; if none does, one message. */
const oneOf = (options: z.ZodTypeAny[], message: string) =>
  z.unknown().transform((value, context) => {
    for (const option of options) {
      const result = option.safeParse(value);
      if (result.success) return result.data as unknown;
    }
    context.addIssue({ code: z.ZodIssueCode.custom, message });
    return z.NEVER;
  });

const number = z.number({ invalid_type_error: "is not a number" });
const wholeNumber = number.int("is not a whole number");
const positiveInteger = wholeNumber.positive("is not a positive whole number");
const nonNegativeInteger = wholeNumber.nonnegative("is not zero or a positive whole number");
const fraction = number.min(0, "is not a fraction between 0 and 1").max(1, "is not a fraction between 0 and 1");
const thresholdOrFalse = oneOf([z.literal(false), fraction], "is not a fraction between 0 and 1 or false");
const bool = z.boolean({ invalid_type_error: "is not true or false" });
const text = oneOf([z.string(), number.transform(String)], "is not a string");
const textList = z.array(text, { invalid_type_error: "is not a list of strings" });
const mapping = z.record(z.unknown(), { invalid_type_error: "is not a mapping" });
const textMapping = z.record(text, { invalid_type_error: "is not a mapping of names to values" });

/** A refinement that accepts the strings `parse` reads without throwing. */
export const parses = (parse: (value: string) => unknown) => (value: string): boolean => {
  try {
    parse(value);
    return true;
  } catch {
    return false;
  }
};
const byteSize = oneOf(
  [number.nonnegative(), z.string().refine(parses(parseBytes))],
  'is not a byte size; write e.g. "4GiB", "128GB" or a number of bytes',
);
const duration = oneOf(
  [number.nonnegative(), z.string().refine(parses(parseDuration))],
  'is not a duration; write e.g. "60s", "5 minutes", "500ms" or a number of seconds',
);
const saturation = oneOf(
  [number.positive(), z.enum(["inf", "Infinity"]).transform(() => Infinity)],
  'is not a positive number or "inf"',
);
const lsfUnits = z.string({ invalid_type_error: "is not an LSF unit" })
  .regex(/^[kmgtpez]b?$/i, 'is not an LSF unit; write one of "kb", "mb", "gb", "tb"');
const walltime = (syntax: WalltimeSyntax) =>
  oneOf([z.string(), number], `is not a ${syntax} walltime`).superRefine((value, context) => {
    try {
      parseWalltime(syntax, value as string | number);
    } catch {
      context.addIssue({ code: z.ZodIssueCode.custom, message: `is not a ${syntax} walltime; ${walltimeHint[syntax]}` });
    }
  });
const anyWalltime = oneOf([z.string(), number], "is not a walltime");

/** Keys every jobqueue section has (dask-jobqueue's common keys, plus its deprecated names). */
function commonJobKeys(listOrMapping: z.ZodTypeAny): Record<string, SchemaNode> {
  return {
    name: leaf(text.nullable()),
    cores: leaf(positiveInteger.nullable()),
    memory: leaf(byteSize.nullable()),
    processes: leaf(positiveInteger.nullable()),
    python: leaf(text.nullable()),
    interface: leaf(text.nullable()),
    "death-timeout": leaf(duration.nullable()),
    "local-directory": leaf(text.nullable()),
    "shared-temp-directory": leaf(text.nullable()),
    extra: leaf(textList.nullable()),
    "worker-command": leaf(text.nullable()),
    "worker-extra-args": leaf(textList.nullable()),
    shebang: leaf(text),
    "env-extra": leaf(textList.nullable()),
    "job-script-prologue": leaf(textList.nullable()),
    "job-script-epilogue": leaf(textList.nullable()),
    "job-extra": leaf(listOrMapping.nullable()),
    "job-extra-directives": leaf(listOrMapping.nullable()),
    "job-directives-skip": leaf(textList.nullable()),
    "header-skip": leaf(textList.nullable()),
    "log-directory": leaf(text.nullable()),
    "scheduler-options": leaf(mapping.nullable()),
  };
}

export const batchSystemNames = ["slurm", "pbs", "sge", "lsf", "htcondor"] as const;
export type BatchSystem = (typeof batchSystemNames)[number];

const optionalText = leaf(text.nullable());

const systemKeys: Record<BatchSystem, Record<string, SchemaNode>> = {
  slurm: {
    queue: optionalText, account: optionalText, project: optionalText,
    walltime: leaf(walltime("slurm").nullable()),
    "job-cpu": leaf(positiveInteger.nullable()), "job-mem": optionalText,
  },
  pbs: {
    queue: optionalText, account: optionalText, project: optionalText,
    "resource-spec": optionalText, walltime: leaf(walltime("pbs").nullable()),
  },
  sge: {
    queue: optionalText, project: optionalText,
    "resource-spec": optionalText, walltime: leaf(walltime("sge").nullable()),
  },
  lsf: {
    queue: optionalText, project: optionalText, walltime: leaf(walltime("lsf").nullable()),
    ncpus: leaf(positiveInteger.nullable()), mem: leaf(byteSize.nullable()),
    "lsf-units": leaf(lsfUnits.nullable()), "use-stdin": leaf(bool),
  },
  htcondor: {
    disk: leaf(byteSize.nullable()),
    "submit-command-extra": leaf(textList.nullable()),
    "cancel-command-extra": leaf(textList.nullable()),
  },
};

/** The schema of `jobqueue.<system>`. */
export function jobqueueSectionSchema(system: BatchSystem): SchemaBranch {
  const directives = system === "htcondor" ? textMapping : textList;
  return branch({ ...commonJobKeys(directives), ...systemKeys[system] });
}

/**
 * A custom section (`config_name="my-slurm"`) may hold any jobqueue key; its values are
 * checked loosely here and exactly when a cluster of a given system reads the section.
 */
const customJobqueueSection = branch({
  ...commonJobKeys(oneOf([textList, textMapping], "is not a list of strings or a mapping")),
  ...Object.assign({}, ...Object.values(systemKeys)),
  walltime: leaf(anyWalltime.nullable()),
});

export const configSchema: SchemaBranch = branch({
  distributed: branch({
    scheduler: branch({
      "allowed-failures": leaf(nonNegativeInteger),
      "worker-saturation": leaf(saturation),
      "idle-timeout": leaf(duration.nullable()),
      "worker-ttl": leaf(duration.nullable()),
      "unknown-task-duration": leaf(duration),
      bandwidth: leaf(byteSize),
      "work-stealing": leaf(bool),
      "no-workers-timeout": leaf(duration.nullable()),
      locks: branch({
        "lease-validation-interval": leaf(duration),
        "lease-timeout": leaf(duration),
      }),
      "active-memory-manager": branch({
        start: leaf(bool),
        interval: leaf(duration),
      }),
    }),
    worker: branch({
      memory: branch({
        target: leaf(thresholdOrFalse),
        spill: leaf(thresholdOrFalse),
        pause: leaf(thresholdOrFalse),
        terminate: leaf(thresholdOrFalse),
        "max-spill": leaf(oneOf([z.literal(false), byteSize], 'is not a byte size or false')),
        "monitor-interval": leaf(duration),
        "spill-compression": leaf(oneOf([z.literal(false), z.enum(["auto", "zlib"])], 'is not "auto", "zlib" or false')),
        "pause-timeout": leaf(duration.nullable()),
      }),
      lifetime: branch({
        duration: leaf(duration.nullable()),
        stagger: leaf(duration),
      }),
    }),
    comm: branch({
      timeouts: branch({ connect: leaf(duration), tcp: leaf(duration) }),
    }),
    dashboard: branch({ link: leaf(text) }),
  }),
  array: branch({ "chunk-size": leaf(byteSize) }),
  jobqueue: branch(
    Object.fromEntries(batchSystemNames.map((system) => [system, jobqueueSectionSchema(system)])),
    customJobqueueSection,
  ),
});

/** The node at `path`, or undefined when no such key exists. */
export function schemaAt(path: readonly string[], root: SchemaNode = configSchema): SchemaNode | undefined {
  let node: SchemaNode | undefined = root;
  for (const part of path) {
    if (!node || node.kind !== "branch") return undefined;
    node = node.children[part] ?? node.otherChildren;
  }
  return node;
}
