/**
 * The dashboard's access token, derived from the cluster credential. The URL a cluster
 * prints carries this token, never the credential itself: the credential lets a peer run
 * code on the cluster, while the token only opens the (read-only) dashboard. Anyone who
 * holds the credential (a client of a remote scheduler) can derive the same token.
 */
import { createHmac } from "node:crypto";

export function dashboardToken(credential: string): string {
  return createHmac("sha256", credential).update("tessera dashboard access v1").digest("hex").slice(0, 40);
}
