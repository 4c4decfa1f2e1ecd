/**
 * The `tessera` command line: the one place where every part is wired together.
 */
import { Command, CommanderError } from "commander";
import { isTesseraError } from "../core/errors.js";
import { exitCodes } from "./exit-codes.js";
import { registerSchedulerCommand } from "./scheduler-command.js";
import { registerWorkerCommand } from "./worker-command.js";
import { registerDemoCommand } from "./demo-command.js";
import { registerJobScriptCommand } from "./job-script-command.js";

export async function main(argv: string[]): Promise<number> {
  let exitCode: number = exitCodes.ok;
  // Commander prints its own parse errors; an error an action throws is ours to print.
  let commanderPrinted = false;
  const program = new Command("tessera")
    .description("distributed, chunked n-dimensional computing for HPC (see README.md)")
    .exitOverride()
    .configureOutput({ writeErr: (text) => { commanderPrinted = true; process.stderr.write(text); } });
  const setExit = (code: number) => (exitCode = code);
  registerSchedulerCommand(program, setExit);
  registerWorkerCommand(program, setExit);
  registerDemoCommand(program, setExit);
  registerJobScriptCommand(program, setExit);
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === "commander.helpDisplayed" || error.code === "commander.help" || error.code === "commander.version") return exitCodes.ok;
      if (!commanderPrinted) process.stderr.write(`tessera: ${error.message}\n`);
      return exitCodes.usage;
    }
    process.stderr.write(`tessera: ${(error as Error).message}\n`);
    return isTesseraError(error) && error.name === "InvalidOptionError" ? exitCodes.usage : exitCodes.failed;
  }
  return exitCode;
}
