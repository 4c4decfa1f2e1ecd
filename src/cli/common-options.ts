/** Parsing of CLI option values, so a bad flag fails before anything starts. */
import { InvalidArgumentError } from "commander";
import { parseBytes, parseDuration } from "../core/units.js";
import { Security } from "../comm/security.js";
import { parseResourceSpec, type Resources } from "../protocol/resources.js";

export function durationOption(flag: string) {
  return (value: string): number => {
    try {
      return parseDuration(value, flag);
    } catch (error) {
      throw new InvalidArgumentError((error as Error).message);
    }
  };
}

export function bytesOption(flag: string) {
  return (value: string): string | number => {
    if (value === "auto" || /^0?\.\d+$/.test(value)) return value;
    try {
      return parseBytes(value, flag);
    } catch (error) {
      throw new InvalidArgumentError((error as Error).message);
    }
  };
}

/** `--resources "GPU=2,MEM=64e9"`: a malformed pair, a negative or NaN amount is a usage error naming it. */
export function resourcesOption(value: string): Resources {
  try {
    return parseResourceSpec(value, "--resources");
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

/** A repeatable flag: every value, in order. */
export function collectOption(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function positiveInteger(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${flag} must be a positive integer, got "${value}"`);
    return n;
  };
}

export function portOption(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError(`--port must be 0–65535, got "${value}"`);
  return n;
}

export interface TlsFlags {
  tlsCaFile?: string;
  tlsCert?: string;
  tlsKey?: string;
}

export function securityFromFlags(flags: TlsFlags): Security | undefined {
  if (!flags.tlsCaFile && !flags.tlsCert && !flags.tlsKey) return undefined;
  return new Security({ caFile: flags.tlsCaFile, certFile: flags.tlsCert, keyFile: flags.tlsKey });
}

/** The batch job this process runs in, if any (shown next to the worker on the dashboard). */
export function batchJobId(): string | undefined {
  const env = process.env;
  return env.SLURM_JOB_ID ?? env.PBS_JOBID ?? env.LSB_JOBID ?? env.JOB_ID ?? env.CONDOR_JOB_ID ?? undefined;
}
