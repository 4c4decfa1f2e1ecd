// Run with `--import` (in a compute thread's execArgv): logs every module the thread loads
// (module-log-hooks.ts) to the file named by TESSERA_TEST_MODULE_LOG.
import { register } from "node:module";

register(new URL("./module-log-hooks.js", import.meta.url), { data: { logFile: process.env.TESSERA_TEST_MODULE_LOG } });
