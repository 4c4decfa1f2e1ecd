import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { parseYamlFile, parseYamlScalar } from "../../src/config/yaml.js";
import { InvalidOptionError } from "../../src/core/errors.js";

const python = "/usr/bin/python3";
const document = [
  "a: yes", "b: No", "c: on", "d: OFF", "e: y", "f: n", "g: true", "h: 010", "i: 0x1f", "j: 1_000",
  "k: 128GB", "l: ~", "m: 1e3", "n: 2.5", "o: [1, two, on]", "p: {x: yes}", "q: '00:30:00'", "r: Y", "s: 1.0e+3", "t: 1.0e3", "u: -2.5E-2",
].join("\n");

describe("parseYamlFile (YAML 1.1 as PyYAML reads it)", () => {
  it("reads scalars, booleans included, exactly as PyYAML does", (t) => {
    if (!existsSync(python)) return t.skip(`${python} (the PyYAML anchor) is not installed`);
    const expected = JSON.parse(execFileSync(python, ["-c", "import sys, json, yaml; print(json.dumps(yaml.safe_load(sys.stdin.read())))"], { input: document, encoding: "utf8" }));
    assert.deepEqual(parseYamlFile(document, "test.yaml"), expected);
  });

  it("keeps clock times as strings even where PyYAML reads base-60 integers", (t) => {
    if (!existsSync(python)) return t.skip(`${python} (the PyYAML anchor) is not installed`);
    const text = "walltime: 2:00:00\nother: 02:00:00";
    const pyyaml = JSON.parse(execFileSync(python, ["-c", "import sys, json, yaml; print(json.dumps(yaml.safe_load(sys.stdin.read())))"], { input: text, encoding: "utf8" }));
    assert.deepEqual(pyyaml, { walltime: 7200, other: "02:00:00" }, "PyYAML's reading, which tessera improves on");
    assert.deepEqual(parseYamlFile(text, "t.yaml"), { walltime: "2:00:00", other: "02:00:00" });
  });

  it("names the file and line of a syntax error", () => {
    assert.throws(
      () => parseYamlFile("jobqueue:\n  slurm:\n    cores: [1, 2\n", "~/.config/tessera/bad.yaml"),
      (error: Error) => error instanceof InvalidOptionError && /^~\/\.config\/tessera\/bad\.yaml: not valid YAML \(line \d+/.test(error.message),
    );
  });
});

describe("parseYamlScalar (environment variables and command-line values)", () => {
  const table: Array<[string, unknown]> = [
    ["24", 24], ["yes", true], ["off", false], ["128GB", "128GB"], ["02:00:00", "02:00:00"], ["2:00:00", "2:00:00"],
    ["[a, b]", ["a", "b"]], ["null", null], ["0.6", 0.6], ["{x: 1}", { x: 1 }], ["y", "y"], ["a: b: c", "a: b: c"],
  ];
  for (const [text, value] of table) {
    it(`reads ${JSON.stringify(text)} as ${JSON.stringify(value)}`, () => assert.deepEqual(parseYamlScalar(text), value));
  }
});
