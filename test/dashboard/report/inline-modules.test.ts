import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runInNewContext } from "node:vm";
import { inlineModules, scriptSafe } from "../../../src/dashboard/report/inline-modules.js";
import { webAppDirectory } from "../../../src/dashboard/server/static-assets.js";

describe("joining the browser modules into one script", () => {
  let directory: string;
  before(async () => {
    directory = await mkdtemp(join(tmpdir(), "tessera-inline-"));
    await mkdir(join(directory, "lib"));
  });
  after(async () => rm(directory, { recursive: true, force: true }));

  it("places dependencies first, keeps renamed imports working, and runs as one script", async () => {
    await writeFile(join(directory, "lib", "math.js"), "export const base = 40;\nexport function add(a, b) { return a + b; }\nconst hidden = 1;\nexport { hidden as two };\n");
    await writeFile(join(directory, "entry.js"), 'import { add as plus, base, two } from "./lib/math.js";\nglobalThis.result = plus(base, two + 1);\n//# sourceMappingURL=entry.js.map\n');
    const script = await inlineModules(directory, "entry.js");
    assert.ok(script.indexOf("function add") < script.indexOf("globalThis.result"));
    assert.ok(!/\bimport\b|\bexport\b|sourceMappingURL/.test(script));
    const sandbox: { result?: number } = {};
    runInNewContext(script, sandbox);
    assert.equal(sandbox.result, 42);
  });

  it("refuses two modules declaring the same top-level name, naming both", async () => {
    await writeFile(join(directory, "a.js"), "export const size = 1;\n");
    await writeFile(join(directory, "b.js"), 'import { size } from "./a.js";\nconst size2 = size;\nfunction size3() {}\nexport const clash = 1;\n');
    await writeFile(join(directory, "c.js"), 'import { clash } from "./b.js";\nconst size = clash;\n');
    await assert.rejects(inlineModules(directory, "c.js"), /"size" is declared by both .*a\.js and .*c\.js/);
  });

  it("refuses imports it cannot inline", async () => {
    await writeFile(join(directory, "bare.js"), 'import { x } from "some-package";\n');
    await assert.rejects(inlineModules(directory, "bare.js"), /only relative imports/);
    await writeFile(join(directory, "star.js"), 'import * as m from "./a.js";\n');
    await assert.rejects(inlineModules(directory, "star.js"), /only named imports/);
  });

  it("inlines the real report page without clashes", async () => {
    const web = webAppDirectory();
    assert.ok(web, "the dashboard web app is built (npm run build)");
    const script = await inlineModules(web, "report-app.js");
    assert.match(script, /class FlameGraph/);
    assert.match(script, /class TaskStreamChart/);
  });

  it("keeps </script> inside the script from closing the element", () => {
    assert.equal(scriptSafe('x = "</script><!--"'), 'x = "<\\/script><\\!--"');
  });
});
