// HTCondor: `condor_submit` / `condor_rm` / `condor_q`. The job is a submit description
// whose executable is /bin/sh (HTCondor renames argv[0], which confuses interpreters), so
// prologue, worker command and epilogue run as one `sh -c` string.
import type { SubmitDescriptionSystem } from "./batch-system.js";

export const htcondor: SubmitDescriptionSystem = {
  name: "htcondor",
  layout: "submit-description",
  submitCommand: "condor_submit",
  cancelCommand: "condor_rm",
  jobIdPattern: /submitted to cluster (\d+)/, // "1 job(s) submitted to cluster 42."
  formatJobId: (cluster) => `${cluster}.0`,
  headerEntries(options, { workerName, resources }) {
    const entries: Array<[string, string]> = [
      ["MY.DaskWorkerName", '"htcondor--$F(MY.JobId)--"'],
      ["batch_name", workerName],
      ["RequestCpus", "MY.DaskWorkerCores"],
      ["RequestMemory", "floor(MY.DaskWorkerMemory / 1048576)"],
      ["RequestDisk", "floor(MY.DaskWorkerDisk / 1024)"],
      ["MY.JobId", '"$(ClusterId).$(ProcId)"'],
      ["MY.DaskWorkerCores", String(resources.cores)],
      ["MY.DaskWorkerMemory", String(resources.memoryBytes)],
      ["MY.DaskWorkerDisk", String(options.diskBytes)],
    ];
    if (options.logDirectory !== null) {
      entries.push(
        ["LogDirectory", options.logDirectory],
        ["Output", "$(LogDirectory)/worker-$F(MY.JobId).out"], // $F() strips the quotes
        ["Error", "$(LogDirectory)/worker-$F(MY.JobId).err"],
        ["Log", "$(LogDirectory)/worker-$(ClusterId).log"],
        // Workers are stopped by removing the job: stream output or it is lost.
        ["Stream_Output", "True"],
        ["Stream_Error", "True"],
      );
    }
    return entries;
  },
  statusCommand: (ids) => ({ command: "condor_q", args: [...ids, "-af:j", "JobStatus", "ExitCode", "HoldReason"] }),
};
