import type { Metadata } from 'next';
import { Suspense } from 'react';
import { IncidentBoard } from '@/components/incidents/board/incident-board';
import { LoadingRows } from '@/components/states';

export const metadata: Metadata = { title: 'Board' };

export default function IncidentBoardPage() {
  return (
    <Suspense fallback={<LoadingRows />}>
      <IncidentBoard />
    </Suspense>
  );
}
