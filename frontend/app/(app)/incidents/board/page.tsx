import type { Metadata } from 'next';
import { IncidentBoard } from '@/components/incidents/board/incident-board';

export const metadata: Metadata = { title: 'Board' };

// No Suspense boundary, as for the list (see ../page.tsx).
export default function IncidentBoardPage() {
  return <IncidentBoard />;
}
