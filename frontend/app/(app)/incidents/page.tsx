import { IncidentList } from '@/components/incidents/incident-list';
import { titled } from '@/lib/i18n/metadata';

export const generateMetadata = titled('incidents');

// No Suspense boundary around the list: every page is rendered per request (the root layout asks
// for the connection), so the address's parameters are there from the first render and nothing
// suspends. A boundary here only delayed a click in the sidebar by React's reveal throttle
// (about 300 ms, twice).
export default function IncidentsPage() {
  return <IncidentList />;
}
