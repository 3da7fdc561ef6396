import type { Metadata } from 'next';
import { Suspense } from 'react';
import { IncidentList } from '@/components/incidents/incident-list';
import { SavedViewsNav } from '@/components/saved-views-nav';
import { LoadingRows } from '@/components/states';

export const metadata: Metadata = { title: 'Incidents' };

export default function IncidentsPage() {
  return (
    // The saved views sit beside the list until the app's sidebar carries them (SavedViewsNav).
    <div className="lg:grid lg:grid-cols-[13rem_minmax(0,1fr)] lg:gap-6">
      <aside className="mb-4 lg:mb-0">
        <div className="rounded-xl border bg-card p-2 shadow-xs lg:sticky lg:top-20">
          <SavedViewsNav />
        </div>
      </aside>
      <div className="min-w-0">
        <Suspense fallback={<LoadingRows />}>
          <IncidentList />
        </Suspense>
      </div>
    </div>
  );
}
