// The table of which module defines which built-in (src/graph/builtin-modules.ts), against
// the full catalog a worker loaded at start before, and against every tagged function of the
// folders that define built-ins: a name the table lacks, lists twice or ties to a module that
// does not export that very function fails here (a worker would still find it, by loading
// every module: the table is what keeps a worker from loading them all).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type AnyFunction, builtinNameOf } from "../../src/core/builtin.js";
import { builtinModuleOf, builtinModuleTable } from "../../src/graph/builtin-modules.js";
import { loadAllBuiltins, loadBuiltin, loadBuiltins, loadedBuiltin } from "../../src/graph/builtin-catalog.js";
import { FunctionResolutionError, resolveFunction } from "../../src/graph/function-resolver.js";

/**
 * Every built-in a module exports, as the catalog collects them (its exports and one level into
 * exported objects), each [name, function]: two functions one module tags with one name both
 * show, where a map by name would keep whichever export comes last.
 */
function taggedExports(namespace: object): Array<[string, AnyFunction]> {
  const found: Array<[string, AnyFunction]> = [];
  const visit = (value: unknown, depth: number) => {
    const name = builtinNameOf(value);
    if (name) found.push([name, value as AnyFunction]);
    else if (depth > 0 && value && typeof value === "object") for (const item of Object.values(value)) visit(item, depth - 1);
  };
  visit(namespace, 1);
  return found;
}

/** The built-ins a module exports, by name (as the catalog holds them: the last export of a name). */
function tagged(namespace: object): Map<string, AnyFunction> {
  return new Map(taggedExports(namespace));
}

/** What the table's module for `name` exports under that name (undefined: not listed, or not exported there). */
async function fromTable(name: string): Promise<AnyFunction | undefined> {
  const load = builtinModuleOf.get(name);
  return load ? tagged(await load()).get(name) : undefined;
}

/** The folders whose modules define built-ins (src/core's builtin.ts defines none: it tags). */
const definingFolders = ["ndarray", "ndimage", "zarr", "hdf5", "graph"];

describe("built-in modules table", () => {
  it("lists every name once", () => {
    const names = builtinModuleTable.flatMap(([, listed]) => listed);
    const twice = names.filter((name, i) => names.indexOf(name) !== i);
    assert.deepEqual(twice, [], "names listed under more than one module");
    assert.equal(builtinModuleOf.size, names.length);
  });

  it("resolves every built-in of the full catalog, by its module alone, to the function the full catalog holds", async () => {
    const all = await loadAllBuiltins();
    assert.ok(all.size > 300, `the full catalog holds ${all.size} built-ins`);
    const missing: string[] = [];
    const different: string[] = [];
    for (const [name, fn] of all) {
      const lazily = await fromTable(name);
      if (lazily === undefined) missing.push(name);
      else if (lazily !== fn) different.push(name);
    }
    assert.deepEqual(missing, [], "built-ins the table lists under no module, or under one that does not export them");
    assert.deepEqual(different, [], "built-ins whose listed module exports another function of that name");
    assert.deepEqual([...builtinModuleOf.keys()].filter((name) => !all.has(name)), [], "names in the table the full catalog lacks");
  });

  it("lists every tagged function of src/ndarray, src/ndimage, src/zarr and src/graph, one function per name", async () => {
    const unlisted: string[] = [];
    const twoFunctions: string[] = [];
    for (const folder of definingFolders) {
      const dir = new URL(`../../src/${folder}/`, import.meta.url);
      for (const file of readdirSync(fileURLToPath(dir)).filter((f) => f.endsWith(".js")).sort()) {
        for (const [name, fn] of taggedExports(await import(new URL(file, dir).href) as object)) {
          const listed = await fromTable(name);
          if (listed === undefined) unlisted.push(`${name} (src/${folder}/${file.replace(/\.js$/, ".ts")})`);
          else if (listed !== fn) twoFunctions.push(`${name} (src/${folder}/${file.replace(/\.js$/, ".ts")})`);
        }
      }
    }
    assert.deepEqual([...new Set(unlisted)], [], "tagged functions missing from src/graph/builtin-modules.ts: list each under its module");
    assert.deepEqual(twoFunctions, [], "modules that tag another function with a name already taken");
  });

  it("loads a built-in by name, caches it, and finds none for a name no module defines", async () => {
    const all = await loadAllBuiltins();
    assert.equal(await loadBuiltin("ndimage.gaussianFilter"), all.get("ndimage.gaussianFilter"));
    assert.equal(loadedBuiltin("ndimage.gaussianFilter"), all.get("ndimage.gaussianFilter"));
    await loadBuiltins(["ndarray.fft.fft", "zarr.readRegion"]);
    assert.equal(loadedBuiltin("ndarray.fft.fft"), all.get("ndarray.fft.fft"));
    assert.equal(await loadBuiltin("ndarray.noSuchFunction"), undefined);
    assert.equal(loadedBuiltin("ndarray.noSuchFunction"), undefined);
  });

  it("finds a built-in the table lacks by loading every module", async () => {
    const all = await loadAllBuiltins();
    assert.equal(await loadBuiltin("ndimage.sobel", new Map()), all.get("ndimage.sobel"));
  });

  it("refuses a name no module defines, naming it", async () => {
    await assert.rejects(
      Promise.resolve(resolveFunction({ builtin: "ndarray.noSuchFunction" })),
      (error: Error) => error instanceof FunctionResolutionError && error.message.includes('"ndarray.noSuchFunction"'),
    );
  });
});
