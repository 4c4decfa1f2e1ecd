#!/usr/bin/env node
// The `tessera` command. The TypeScript sources are compiled to dist/ by `npm run build`.
import { main } from "../dist/src/cli/main.js";

main(process.argv).then(
  (code) => {
    if (typeof code === "number") process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`tessera: ${error && error.message ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
