/**
 * The browser app's files: the JavaScript tsc compiled from src/dashboard/web/ (served
 * as ES modules, no bundler), found next to this module when running from dist/, or in
 * the project's dist/ when running from the TypeScript sources (tsx). Only plain module
 * paths inside that folder are served.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { join, normalize, sep } from "node:path";

const candidates = [
  new URL("../web/", import.meta.url),
  // Running from src/ (tsx): the compiled app is in the project's dist/.
  new URL("../../../dist/src/dashboard/web/", import.meta.url),
];

/** The folder holding the compiled web app, or undefined when the project is not built. */
export function webAppDirectory(): string | undefined {
  for (const candidate of candidates) {
    const directory = fileURLToPath(candidate);
    if (existsSync(join(directory, "pages", "status.js"))) return directory;
  }
  return undefined;
}

const modulePath = /^[a-z0-9][a-z0-9-]*(\/[a-z0-9][a-z0-9-]*)*\.js$/;

export class StaticAssets {
  private cache = new Map<string, Buffer>();

  constructor(private readonly directory: string | undefined) {}

  get available(): boolean {
    return this.directory !== undefined;
  }

  /** The compiled module at `relativePath` ("pages/status.js"), or undefined. */
  async module(relativePath: string): Promise<Buffer | undefined> {
    if (!this.directory || !modulePath.test(relativePath)) return undefined;
    const cached = this.cache.get(relativePath);
    if (cached) return cached;
    const file = normalize(join(this.directory, relativePath));
    if (!file.startsWith(this.directory.endsWith(sep) ? this.directory : this.directory + sep)) return undefined;
    try {
      const content = await readFile(file);
      this.cache.set(relativePath, content);
      return content;
    } catch {
      return undefined;
    }
  }
}
