'use client';

import { useTranslations } from 'next-intl';
import { BookmarkPlus } from 'lucide-react';
import { useState } from 'react';
import { toast } from 'sonner';
import { ViewNameDialog } from '@/components/saved-views/view-name-dialog';
import { Button } from '@/components/ui/button';
import { filtersToParams } from '@/lib/incident-filters';
import { useSaveView } from '@/lib/mutations/views';
import type { IncidentFilters } from '@/lib/queries';

/** Saves the list's current filters (search and sort included) as a named view of the person's own. */
export function SaveViewButton({ filters }: { filters: IncidentFilters }) {
  const t = useTranslations('shell.savedViews');
  const [open, setOpen] = useState(false);
  const save = useSaveView();
  return (
    <>
      <Button variant="outline" className="w-full sm:w-auto" onClick={() => setOpen(true)}>
        <BookmarkPlus />{' '}{t('saveView')}
      </Button>
      <ViewNameDialog
        open={open}
        onOpenChange={setOpen}
        title={t('saveTheseFiltersAs')}
        description={t('theViewKeepsThe')}
        initialName=""
        submitLabel="Save view"
        onSubmit={async (name) => {
          const view = await save.mutateAsync({ name, query: filtersToParams(filters).toString() });
          toast.success(t('savedTheView', { name: view.name }));
        }}
      />
    </>
  );
}
