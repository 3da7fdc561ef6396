import { IncidentBoard } from '@/components/incidents/board/incident-board';
import { titled } from '@/lib/i18n/metadata';

export const generateMetadata = titled('board');

// No Suspense boundary, as for the list (see ../page.tsx).
export default function IncidentBoardPage() {
  return <IncidentBoard />;
}
