import type { Metadata } from 'next';
import { IncidentList } from '@/components/incidents/incident-list';

export const metadata: Metadata = { title: 'Incidents' };

// No Suspense boundary around the list: every page is rendered per request (the root layout asks
// for the connection), so the address's parameters are there from the first render and nothing
// suspends. A boundary here only delayed a click in the sidebar by React's reveal throttle
// (about 300 ms, twice).
export default function IncidentsPage() {
  return <IncidentList />;
}
