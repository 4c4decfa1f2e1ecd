// A throwaway home directory, /etc/tessera and environment for ConfigStore tests.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { ConfigStore } from "../../src/config/store.js";

export interface ConfigSandbox {
  root: string;
  home: string;
  etc: string;
  /** Write a file relative to the sandbox root ("home/.config/tessera/a.yaml"); returns its path. */
  write(relativePath: string, text: string): string;
  store(env?: Record<string, string>): ConfigStore;
  remove(): void;
}

export function createConfigSandbox(): ConfigSandbox {
  const root = mkdtempSync(join(tmpdir(), "tessera-config-"));
  const home = join(root, "home");
  const etc = join(root, "etc", "tessera");
  mkdirSync(home, { recursive: true });
  return {
    root,
    home,
    etc,
    write(relativePath, text) {
      const path = join(root, relativePath);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
      return path;
    },
    store: (env = {}) => new ConfigStore({ env, homeDirectory: home, systemDirectory: etc }),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
