// Table tests for the batch systems' status outputs. The SLURM lines are what squeue 22.05
// printed on this machine's local SLURM; the others follow each system's documented format.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseSqueue } from "../../src/jobqueue/slurm-status.js";
import { parseQstatFull } from "../../src/jobqueue/pbs-status.js";
import { parseSgeQstat } from "../../src/jobqueue/sge-status.js";
import { parseQacct, parseQstatErrorReason } from "../../src/jobqueue/sge-accounting.js";
import { parseBjobs } from "../../src/jobqueue/lsf-status.js";
import { parseCondorQ } from "../../src/jobqueue/htcondor-status.js";

describe("parseSqueue", () => {
  const table: Array<[string, string, string | null]> = [
    ["1|PENDING|None", "pending", null],
    ["3|PENDING|Priority", "pending", "Priority"],
    ["4|PENDING|Resources", "pending", "Resources"],
    ["2|PENDING|JobHeldUser", "pending", "JobHeldUser"],
    ["9|PENDING|ReqNodeNotAvail, UnavailableNodes:n[1-3]", "pending", "ReqNodeNotAvail, UnavailableNodes:n[1-3]"],
    ["5|RUNNING|None", "running", null],
    ["6|COMPLETING|None", "running", null],
    ["1|COMPLETED|None", "finished", null],
    ["3|FAILED|NonZeroExitCode", "failed", "NonZeroExitCode"],
    ["7|TIMEOUT|TimeLimit", "failed", "TimeLimit"],
    ["8|NODE_FAIL|NodeFail", "failed", "NodeFail"],
    ["10|OUT_OF_MEMORY|OutOfMemory", "failed", "OutOfMemory"],
    ["2|CANCELLED|JobHeldUser", "cancelled", "JobHeldUser"],
    ["11_4|PREEMPTED|None", "failed", null],
    ["12|SOMETHING_NEW|None", "unknown", null],
  ];
  for (const [line, state, reason] of table) {
    it(`${line} → ${state}${reason ? ` (${reason})` : ""}`, () => {
      const [status] = parseSqueue(`${line}\n`);
      assert.deepEqual(status, { id: line.split("|")[0], state, reason, rawState: line.split("|")[1] });
    });
  }
  it("reads several lines and skips blank ones", () => {
    assert.deepEqual(parseSqueue("1|RUNNING|None\n\n  2|PENDING|Priority  \n").map((s) => [s.id, s.state]), [["1", "running"], ["2", "pending"]]);
  });
});

describe("parseQstatFull (PBS qstat -x -f)", () => {
  const output = [
    "Job Id: 1000.pbs-server",
    "    Job_Name = dask-worker",
    "    job_state = Q",
    "    comment = Not Running: Insufficient amount of reso",
    "\turce: ncpus (R: 24 A: 8 T: 8)",
    "",
    "Job Id: 1001.pbs-server",
    "    job_state = R",
    "    comment = Job run at Wed Jun 05 at 10:00 on (node1:ncpus=24)",
    "",
    "Job Id: 1002.pbs-server",
    "    job_state = F",
    "    comment = Job run at Wed Jun 05 at 10:00 and finished",
    "    Exit_status = 0",
    "",
    "Job Id: 1003.pbs-server",
    "    job_state = F",
    "    Exit_status = 271",
    "",
    "Job Id: 1004.pbs-server",
    "    job_state = F",
    "    comment = Job deleted",
    "",
    "Job Id: 1005.pbs-server",
    "    job_state = H",
    "",
  ].join("\n");
  const expected: Array<[string, string, string | null, string]> = [
    ["1000.pbs-server", "pending", "Not Running: Insufficient amount of resource: ncpus (R: 24 A: 8 T: 8)", "Q"],
    ["1001.pbs-server", "running", "Job run at Wed Jun 05 at 10:00 on (node1:ncpus=24)", "R"],
    ["1002.pbs-server", "finished", "Job run at Wed Jun 05 at 10:00 and finished", "F"],
    ["1003.pbs-server", "failed", "Exit_status 271", "F"],
    ["1004.pbs-server", "cancelled", "Job deleted", "F"],
    ["1005.pbs-server", "pending", null, "H"],
  ];
  const statuses = parseQstatFull(output);
  for (const [id, state, reason, rawState] of expected) {
    it(`${id}: ${rawState} → ${state}`, () => assert.deepEqual(statuses.find((s) => s.id === id), { id, state, reason, rawState }));
  }
});

describe("parseSgeQstat (Grid Engine qstat -u)", () => {
  const output = [
    "job-ID  prior   name       user         state submit/start at     queue                          slots ja-task-ID",
    "-----------------------------------------------------------------------------------------------------------------",
    "    101 0.55500 dask-worke alice        r     06/05/2024 10:00:03 all.q@node1.example.org            1",
    "    102 0.00000 dask-worke alice        qw    06/05/2024 10:00:01                                    1",
    "    103 0.00000 dask-worke alice        hqw   06/05/2024 10:00:01                                    1",
    "    104 0.55500 dask-worke alice        Eqw   06/05/2024 10:00:01                                    1",
    "    105 0.55500 dask-worke alice        dr    06/05/2024 10:00:03 all.q@node1.example.org            1",
    "    106 0.55500 dask-worke alice        S     06/05/2024 10:00:03 all.q@node1.example.org            1",
    "    107 0.55500 dask-worke alice        t     06/05/2024 10:00:03 all.q@node2.example.org            1",
  ].join("\n");
  const expected: Array<[string, string, string | null]> = [
    ["101", "running", null], ["102", "pending", null], ["103", "pending", "held"],
    ["104", "failed", "error state; `qstat -j <id>` shows why"], ["105", "cancelled", "being deleted"],
    ["106", "pending", "suspended"], ["107", "running", null],
  ];
  const statuses = parseSgeQstat(output);
  it("reads only the job rows", () => assert.equal(statuses.length, expected.length));
  for (const [id, state, reason] of expected) {
    it(`${id} → ${state}`, () => {
      const status = statuses.find((s) => s.id === id);
      assert.equal(status?.state, state);
      assert.equal(status?.reason, reason);
    });
  }
});

describe("parseBjobs (LSF bjobs -o … delimiter='|')", () => {
  const table: Array<[string, string, string | null]> = [
    ["5|PEND|-|New job is waiting for scheduling;", "pending", "New job is waiting for scheduling"],
    ["6|RUN|-|-", "running", null],
    ["7|DONE|-|-", "finished", null],
    ["8|EXIT|130|-", "failed", "exit code 130"],
    ["9|PSUSP|-|-", "pending", "suspended"],
    ["10|UNKWN|-|-", "unknown", null],
  ];
  for (const [line, state, reason] of table) {
    it(`${line} → ${state}`, () => {
      const [status] = parseBjobs(line);
      assert.deepEqual([status.id, status.state, status.reason], [line.split("|")[0], state, reason]);
    });
  }
});

describe("parseCondorQ (condor_q -af:j JobStatus ExitCode HoldReason)", () => {
  const table: Array<[string, string, string | null]> = [
    ["42.0 1 undefined undefined", "pending", null],
    ["43.0 2 undefined undefined", "running", null],
    ["44.0 3 undefined undefined", "cancelled", null],
    ["45.0 4 0 undefined", "finished", null],
    ["46.0 4 1 undefined", "failed", "exit code 1"],
    ["47.0 5 undefined Error from slot1@node1: Job has gone over memory limit of 2048 megabytes.", "pending",
      "held: Error from slot1@node1: Job has gone over memory limit of 2048 megabytes."],
    ["48.0 6 undefined undefined", "running", null],
    ["49.0 7 undefined undefined", "pending", "suspended"],
  ];
  for (const [line, state, reason] of table) {
    it(`${line.slice(0, 30)} → ${state}`, () => {
      const [status] = parseCondorQ(line);
      assert.deepEqual([status.id, status.state, status.reason], [line.split(" ")[0], state, reason]);
    });
  }
});

describe("Grid Engine's qacct -j and qstat -j (printed by SGE 8.1.9 on this machine)", () => {
  const record = (failed: string, exitStatus: string) =>
    `==============================================================\nqname        all.q               \nhostname     vm                  \n` +
    `jobnumber    3                   \ntaskid       undefined\nfailed       ${failed}\nexit_status  ${exitStatus}\nru_wallclock 3s\n`;
  const table: Array<[string, string, string, string | null]> = [
    ["0    ", "0                   ", "finished", null],
    ["0    ", "3                   ", "failed", "exit status 3"],
    ["100 : assumedly after job", "137                  (Killed)", "failed", "failed 100: assumedly after job; exit status 137 (Killed)"],
    ["26  : opening input/output file", "0                   ", "failed", "failed 26: opening input/output file; exit status 0"],
  ];
  for (const [failed, exitStatus, state, reason] of table) {
    it(`failed ${failed.trim()}, exit_status ${exitStatus.trim()} → ${state}`, () => {
      assert.deepEqual(parseQacct("3", record(failed, exitStatus)), { id: "3", state, reason, rawState: "qacct" });
    });
  }
  it("no record: null", () => assert.equal(parseQacct("999", ""), null));
  it("the error reason of a job in Eqw, without date and host", () => {
    const text = "job_number:                 4\nerror reason          1:      12/02/2026 16:12:18 [0:29163]: error: can't open output file " +
      "\"/nonexistent/dir/\": No such file or directory\nscheduling info:            Job is in error state\n";
    assert.equal(parseQstatErrorReason(text), "error: can't open output file \"/nonexistent/dir/\": No such file or directory");
    assert.equal(parseQstatErrorReason("job_number: 4\n"), null);
  });
});
