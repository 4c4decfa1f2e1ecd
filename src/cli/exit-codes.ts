/** Exit codes of the `tessera` command, documented in --help. */
export const exitCodes = {
  /** Closed normally (retired, closed by the scheduler, or the job finished). */
  ok: 0,
  /** Could not start (scheduler unreachable, file never appeared) or failed while running. */
  failed: 1,
  /** Invalid command-line options. */
  usage: 2,
} as const;

export const exitCodeHelp = `
Exit codes:
  0  closed normally
  1  failed to start or failed while running (the message says why)
  2  invalid options`;
