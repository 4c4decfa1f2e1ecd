// Real Chromium for the dashboard tests: the system's /usr/bin/chromium driven by
// playwright-core (no browser download), headless, with a fresh profile every time.
// Screenshots go to test-artifacts/dashboard/ (ignored by git, kept by CI). The pages the docs
// show are copied to the tracked docs/screenshots/ only when asked (TESSERA_UPDATE_SCREENSHOTS=1,
// see the README): a test run must leave the checkout as it found it.
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { existsSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const chromiumPath = "/usr/bin/chromium";
export const repositoryRoot = fileURLToPath(new URL("../../../", import.meta.url));
export const artifactDirectory = join(repositoryRoot, "test-artifacts", "dashboard");
export const docsScreenshotDirectory = join(repositoryRoot, "docs", "screenshots");

const chromiumArgs = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchChromium(options: { offline?: boolean; width?: number; height?: number } = {}): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(`${chromiumPath} is missing: install Debian's chromium (scripts/install-system-deps.sh does) to run the dashboard's browser tests`);
  }
  const profile = await mkdtemp(join(tmpdir(), "tessera-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath, headless: true, args: chromiumArgs,
    viewport: { width: options.width ?? 1400, height: options.height ?? 900 },
    ...(options.offline ? { offline: true } : {}),
  });
  return {
    context,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Collects console errors and uncaught page errors. */
export function watchForErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`page error: ${error.message}`));
  return errors;
}

/** Whether this run refreshes the docs' screenshots (TESSERA_UPDATE_SCREENSHOTS=1). */
export function updatingDocsScreenshots(value = process.env.TESSERA_UPDATE_SCREENSHOTS): boolean {
  if (value === undefined || value === "" || value === "0") return false;
  if (value === "1") return true;
  throw new Error(`TESSERA_UPDATE_SCREENSHOTS=${JSON.stringify(value)}: set it to 1 to refresh docs/screenshots/, or leave it unset`);
}

/** Saves `name`.png among the test artifacts; with `docs`, also refreshes the docs' copy when asked to. */
export async function screenshot(page: Page, name: string, options: { docs?: boolean; fullPage?: boolean } = {}): Promise<string> {
  await mkdir(artifactDirectory, { recursive: true });
  const file = join(artifactDirectory, `${name}.png`);
  await page.screenshot({ path: file, fullPage: options.fullPage ?? true });
  if (options.docs && updatingDocsScreenshots()) {
    await mkdir(docsScreenshotDirectory, { recursive: true });
    await copyFile(file, join(docsScreenshotDirectory, `${name}.png`));
  }
  return file;
}

/** Polls `read` until `accept` holds, returning the last value; `timeoutMs` is a hang guard only. */
export async function waitFor<T>(read: () => Promise<T>, accept: (value: T) => boolean, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!accept(value)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last value ${JSON.stringify(value)})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  return value;
}
