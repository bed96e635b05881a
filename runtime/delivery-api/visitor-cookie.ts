/**
 * Reads the Experience Cloud visitor cookie (`AMCV_<organizationId>`) that a page's visitor
 * library writes, for the ids Adobe's SDK takes from it (TARGET-PROTOCOL.md §5.4): the ECID
 * (`MCMID`) and the Audience Manager location hint and blob (`MCAAMLH`, `MCAAMB`). The value is
 * `|`-separated `key|value` pairs, URI-encoded; a key may carry an expiry suffix (`MCAAMLH-1700000000`).
 * Written for mboxgen from the cookie's public format; Adobe's visitor library is not used.
 */

/** The ids found in a visitor cookie, shaped as the request's `id` and `experienceCloud.audienceManager` need them. */
export interface VisitorCookieValues {
  marketingCloudVisitorId?: string;
  audienceManager?: { locationHint?: number; blob?: string };
}

/** Name of the visitor cookie for an organization, as Adobe's `TargetClient.getVisitorCookieName`. */
export function getVisitorCookieName(organizationId: string): string {
  return `AMCV_${organizationId}`;
}

/** Extracts the ECID and Audience Manager values from a visitor cookie value; unknown parts are ignored. */
export function parseVisitorCookie(cookieValue: string | undefined): VisitorCookieValues {
  const result: VisitorCookieValues = {};
  if (!cookieValue) return result;
  let decoded: string;
  try {
    decoded = decodeURIComponent(cookieValue);
  } catch {
    return result;
  }
  const audienceManager: { locationHint?: number; blob?: string } = (result.audienceManager = {});
  const tokens = decoded.split("|");
  for (let position = 0; position + 1 < tokens.length; position += 1) {
    const key = tokens[position]!.split("-")[0];
    const value = tokens[position + 1]!;
    if (key === "MCMID" && value) result.marketingCloudVisitorId = value;
    else if (key === "MCAAMLH" && value && !Number.isNaN(parseInt(value, 10))) audienceManager.locationHint = parseInt(value, 10);
    else if (key === "MCAAMB" && value) audienceManager.blob = value;
  }
  return result;
}
