'use client';

import { useTranslations } from 'next-intl';
import { Bookmark, MoreHorizontal, Pencil, Trash2 } from 'lucide-react';
import Link from 'next/link';
import { usePathname, useSearchParams } from 'next/navigation';
import { Suspense, useState } from 'react';
import { toast } from 'sonner';
import type { SavedView } from '@desk/contracts';
import { ViewNameDialog } from '@/components/saved-views/view-name-dialog';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuTrigger } from '@/components/ui/dropdown-menu';
import { canonicalQuery, viewHref } from '@/lib/incident-filters';
import { useDeleteView, useRenameView } from '@/lib/mutations/views';
import { useSavedViews } from '@/lib/queries';
import { cn } from '@/lib/utils';
import { useDescribeError } from '@/lib/i18n/errors';

/**
 * The sidebar's "Saved views": the person's saved filter sets of the incident list, each a link
 * to the list filtered so, marked when the list shows exactly its filters; rename and delete
 * from each one's menu. `collapsed`: icons only (names as tooltips and labels).
 */
export function SavedViewsNav({ collapsed = false, onNavigate }: { collapsed?: boolean; onNavigate?: () => void }) {
  // The active view is read from the address, which a static render does not have.
  return (
    <Suspense fallback={null}>
      <SavedViewsList collapsed={collapsed} {...(onNavigate ? { onNavigate } : {})} />
    </Suspense>
  );
}

function SavedViewsList({ collapsed, onNavigate }: { collapsed: boolean; onNavigate?: () => void }) {
  const t = useTranslations('shell.savedViews');
  const describe = useDescribeError();
  const views = useSavedViews();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const current = pathname === '/incidents' ? canonicalQuery(searchParams.toString()) : null;
  const [renaming, setRenaming] = useState<SavedView | null>(null);
  const [deleting, setDeleting] = useState<SavedView | null>(null);
  const rename = useRenameView();
  const remove = useDeleteView();

  if (views.isPending || views.isError) return null;
  return (
    <nav aria-label={t('savedViews')} data-testid="saved-views-nav">
      {collapsed ? null : <h2 className="px-2 pb-1 text-xs font-medium text-muted-foreground">{t('savedViews')}</h2>}
      {views.data.length === 0 ? (
        collapsed ? null : <p className="px-2 text-xs text-muted-foreground">{t('saveTheListRsquo')}</p>
      ) : (
        <ul className="space-y-0.5">
          {views.data.map((view) => {
            const active = current !== null && canonicalQuery(view.query) === current;
            return (
              <li key={view.id} className="group relative flex items-center">
                <Link
                  href={viewHref(view.query)}
                  onClick={onNavigate}
                  aria-current={active ? 'page' : undefined}
                  title={collapsed ? view.name : undefined}
                  aria-label={collapsed ? view.name : undefined}
                  className={cn(
                    'flex min-w-0 flex-1 items-center gap-2 rounded-md px-2 py-1.5 text-sm transition-colors hover:bg-accent hover:text-accent-foreground',
                    active && 'bg-accent font-medium text-accent-foreground',
                    collapsed && 'justify-center',
                  )}
                >
                  <Bookmark className={cn('size-4 shrink-0', active ? 'text-primary' : 'text-muted-foreground')} aria-hidden />
                  {collapsed ? null : <span className="truncate">{view.name}</span>}
                </Link>
                {collapsed ? null : (
                  <DropdownMenu>
                    <DropdownMenuTrigger asChild>
                      <Button variant="ghost" size="icon" className="size-7 shrink-0 opacity-60 group-hover:opacity-100 focus-visible:opacity-100" aria-label={t('renameOrDeleteThe', { name: view.name })}>
                        <MoreHorizontal />
                      </Button>
                    </DropdownMenuTrigger>
                    <DropdownMenuContent align="end">
                      <DropdownMenuItem onSelect={() => setRenaming(view)}>
                        <Pencil />{' '}{t('rename')}
                      </DropdownMenuItem>
                      <DropdownMenuItem variant="destructive" onSelect={() => setDeleting(view)}>
                        <Trash2 />{' '}{t('delete')}
                      </DropdownMenuItem>
                    </DropdownMenuContent>
                  </DropdownMenu>
                )}
              </li>
            );
          })}
        </ul>
      )}

      <ViewNameDialog
        open={renaming !== null}
        onOpenChange={(open) => !open && setRenaming(null)}
        title={t('renameView')}
        description={t('theViewKeepsIts')}
        initialName={renaming?.name ?? ''}
        submitLabel="Rename"
        onSubmit={(name) => rename.mutateAsync({ id: renaming!.id, name })}
      />

      <Dialog open={deleting !== null} onOpenChange={(open) => !open && setDeleting(null)}>
        <DialogContent className="sm:max-w-md">
          <DialogHeader>
            <DialogTitle>{t('deleteTheView', { name: deleting?.name ?? '' })}</DialogTitle>
            <DialogDescription>{t('onlyTheSavedView')}</DialogDescription>
          </DialogHeader>
          <DialogFooter>
            <Button variant="outline" onClick={() => setDeleting(null)}>
              {t('keepIt')}
            </Button>
            <Button
              variant="destructive"
              disabled={remove.isPending}
              onClick={() =>
                remove.mutate(deleting!.id, {
                  onSuccess: () => {
                    toast.success(t('theViewWasDeleted', { name: deleting!.name }));
                    setDeleting(null);
                  },
                  onError: (error) => toast.error(describe(error).title, { description: describe(error).detail }),
                })
              }
            >
              {t('deleteView')}
            </Button>
          </DialogFooter>
        </DialogContent>
      </Dialog>
    </nav>
  );
}
