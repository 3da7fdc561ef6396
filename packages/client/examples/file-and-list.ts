import { clientCredentials, createDeskClient, type Incident } from '@desk/client';

// Another system (monitoring, say) files an incident with a service account's credentials and
// lists what is open. Run it against a platform:
//   DESK_URL=http://localhost:8080 DESK_CLIENT_ID=... DESK_CLIENT_SECRET=... DESK_CATEGORY_ID=... \
//     node --conditions=source --import tsx packages/client/examples/file-and-list.ts

export interface FileAndListOptions {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  categoryId: string;
}

export async function fileAndList(options: FileAndListOptions): Promise<{ filed: Incident; open: Incident[] }> {
  const desk = createDeskClient({
    baseUrl: options.baseUrl,
    accessToken: clientCredentials({ baseUrl: options.baseUrl, clientId: options.clientId, clientSecret: options.clientSecret }),
  });

  const created = await desk.POST('/incidents', {
    params: { header: { 'Idempotency-Key': `disk-full-${new Date().toISOString().slice(0, 13)}` } },
    body: { title: 'Disk almost full on db-01', description: '/var/lib/postgresql is 95% full.', categoryId: options.categoryId, priority: 'HIGH' },
  });
  if (created.error) throw new Error(`filing failed: ${created.error.code} ${created.error.detail ?? ''}`);

  const listed = await desk.GET('/incidents', { params: { query: { status: ['OPEN', 'IN_PROGRESS'], priority: ['HIGH', 'CRITICAL'], limit: 50 } } });
  if (listed.error) throw new Error(`listing failed: ${listed.error.code}`);
  return { filed: created.data, open: listed.data.items };
}

if (require.main === module) {
  const setting = (name: string) => process.env[name] ?? (() => { throw new Error(`${name} is not set`); })();
  void fileAndList({
    baseUrl: setting('DESK_URL'),
    clientId: setting('DESK_CLIENT_ID'),
    clientSecret: setting('DESK_CLIENT_SECRET'),
    categoryId: setting('DESK_CATEGORY_ID'),
  }).then(({ filed, open }) => {
    process.stdout.write(`filed ${filed.key}; ${open.length} open high-priority incidents:\n`);
    for (const incident of open) process.stdout.write(`  ${incident.key} ${incident.status} ${incident.title}\n`);
  });
}
