import type { Locale } from '@desk/contracts';
import type { IncidentDependencies } from '../dependencies.js';

/**
 * Asks identity-service to make the sender of a mail a reporter pending verification
 * (`POST /internal/registrations`): it mails them the link with which they choose a password.
 * Throws when identity cannot be reached or refuses, so the mail's sweep asks again.
 */
export async function requestSenderRegistration(deps: Pick<IncidentDependencies, 'config'>, sender: { email: string; fullName: string; locale?: Locale | undefined }): Promise<void> {
  const { IDENTITY_URL, INTERNAL_API_TOKEN } = deps.config;
  const response = await fetch(new URL('/internal/registrations', IDENTITY_URL), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(INTERNAL_API_TOKEN ? { Authorization: `Bearer ${INTERNAL_API_TOKEN}` } : {}) },
    body: JSON.stringify({ email: sender.email, fullName: sender.fullName.slice(0, 200), ...(sender.locale ? { locale: sender.locale } : {}) }),
    signal: AbortSignal.timeout(10_000),
  });
  if (response.status !== 202) throw new Error(`identity-service answered ${response.status} to POST /internal/registrations`);
}
