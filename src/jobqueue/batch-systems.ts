// The batch systems tessera can submit worker jobs to, by config name.
import type { BatchSystem } from "../config/index.js";
import type { BatchSystemSpec } from "./batch-system.js";
import { htcondor } from "./htcondor.js";
import { lsf } from "./lsf.js";
import { pbs } from "./pbs.js";
import { sge } from "./sge.js";
import { slurm } from "./slurm.js";

export const batchSystems: { [S in BatchSystem]: Extract<BatchSystemSpec, { name: S }> } = { slurm, pbs, sge, lsf, htcondor };
