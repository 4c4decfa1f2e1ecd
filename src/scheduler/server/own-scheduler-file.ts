/**
 * The scheduler file a scheduler writes (address, services, credential) and removes on close.
 * It holds the credential, so should the process die without close() (an uncaught error), an
 * exit hook removes it too, but only while it is still this scheduler's: another scheduler
 * may have taken the path over since.
 */
import { readFileSync, rmSync } from "node:fs";
import { removeSchedulerFile, writeSchedulerFile } from "../../comm/scheduler-file.js";

export class OwnSchedulerFile {
  constructor(private readonly path: string, private readonly schedulerId: string) {}

  async write(contents: Parameters<typeof writeSchedulerFile>[1]): Promise<void> {
    if (process.listeners("exit").every((listener) => listener !== this.removeOnExit)) process.on("exit", this.removeOnExit);
    await writeSchedulerFile(this.path, contents);
  }

  async remove(): Promise<void> {
    await removeSchedulerFile(this.path);
    process.off("exit", this.removeOnExit);
  }

  private readonly removeOnExit = () => {
    try {
      if ((JSON.parse(readFileSync(this.path, "utf8")) as { id?: unknown }).id === this.schedulerId) rmSync(this.path, { force: true });
    } catch {
      // Gone already, or not ours to judge: leave it.
    }
  };
}
