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
