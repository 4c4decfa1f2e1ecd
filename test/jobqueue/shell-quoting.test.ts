// Issue 9: hostile values in a job script are data, never shell. Rendered scripts of every
// batch system are run for real (bash for the shell-script systems; HTCondor's Arguments
// decoded as condor_submit does, then `/bin/sh -c`), with a recorder in place of the worker
// CLI: it writes the arguments it received. Each hostile value must reach it as one argument,
// byte for byte, and no injected command may run (no INJECTED in the output, no marker file).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveJobQueueOptions } from "../../src/config/jobqueue-options.js";
import type { BatchSystem } from "../../src/config/schema.js";
import { InvalidOptionError } from "../../src/core/errors.js";
import { renderJobScript } from "../../src/jobqueue/job-script.js";
import { shellLiteral, shellWordKeepingVariables } from "../../src/jobqueue/shell-words.js";
import { createConfigSandbox, type ConfigSandbox } from "../config/sandbox.js";

let directory = "";
let recorder = "";
let marker = "";
let box: ConfigSandbox;

/** Values a careless or hostile user might give; each tries to run `echo INJECTED` and touch the marker. */
const hostile = (m: string) => [
  `/scratch/my dir;echo INJECTED;touch ${m}`,
  `$(echo INJECTED; touch ${m})`,
  `\`echo INJECTED; touch ${m}\``,
  `'; echo INJECTED; touch ${m}; '`,
  `"; echo INJECTED; touch ${m}; "`,
  `\${HOME:-$(touch ${m})}`,
  `a|touch ${m}`,
  `a && touch ${m} # comment`,
  `/tmp/*`,
  `\\$(touch ${m})`,
  `with 'single' and "double" quotes`,
];

before(() => {
  box = createConfigSandbox();
  directory = mkdtempSync(join(tmpdir(), "tessera-quoting-"));
  marker = join(directory, "injected-marker");
  recorder = join(directory, "record-args");
  // The stand-in for `node tessera.js worker`: its arguments, each NUL-terminated.
  writeFileSync(recorder, '#!/bin/bash\nprintf \'%s\\0\' "$@" > "$RECORD"\n');
  chmodSync(recorder, 0o755);
});
after(() => {
  box.remove();
  rmSync(directory, { recursive: true, force: true });
});

function render(system: BatchSystem, options: Record<string, unknown>, credentialFile?: string): string {
  const resolved = resolveJobQueueOptions(system, { cores: 1, memory: "1GB", lifetime: false, ...(system === "htcondor" ? { disk: "1GB" } : {}), ...options },
    undefined, { store: box.store() });
  return renderJobScript(system, resolved, {
    schedulerAddress: "tcp://127.0.0.1:8786", workerName: "w-0", workerInvocation: shellLiteral(recorder), credentialFile, lsfUnits: "mb",
  });
}

/** What HTCondor does with `Arguments = "…"` (its "new" syntax): the argument list. */
function condorArguments(script: string): string[] {
  const line = /^Arguments = "(.*)"$/m.exec(script)?.[1];
  assert.ok(line !== undefined, script);
  const text = line.replace(/""/g, '"');
  const args: string[] = [];
  let current = "";
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const character = text[i];
    if (character === "'") {
      inWord = true;
      for (i++; i < text.length; i++) {
        if (text[i] === "'" && text[i + 1] === "'") { current += "'"; i++; } else if (text[i] === "'") break; else current += text[i];
      }
    } else if (character === " ") {
      if (inWord) args.push(current);
      current = "";
      inWord = false;
    } else {
      current += character;
      inWord = true;
    }
  }
  if (inWord) args.push(current);
  return args;
}

/** Runs the rendered job as the batch system would; returns the recorded arguments and the output. */
function runJob(system: BatchSystem, script: string, env: Record<string, string> = {}): { args: string[]; output: string } {
  const record = join(directory, "args");
  rmSync(record, { force: true });
  const file = join(directory, "job");
  writeFileSync(file, script);
  const fullEnv = { PATH: process.env.PATH ?? "", HOME: directory, RECORD: record, ...env };
  const output = system === "htcondor"
    ? execFileSync("/bin/sh", condorArguments(script), { env: fullEnv, encoding: "utf8", cwd: directory })
    : execFileSync("bash", [file], { env: fullEnv, encoding: "utf8", cwd: directory });
  const args = readFileSync(record, "utf8").split("\0").slice(0, -1);
  return { args, output };
}

const systems: BatchSystem[] = ["slurm", "pbs", "sge", "lsf", "htcondor"];

describe("hostile values in rendered job scripts are passed literally, under a real shell", () => {
  for (const system of systems) {
    it(`${system}: localDirectory, workerExtraArgs, the cluster's worker name, interface and credential path`, () => {
      for (const value of hostile(marker)) {
        const script = render(system, { localDirectory: value, workerExtraArgs: ["--resources", value], interface: value }, `${value}/cred`);
        const { args, output } = runJob(system, script);
        assert.ok(!output.includes("INJECTED"), `${system}, ${JSON.stringify(value)}: ${output}`);
        assert.ok(!existsSync(marker), `${system}, ${JSON.stringify(value)} ran the injected command`);
        const after = (flag: string) => args[args.indexOf(flag) + 1];
        assert.equal(after("--local-directory"), value, `${system}: the path is used literally`);
        assert.equal(after("--resources"), value);
        assert.equal(after("--interface"), value);
        assert.equal(after("--credential-file"), `${value}/cred`);
        assert.deepEqual(args.slice(0, 3), ["tcp://127.0.0.1:8786", "--name", "w-0"]);
      }
    });
  }

  it("a worker name from a hostile cluster name stays one argument", () => {
    const resolved = resolveJobQueueOptions("slurm", { cores: 1, memory: "1GB", lifetime: false }, undefined, { store: box.store() });
    const name = `x;touch ${marker}`;
    const script = renderJobScript("slurm", resolved, { schedulerAddress: "tcp://127.0.0.1:8786", workerName: name, workerInvocation: shellLiteral(recorder) });
    const { args } = runJob("slurm", script);
    assert.equal(args[2], name);
    assert.ok(!existsSync(marker));
  });

  it("$NAME and ${NAME} still expand on the node, as dask-jobqueue users expect ($TMPDIR)", () => {
    for (const system of systems) {
      const script = render(system, { localDirectory: "$TMPDIR/my scratch", workerExtraArgs: ["${TMPDIR}x", "$1$(touch m)"] }, "$SCRATCH/.tessera/cred");
      const { args } = runJob(system, script, { TMPDIR: "/node/tmp dir", SCRATCH: "/scratch/alice" });
      assert.equal(args[args.indexOf("--local-directory") + 1], "/node/tmp dir/my scratch", system);
      assert.equal(args[args.indexOf("--credential-file") + 1], "/scratch/alice/.tessera/cred", system);
      assert.deepEqual(args.slice(args.indexOf("--local-directory") + 2, args.indexOf("--local-directory") + 4), ["/node/tmp dirx", "$1$(touch m)"], system);
      assert.ok(!existsSync(join(directory, "m")));
      // A variable beside an injection attempt: the variable expands, the rest stays text.
      for (const tail of [`;echo INJECTED;$(touch ${marker})`, `\`touch ${marker}\``, `"; touch ${marker}; "`, `\\$(touch ${marker})`]) {
        const run = runJob(system, render(system, { localDirectory: `$HOME/x${tail}` }));
        assert.equal(run.args[run.args.indexOf("--local-directory") + 1], `${directory}/x${tail}`, `${system}: ${tail}`);
        assert.ok(!run.output.includes("INJECTED") && !existsSync(marker), `${system}: ${tail} ran`);
      }
    }
  });

  it("refuses a value with a line break, which would end a directive and start a shell line", () => {
    assert.throws(() => render("slurm", { queue: "normal\necho INJECTED" }), (error: Error) =>
      error instanceof InvalidOptionError && /job script directive: "#SBATCH -p normal\\necho INJECTED" contains a line break/.test(error.message));
    assert.throws(() => render("sge", { jobExtraDirectives: ["-l h_rt=1\ntouch x"] }), /contains a line break/);
    assert.throws(() => render("pbs", { localDirectory: "/tmp/a\ntouch x" }), /localDirectory: "\/tmp\/a\\ntouch x" contains a line break/);
    assert.throws(() => render("htcondor", { jobExtraDirectives: { Requirements: "true\nQueue 100" } }), /job script directive Requirements/);
  });
});

describe("shell words", () => {
  it("leaves plain words alone and quotes the rest", () => {
    assert.equal(shellLiteral("/scratch/a-b_c.d:1,2=3@x%y+z"), "/scratch/a-b_c.d:1,2=3@x%y+z");
    assert.equal(shellLiteral("a b"), "'a b'");
    assert.equal(shellLiteral("it's"), "'it'\\''s'");
    assert.equal(shellLiteral(""), "''");
    assert.equal(shellWordKeepingVariables("$TMPDIR"), '"$TMPDIR"');
    assert.equal(shellWordKeepingVariables("${TMPDIR}/a b"), '"${TMPDIR}/a b"');
    assert.equal(shellWordKeepingVariables("$TMPDIR/$(x)`y`\\\""), '"$TMPDIR/\\$(x)\\`y\\`\\\\\\""');
    assert.equal(shellWordKeepingVariables("no variables; here"), "'no variables; here'");
  });
});
