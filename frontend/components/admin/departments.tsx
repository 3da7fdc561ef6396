'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Loader2, Pencil, Plus } from 'lucide-react';
import { useState } from 'react';
import { toast } from 'sonner';
import { z } from 'zod';
import { type Department } from '@desk/contracts';
import { QueryStates } from '@/components/states';
import { Button } from '@/components/ui/button';
import { Card, CardContent } from '@/components/ui/card';
import { Dialog, DialogContent, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { Textarea } from '@/components/ui/textarea';
import { describeError } from '@/lib/api-client';
import { mapFieldErrors } from '@/lib/form-errors';
import { keys, useDepartments } from '@/lib/queries';
import { useApi } from '@/lib/session';

const departmentFormSchema = z.object({ name: z.string().trim().min(1, { error: 'Give it a name' }).max(100), description: z.string().trim().max(2000) });

export function DepartmentsTab() {
  const departments = useDepartments();
  const [editing, setEditing] = useState<Department | 'new' | null>(null);
  return (
    <Card className="py-0">
      <CardContent className="px-0">
        <div className="flex items-center justify-between border-b p-4">
          <p className="text-sm text-muted-foreground">Each department receives the incidents of its categories.</p>
          <Button onClick={() => setEditing('new')}>
            <Plus /> New department
          </Button>
        </div>
        <QueryStates query={departments} rows={3}>
          {(all) => (
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead className="pl-4">Name</TableHead>
                  <TableHead>Description</TableHead>
                  <TableHead className="pr-4 text-right"><span className="sr-only">Edit</span></TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {all.map((department) => (
                  <TableRow key={department.id}>
                    <TableCell className="pl-4 font-medium">{department.name}</TableCell>
                    <TableCell className="whitespace-normal text-muted-foreground">{department.description ?? '—'}</TableCell>
                    <TableCell className="pr-4 text-right">
                      <Button variant="ghost" size="sm" onClick={() => setEditing(department)}><Pencil /> Edit</Button>
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </QueryStates>
      </CardContent>
      {editing ? <DepartmentDialog department={editing === 'new' ? null : editing} onClose={() => setEditing(null)} /> : null}
    </Card>
  );
}

function DepartmentDialog({ department, onClose }: { department: Department | null; onClose: () => void }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [name, setName] = useState(department?.name ?? '');
  const [description, setDescription] = useState(department?.description ?? '');
  const [errors, setErrors] = useState<{ name?: string; description?: string; form?: string }>({});
  const save = useMutation({
    mutationFn: (body: { name: string; description: string | null }) =>
      department ? api.json<Department>(`/departments/${department.id}`, { method: 'PATCH', body }) : api.json<Department>('/departments', { method: 'POST', body }),
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: keys.departments });
      toast.success(`${saved.name} saved`);
      onClose();
    },
    onError: (error) => {
      const { byField } = mapFieldErrors(error, ['name', 'description'] as const);
      setErrors(Object.keys(byField).length > 0 ? byField : { form: describeError(error).detail });
    },
  });
  const submit = () => {
    const parsed = departmentFormSchema.safeParse({ name, description });
    if (!parsed.success) {
      setErrors(Object.fromEntries(parsed.error.issues.map((issue) => [String(issue.path[0]), issue.message])));
      return;
    }
    save.mutate({ name: parsed.data.name, description: parsed.data.description || null });
  };
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>{department ? `Edit ${department.name}` : 'New department'}</DialogTitle>
        </DialogHeader>
        <div className="space-y-4">
          {errors.form ? <p className="rounded-md bg-destructive/10 px-3 py-2 text-sm text-destructive">{errors.form}</p> : null}
          <div className="grid gap-2">
            <Label htmlFor="department-name">Name</Label>
            <Input id="department-name" value={name} onChange={(event) => setName(event.target.value)} aria-invalid={Boolean(errors.name)} />
            {errors.name ? <p className="text-sm text-destructive">{errors.name}</p> : null}
          </div>
          <div className="grid gap-2">
            <Label htmlFor="department-description">Description</Label>
            <Textarea id="department-description" value={description} onChange={(event) => setDescription(event.target.value)} rows={3} />
            {errors.description ? <p className="text-sm text-destructive">{errors.description}</p> : null}
          </div>
        </div>
        <DialogFooter>
          <Button variant="ghost" onClick={onClose}>Cancel</Button>
          <Button onClick={submit} disabled={save.isPending}>
            {save.isPending ? <Loader2 className="animate-spin" /> : null}
            Save
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
