'use client';

import { useTranslations } from 'next-intl';
import { Pencil } from 'lucide-react';
import { useState } from 'react';
import type { Incident } from '@desk/contracts';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { mayEditFields, type Viewer } from '@/lib/lifecycle';
import { EditFieldsForm } from './edit-fields-form';

/** What the reporter wrote, with title and description editable by whoever may. */
export function DescriptionCard({ incident, viewer }: { incident: Incident; viewer: Viewer }) {
  const t = useTranslations('incidents.descriptionCard');
  const [editing, setEditing] = useState(false);
  const mayEdit = mayEditFields(viewer, incident);
  return (
    <Card className="gap-3">
      <CardHeader className="flex flex-row flex-wrap items-center justify-between gap-2">
        <CardTitle>{t('description')}</CardTitle>
        {mayEdit && !editing ? (
          <Button variant="ghost" size="sm" onClick={() => setEditing(true)}>
            <Pencil aria-hidden />
            <span className="sm:hidden">{t('edit')}</span>
            <span className="hidden sm:inline">{t('editTitleAndDescription')}</span>
          </Button>
        ) : null}
      </CardHeader>
      <CardContent>
        {editing && mayEdit ? (
          <EditFieldsForm incident={incident} onDone={() => setEditing(false)} />
        ) : incident.description ? (
          <p className="text-sm leading-relaxed whitespace-pre-wrap [overflow-wrap:anywhere]">{incident.description}</p>
        ) : (
          <p className="text-sm text-muted-foreground italic">{t('noDescription')}</p>
        )}
      </CardContent>
    </Card>
  );
}
