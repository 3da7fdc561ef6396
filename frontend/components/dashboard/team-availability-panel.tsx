'use client';

import { useTranslations } from 'next-intl';
import { toast } from 'sonner';
import { QueryStates } from '@/components/states';
import { Switch } from '@/components/ui/switch';
import { useSetAvailability } from '@/lib/mutations/desk-operations';
import { useAvailability } from '@/lib/queries';
import { Panel } from './panel';
import { useDescribeError } from '@/lib/i18n/errors';

/** The manager's team: who takes new incidents from the routing, with their open work; a switch each. */
export function TeamAvailabilityPanel() {
  const t = useTranslations('dashboard.teamAvailabilityPanel');
  const describe = useDescribeError();
  const team = useAvailability(null);
  const setAvailability = useSetAvailability();
  return (
    <Panel title={t('teamAvailability')} description={t('whoGetsNewIncidents')}>
      <QueryStates query={team}>
        {(people) => (
          <ul className="divide-y">
            {people.map((person) => (
              <li key={person.userId} className="flex items-center justify-between gap-3 py-2 text-sm">
                <div className="min-w-0">
                  <div className="truncate font-medium" id={`availability-${person.userId}`}>{person.fullName}</div>
                  <div className="text-xs text-muted-foreground">
                    {t('line', { manager: String(person.role === 'manager'), open: person.openIncidents, available: String(person.available) })}
                  </div>
                </div>
                <Switch
                  checked={person.available}
                  aria-labelledby={`availability-${person.userId}`}
                  disabled={setAvailability.isPending}
                  onCheckedChange={(available) =>
                    setAvailability.mutate(
                      { userId: person.userId, available },
                      {
                        onSuccess: () => toast.success(t('is', { fullName: person.fullName, available: String(available) })),
                        onError: (caught) => toast.error(describe(caught).title, { description: describe(caught).detail }),
                      },
                    )
                  }
                />
              </li>
            ))}
          </ul>
        )}
      </QueryStates>
    </Panel>
  );
}
