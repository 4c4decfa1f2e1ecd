/** tessera's version, read once from the package.json of the installation in use. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

let cached: string | undefined;

export function tesseraVersion(): string {
  if (cached) return cached;
  // src/dashboard/report/ and dist/src/dashboard/report/ sit three and four levels down.
  for (const relative of ["../../../package.json", "../../../../package.json"]) {
    try {
      const manifest = JSON.parse(readFileSync(fileURLToPath(new URL(relative, import.meta.url)), "utf8")) as { name?: string; version?: string };
      if (manifest.name === "tessera" && manifest.version) return (cached = manifest.version);
    } catch {
      // not at this level
    }
  }
  return (cached = "unknown");
}
