'use client';

import { Loader2 } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { toast } from 'sonner';
import { INCIDENT_LEVELS, INCIDENT_PRIORITIES, type IncidentLevel, type IncidentPriority, type PriorityMatrix } from '@desk/contracts';
import { QueryStates } from '@/components/states';
import { Button } from '@/components/ui/button';
import { Card, CardContent } from '@/components/ui/card';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import { ApiError } from '@/lib/api-client';
import { useSavePriorityMatrix } from '@/lib/mutations/desk-operations';
import { usePriorityMatrix } from '@/lib/queries';
import { useLabels } from '@/lib/i18n/use-format';
import { useDescribeError } from '@/lib/i18n/errors';

const HIGH_FIRST: IncidentLevel[] = [...INCIDENT_LEVELS].reverse();
type Cells = PriorityMatrix['matrix'];

/** Administration › Priority matrix: impact (rows) × urgency (columns) → priority, saved all at once. */
export function PriorityMatrixTab() {
  const t = useTranslations('admin.priorityMatrix');
  const matrix = usePriorityMatrix();
  return (
    <Card className="py-0">
      <CardContent className="px-0">
        <p className="border-b p-4 text-sm text-muted-foreground">
          {t('intro')}
        </p>
        {/* A saved matrix (updatedAt) starts a new form. */}
        <QueryStates query={matrix}>{(data) => <MatrixForm key={data.updatedAt} matrix={data.matrix} />}</QueryStates>
      </CardContent>
    </Card>
  );
}

function MatrixForm({ matrix }: { matrix: Cells }) {
  const t = useTranslations('admin.priorityMatrix');
  const describe = useDescribeError();
  const labels = useLabels();
  const save = useSavePriorityMatrix();
  const [cells, setCells] = useState<Cells>(matrix);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const changed = JSON.stringify(cells) !== JSON.stringify(matrix);
  const submit = () => {
    setErrors({});
    save.mutate(
      { matrix: cells },
      {
        onSuccess: () => toast.success(t('saved')),
        onError: (caught) => {
          const byCell: Record<string, string> = {};
          if (caught instanceof ApiError) for (const issue of caught.fieldErrors) byCell[issue.path] = issue.message;
          setErrors(byCell);
          toast.error(describe(caught).title, { description: describe(caught).detail });
        },
      },
    );
  };
  return (
    <div className="space-y-4 p-4">
      <div className="overflow-x-auto">
        <table className="w-full min-w-[28rem] border-separate border-spacing-2 text-sm">
          <caption className="sr-only">{t('caption')}</caption>
          <thead>
            <tr>
              <th scope="col" className="text-left font-medium text-muted-foreground">{t('corner')}</th>
              {HIGH_FIRST.map((urgency) => <th key={urgency} scope="col" className="text-left font-medium">{t('urgencyHeading', { level: labels.level(urgency) })}</th>)}
            </tr>
          </thead>
          <tbody>
            {HIGH_FIRST.map((impact) => (
              <tr key={impact}>
                <th scope="row" className="text-left font-medium">{t('impactHeading', { level: labels.level(impact) })}</th>
                {HIGH_FIRST.map((urgency) => {
                  const path = `/matrix/${impact}/${urgency}`;
                  return (
                    <td key={urgency}>
                      <Select value={cells[impact][urgency]} onValueChange={(priority) => setCells({ ...cells, [impact]: { ...cells[impact], [urgency]: priority as IncidentPriority } })}>
                        <SelectTrigger className="w-full" aria-label={t('cellLabel', { impact: labels.level(impact), urgency: labels.level(urgency) })} aria-invalid={errors[path] ? true : undefined}>
                          <SelectValue />
                        </SelectTrigger>
                        <SelectContent>
                          {[...INCIDENT_PRIORITIES].reverse().map((priority) => <SelectItem key={priority} value={priority}>{labels.priority(priority)}</SelectItem>)}
                        </SelectContent>
                      </Select>
                      {errors[path] ? <p className="mt-1 text-xs text-destructive">{errors[path]}</p> : null}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="flex justify-end gap-2">
        <Button variant="ghost" onClick={() => setCells(matrix)} disabled={!changed || save.isPending}>{t('undo')}</Button>
        <Button onClick={submit} disabled={!changed || save.isPending}>
          {save.isPending ? <Loader2 className="animate-spin" /> : null}
          {t('save')}
        </Button>
      </div>
    </div>
  );
}
