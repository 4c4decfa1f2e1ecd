import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseWalltime, type WalltimeSyntax } from "../../src/config/walltime.js";

describe("parseWalltime reads each system's own syntax", () => {
  // Values as sbatch -t, qsub -l walltime=, qsub -l h_rt= and bsub -W document them.
  const table: Array<[WalltimeSyntax, string | number, number]> = [
    ["slurm", "02:00:00", 7200], ["slurm", "00:30:00", 1800], ["slurm", "90", 5400], ["slurm", 90, 5400],
    ["slurm", "30:15", 1815], ["slurm", "1-00:00:00", 86400], ["slurm", "2-12", 216000], ["slurm", "1-01:30", 91800],
    ["slurm", "2h", 7200], ["slurm", "90m", 5400],
    ["pbs", "02:00:00", 7200], ["pbs", "48:00:00", 172800], ["pbs", "90", 90], ["pbs", "10:30", 630], ["pbs", "1.5h", 5400],
    ["sge", "00:30:00", 1800], ["sge", 3600, 3600], ["sge", "2:00:00", 7200],
    ["lsf", "00:30", 1800], ["lsf", "2:15", 8100], ["lsf", "90", 5400], ["lsf", "01:00:00", 3600], ["lsf", "4h", 14400],
  ];
  for (const [syntax, value, seconds] of table) {
    it(`${syntax}: ${JSON.stringify(value)} is ${seconds} s`, () => assert.equal(parseWalltime(syntax, value), seconds));
  }

  const bad: Array<[WalltimeSyntax, string | number]> = [
    ["slurm", "soon"], ["slurm", "1:2:3:4"], ["pbs", "1-00:00:00"], ["lsf", "1-00:00"], ["sge", "0"], ["slurm", ""], ["pbs", -5],
  ];
  for (const [syntax, value] of bad) {
    it(`${syntax}: refuses ${JSON.stringify(value)}, naming the value and how to write one`, () => {
      assert.throws(() => parseWalltime(syntax, value, "walltime"), (error: Error) =>
        error.message.startsWith(`walltime: cannot read ${JSON.stringify(value)} as a ${syntax} walltime; write e.g.`));
    });
  }
});
