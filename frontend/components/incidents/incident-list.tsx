'use client';

import { useTranslations } from 'next-intl';
import { Filter, Loader2, Plus } from 'lucide-react';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useMemo, useState } from 'react';
import { EmptyState, ErrorState, LoadingRows, PageHeader } from '@/components/states';
import { ExtraFilterChips } from './extra-filter-chips';
import { Button } from '@/components/ui/button';
import { filtersFromParams, filtersToParams } from '@/lib/incident-filters';
import { DEFAULT_INCIDENT_FILTERS, type IncidentFilters, useCategories, useDepartments, useIncidents } from '@/lib/queries';
import { useUser } from '@/lib/session';
import { useNow } from '@/lib/use-now';
import { BulkBar } from './list/bulk-bar';
import { IncidentCards } from './list/incident-cards';
import { IncidentTable, type ListContext } from './list/incident-table';
import { ListFilters } from './list/list-filters';
import type { Selection } from './list/selection';

// The address keeps the filters (lib/incident-filters.ts); exported here for the pages that link to the list.
export { filtersFromParams, filtersToParams };

const NOTHING: ReadonlySet<string> = new Set();

export function IncidentList() {
  const t = useTranslations('incidents.incidentList');
  const user = useUser();
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const filters = useMemo(() => filtersFromParams(new URLSearchParams(searchParams.toString())), [searchParams]);
  const filtersKey = filtersToParams(filters).toString();
  // What is being typed in the search box, until the address moves on to other filters (a saved view followed).
  const [draft, setDraft] = useState<{ text: string; base: string } | null>(null);
  const search = draft && (draft.base === filters.q || draft.text.trim() === filters.q) ? draft.text : filters.q;
  // The selection belongs to the filters it was made under: other filters, other incidents.
  const [picked, setPicked] = useState<{ filters: string; ids: ReadonlySet<string> }>({ filters: filtersKey, ids: new Set() });
  const selected = picked.filters === filtersKey ? picked.ids : NOTHING;
  const setSelected = (change: (current: ReadonlySet<string>) => ReadonlySet<string>) =>
    setPicked((current) => ({ filters: filtersKey, ids: change(current.filters === filtersKey ? current.ids : NOTHING) }));
  const now = useNow();
  const incidents = useIncidents(filters);
  const categories = useCategories(true);
  const departments = useDepartments();
  const works = user.role !== 'reporter';

  const update = (change: Partial<IncidentFilters>) => {
    const query = filtersToParams({ ...filters, ...change }).toString();
    router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
  };
  const clear = (keepSort: boolean) => {
    setDraft(null);
    update({ ...DEFAULT_INCIDENT_FILTERS, ...(keepSort ? { sort: filters.sort } : {}) });
  };

  // Search as the person types, a moment after they stop.
  useEffect(() => {
    if (search === filters.q) return;
    const timer = setTimeout(() => update({ q: search }), 350);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [search]);

  const categoryNames = new Map((categories.data ?? []).map((category) => [category.id, category.name]));
  const departmentNames = new Map((departments.data ?? []).map((department) => [department.id, department.name]));
  const items = incidents.data?.pages.flatMap((page) => page.items) ?? [];
  const filtered = filtersToParams({ ...filters, sort: 'updatedAt' }).toString() !== '';
  const context: ListContext = { viewer: user, now, works, categoryName: (id) => categoryNames.get(id), departmentName: (id) => departmentNames.get(id) };

  const selection: Selection | null = works
    ? {
        selected,
        toggle: (id, on) =>
          setSelected((current) => {
            const next = new Set(current);
            if (on) next.add(id);
            else next.delete(id);
            return next;
          }),
        toggleAll: (on) => setSelected(() => (on ? new Set(items.map((incident) => incident.id)) : NOTHING)),
      }
    : null;
  const selectedIncidents = items.filter((incident) => selected.has(incident.id));

  return (
    <>
      <PageHeader
        title={t('incidents')}
        description={
          user.role === 'reporter'
            ? t('theIncidentsYouReported')
            : user.role === 'admin'
              ? t('everyIncidentInThe')
              : t('incidentsOfAndThose', { value: departmentNames.get(user.departmentId ?? '') ?? 'your department' })
        }
        actions={
          // The header carries this button from the small breakpoint up.
          <Button asChild className="sm:hidden">
            <Link href="/incidents/new">
              <Plus />{' '}{t('reportIncident')}
            </Link>
          </Button>
        }
      />

      <ListFilters filters={filters} search={search} onSearch={(text) => setDraft({ text, base: filters.q })} onChange={update} onClear={() => clear(true)} works={works} />

      {selection && selectedIncidents.length > 0 ? (
        <BulkBar
          selected={selectedIncidents}
          viewer={user}
          onClear={() => setSelected(() => NOTHING)}
          onFinished={(changedIds) =>
            // What changed leaves the selection; what was refused stays selected, to try again.
            setSelected((current) => new Set([...current].filter((id) => !changedIds.includes(id))))
          }
        />
      ) : null}

      <ExtraFilterChips filters={filters} departmentName={departmentNames} onClear={update} />

      {incidents.isPending ? (
        <LoadingRows />
      ) : incidents.isError && items.length === 0 ? (
        <ErrorState error={incidents.error} onRetry={() => void incidents.refetch()} />
      ) : items.length === 0 ? (
        filtered ? (
          <EmptyState icon={Filter} title={t('noIncidentsMatchThese')} action={<Button variant="outline" onClick={() => clear(false)}>{t('clearTheFilters')}</Button>}>
            {t('tryFewerFiltersOr')}
          </EmptyState>
        ) : (
          <EmptyState
            title={user.role === 'reporter' ? t('youHaveNotReported') : t('noIncidentsYet')}
            action={
              <Button asChild>
                <Link href="/incidents/new">
                  <Plus />{' '}{t('reportAnIncident')}
                </Link>
              </Button>
            }
          >
            {t('whenSomethingIsBroken')}
          </EmptyState>
        )
      ) : (
        <>
          {selection ? (
            <p className="mb-2 text-xs text-muted-foreground md:hidden">{t('tickIncidentsToChange')}</p>
          ) : null}
          <IncidentTable items={items} context={context} selection={selection} />
          <IncidentCards items={items} context={context} selection={selection} />

          <div className="mt-6 flex flex-col items-center gap-2">
            {incidents.hasNextPage ? (
              <Button variant="outline" onClick={() => void incidents.fetchNextPage()} disabled={incidents.isFetchingNextPage}>
                {incidents.isFetchingNextPage ? <Loader2 className="animate-spin" /> : null}
                {t('loadMore')}
              </Button>
            ) : (
              <p className="text-sm text-muted-foreground">
                {t(filtered ? 'matching' : 'count', { count: items.length })}
              </p>
            )}
            {incidents.isError ? <ErrorState error={incidents.error} onRetry={() => void incidents.fetchNextPage()} /> : null}
          </div>
        </>
      )}
    </>
  );
}
