'use client';

import { Pencil, Plus, Search } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { USER_ROLES, type User, type UserRole } from '@desk/contracts';
import { QueryStates } from '@/components/states';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent } from '@/components/ui/card';
import { Input } from '@/components/ui/input';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { useDepartments, useUsers } from '@/lib/queries';
import { useDebounced } from '@/lib/use-debounced';
import { CreateUserDialog } from './create-user-dialog';
import { EditUserDialog } from './edit-user-dialog';
import { useLabels } from '@/lib/i18n/use-format';

export function UsersTab() {
  const t = useTranslations('admin.users');
  const common = useTranslations('common');
  const labels = useLabels();
  const [q, setQ] = useState('');
  const [role, setRole] = useState<UserRole | 'all'>('all');
  const [editing, setEditing] = useState<User | 'new' | null>(null);
  const query = useDebounced(q.trim());
  const users = useUsers({ q: query || undefined, role: role === 'all' ? undefined : role });
  const departments = useDepartments();
  const departmentName = new Map((departments.data ?? []).map((department) => [department.id, department.name]));

  return (
    <Card className="py-0">
      <CardContent className="px-0">
        <div className="flex flex-col gap-3 border-b p-4 sm:flex-row sm:items-center">
          <div className="relative flex-1">
            <Search className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-muted-foreground" />
            <Input value={q} onChange={(event) => setQ(event.target.value)} placeholder={t('searchPlaceholder')} className="pl-9" aria-label={t('searchLabel')} />
          </div>
          <Select value={role} onValueChange={(value) => setRole(value as UserRole | 'all')}>
            <SelectTrigger className="w-40" aria-label={t('role')}>
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              <SelectItem value="all">{t('everyRole')}</SelectItem>
              {USER_ROLES.map((value) => (
                <SelectItem key={value} value={value}>
                  {labels.role(value)}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
          <Button onClick={() => setEditing('new')}>
            <Plus /> {t('new')}
          </Button>
        </div>
        <QueryStates query={users}>
          {(found) =>
            found.length === 0 ? (
              <p className="p-8 text-center text-sm text-muted-foreground">{t('nobodyMatches')}</p>
            ) : (
              <Table>
                <TableHeader>
                  <TableRow>
                    <TableHead className="pl-4">{t('name')}</TableHead>
                    <TableHead>{t('role')}</TableHead>
                    <TableHead>{t('department')}</TableHead>
                    <TableHead>{t('status')}</TableHead>
                    <TableHead className="pr-4 text-right">
                      <span className="sr-only">{common('actions.edit')}</span>
                    </TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {found.map((person) => (
                    <TableRow key={person.id}>
                      <TableCell className="pl-4">
                        <div className="font-medium">{person.fullName}</div>
                        <div className="text-xs text-muted-foreground">{person.email}</div>
                      </TableCell>
                      <TableCell>{labels.role(person.role)}</TableCell>
                      <TableCell className="text-muted-foreground">{person.departmentId ? (departmentName.get(person.departmentId) ?? '—') : '—'}</TableCell>
                      <TableCell>
                        {person.isActive ? <Badge variant="outline" className="border-emerald-200 bg-emerald-50 text-emerald-700 dark:border-emerald-800 dark:bg-emerald-950/60 dark:text-emerald-300">{t('active')}</Badge> : <Badge variant="outline" className="text-muted-foreground">{t('deactivated')}</Badge>}
                      </TableCell>
                      <TableCell className="pr-4 text-right">
                        <Button variant="ghost" size="sm" onClick={() => setEditing(person)}>
                          <Pencil /> {common('actions.edit')}
                        </Button>
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )
          }
        </QueryStates>
      </CardContent>
      {editing === 'new' ? <CreateUserDialog departments={departments.data ?? []} onClose={() => setEditing(null)} /> : null}
      {editing && editing !== 'new' ? <EditUserDialog person={editing} departments={departments.data ?? []} onClose={() => setEditing(null)} /> : null}
    </Card>
  );
}
