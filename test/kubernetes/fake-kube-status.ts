/** The Status object with which the FAKE API server refuses a request, as a real server words it. */
export function failure(code: number, reason: string, message: string, details?: { name?: string; kind?: string }): object {
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, ...(details ? { details } : {}), code };
}
