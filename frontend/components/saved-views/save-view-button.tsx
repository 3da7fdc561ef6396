'use client';

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
  const [open, setOpen] = useState(false);
  const save = useSaveView();
  return (
    <>
      <Button variant="outline" className="w-full sm:w-auto" onClick={() => setOpen(true)}>
        <BookmarkPlus /> Save view
      </Button>
      <ViewNameDialog
        open={open}
        onOpenChange={setOpen}
        title="Save these filters as a view"
        description="The view keeps the list’s filters, search and order. Find it under Saved views; only you see it."
        initialName=""
        submitLabel="Save view"
        onSubmit={async (name) => {
          const view = await save.mutateAsync({ name, query: filtersToParams(filters).toString() });
          toast.success(`Saved the view “${view.name}”`);
        }}
      />
    </>
  );
}
