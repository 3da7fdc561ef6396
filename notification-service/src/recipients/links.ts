import { signSatisfactionLink } from '@desk/auth';
import type { IncidentSnapshot } from '@desk/contracts';

/** The incident in the web portal. */
export function incidentLink(publicAppUrl: string, key: string): string {
  return new URL(`/incidents/${encodeURIComponent(key)}`, publicAppUrl).toString();
}

/** Where people choose which notifications they get. */
export function preferencesLink(publicAppUrl: string): string {
  return new URL('/settings/notifications', publicAppUrl).toString();
}

/** The domain of MAIL_FROM (`Desk <desk@example.com>` → `example.com`): Message-IDs are minted under it. */
export function mailDomain(mailFrom: string): string {
  const match = /@([^>\s]+)>?\s*$/.exec(mailFrom.trim());
  return match?.[1]?.toLowerCase() ?? 'localhost';
}

/** The Message-ID of an incident's first mail: every later mail about it names it in In-Reply-To and References. */
export function threadRootId(incidentId: string, domain: string): string {
  return `<incident-${incidentId}@${domain}>`;
}

/**
 * The five one-click rating links of a resolution mail: to the portal's `/rate/<token>?rating=N`,
 * whose token (SATISFACTION_LINK_SECRET) stands for the reporter, so rating needs no sign-in;
 * without the secret, to the incident's page (`?rate=N`), where the reporter rates after signing in.
 */
export async function ratingLinks(config: { PUBLIC_APP_URL: string; SATISFACTION_LINK_SECRET?: string | undefined }, incident: IncidentSnapshot): Promise<string[]> {
  const ratings = [1, 2, 3, 4, 5];
  if (!config.SATISFACTION_LINK_SECRET) {
    return ratings.map((rating) => `${incidentLink(config.PUBLIC_APP_URL, incident.key)}?rate=${rating}`);
  }
  const token = await signSatisfactionLink(config.SATISFACTION_LINK_SECRET, { incidentId: incident.id, reporterId: incident.reporterId });
  return ratings.map((rating) => new URL(`/rate/${token}?rating=${rating}`, config.PUBLIC_APP_URL).toString());
}
