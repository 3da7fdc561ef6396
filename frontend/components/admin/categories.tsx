'use client';

import { Pencil, Plus } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { toast } from 'sonner';
import type { Category } from '@desk/contracts';
import { QueryStates } from '@/components/states';
import { Button } from '@/components/ui/button';
import { Card, CardContent } from '@/components/ui/card';
import { Switch } from '@/components/ui/switch';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { useToggleCategory } from '@/lib/mutations/admin';
import { useCategories, useDepartments } from '@/lib/queries';
import { CategoryDialog } from './category-dialog';
import { RoutingDialog } from './routing-dialog';
import { useDescribeError } from '@/lib/i18n/errors';

export function CategoriesTab() {
  const t = useTranslations('admin.categories');
  const routingWords = useTranslations('admin.routing');
  const common = useTranslations('common');
  const describe = useDescribeError();
  const categories = useCategories(true);
  const departments = useDepartments();
  const [editing, setEditing] = useState<Category | 'new' | null>(null);
  const [routing, setRouting] = useState<Category | null>(null);
  const toggleCategory = useToggleCategory();
  const toggle = (category: Category) =>
    toggleCategory.mutate(category, {
      onSuccess: (saved) => toast.success(saved.isActive ? t('offeredAgain', { name: saved.name }) : t('noLongerOffered', { name: saved.name })),
      onError: (caught) => toast.error(describe(caught).title, { description: describe(caught).detail }),
    });
  const departmentName = new Map((departments.data ?? []).map((department) => [department.id, department.name]));
  const sorted = [...(categories.data ?? [])].sort((a, b) => (departmentName.get(a.departmentId) ?? '').localeCompare(departmentName.get(b.departmentId) ?? '') || a.name.localeCompare(b.name));
  return (
    <Card className="py-0">
      <CardContent className="px-0">
        <div className="flex items-center justify-between border-b p-4">
          <p className="text-sm text-muted-foreground">{t('intro')}</p>
          <Button onClick={() => setEditing('new')} disabled={!departments.data?.length}>
            <Plus /> {t('new')}
          </Button>
        </div>
        <QueryStates query={categories}>
          {() => (
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead className="pl-4">{t('category')}</TableHead>
                  <TableHead>{t('department')}</TableHead>
                  <TableHead>{t('routing')}</TableHead>
                  <TableHead>{t('offered')}</TableHead>
                  <TableHead className="pr-4 text-right"><span className="sr-only">{common('actions.edit')}</span></TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {sorted.map((category) => (
                  <TableRow key={category.id}>
                    <TableCell className="pl-4">
                      <div className="font-medium">{category.name}</div>
                      {category.description ? <div className="text-xs text-muted-foreground">{category.description}</div> : null}
                    </TableCell>
                    <TableCell className="text-muted-foreground">{departmentName.get(category.departmentId) ?? '—'}</TableCell>
                    <TableCell>
                      <Button variant="link" className="h-auto p-0 font-normal" onClick={() => setRouting(category)} aria-label={t('routingOf', { name: category.name, mode: routingWords(`mode.${category.assignment}`) })}>
                        {routingWords(`mode.${category.assignment}`)}{category.maxOpenPerPerson ? t('atMost', { count: category.maxOpenPerPerson }) : null}
                      </Button>
                    </TableCell>
                    <TableCell>
                      <Switch checked={category.isActive} onCheckedChange={() => toggle(category)} aria-label={t('offer', { name: category.name })} />
                    </TableCell>
                    <TableCell className="pr-4 text-right">
                      <Button variant="ghost" size="sm" onClick={() => setEditing(category)}><Pencil /> {common('actions.edit')}</Button>
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </QueryStates>
      </CardContent>
      {routing ? <RoutingDialog category={routing} onClose={() => setRouting(null)} /> : null}
      {editing ? <CategoryDialog category={editing === 'new' ? null : editing} departments={departments.data ?? []} onClose={() => setEditing(null)} /> : null}
    </Card>
  );
}
