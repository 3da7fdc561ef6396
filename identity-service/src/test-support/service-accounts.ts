import { randomUUID } from 'node:crypto';
import type { ServiceScope } from '@desk/contracts';
import type { IdentityHarness } from './harness.js';

/**
 * An access token of a new service account with `scopes`, obtained the way another system gets
 * one: an admin creates the account, then the client_credentials grant.
 */
export async function serviceAccountToken(identity: IdentityHarness, scopes: ServiceScope[]): Promise<string> {
  const adminToken = await identity.tokenFor(identity.admin);
  const created = await identity.http
    .post('/service-accounts')
    .set('Authorization', `Bearer ${adminToken}`)
    .send({ name: `test-system-${randomUUID().slice(0, 8)}`, scopes })
    .expect(201);
  const issued = await identity.http
    .post('/auth/token')
    .type('form')
    .send(
      new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: created.body.clientId,
        client_secret: created.body.clientSecret,
      }).toString(),
    )
    .expect(200);
  return issued.body.access_token as string;
}
