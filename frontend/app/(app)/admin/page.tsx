import { redirect } from 'next/navigation';

/** `/admin` opens the first area; an old `/admin?tab=…` link opens the area it named. */
const OLD_TABS: Record<string, string> = { 'service-accounts': 'integrations' };
const AREAS = new Set(['users', 'departments', 'categories', 'sla', 'integrations', 'mail', 'events', 'audit']);

export default async function Page({ searchParams }: { searchParams: Promise<{ tab?: string | string[] }> }) {
  const { tab } = await searchParams;
  const requested = typeof tab === 'string' ? (OLD_TABS[tab] ?? tab) : 'users';
  redirect(`/admin/${AREAS.has(requested) ? requested : 'users'}`);
}
