'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Loader2 } from 'lucide-react';
import { useState } from 'react';
import { toast } from 'sonner';
import { USER_ROLES, type Department, type User, type UserRole } from '@desk/contracts';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import { Switch } from '@/components/ui/switch';
import { describeError } from '@/lib/api-client';
import { ROLE_LABELS } from '@/lib/format';
import { mapFieldErrors } from '@/lib/form-errors';
import { useApi, useSessionStore, useUser } from '@/lib/session';
import { DepartmentSelect } from './department-select';
import { TwoStepReset } from './two-step-reset';

export function EditUserDialog({ person, departments, onClose }: { person: User; departments: Department[]; onClose: () => void }) {
  const api = useApi();
  const me = useUser();
  const store = useSessionStore();
  const queryClient = useQueryClient();
  const [fullName, setFullName] = useState(person.fullName);
  const [role, setRole] = useState<UserRole>(person.role);
  const [departmentId, setDepartmentId] = useState<string | null>(person.departmentId);
  const [isActive, setIsActive] = useState(person.isActive);
  const [error, setError] = useState<string | null>(null);
  const sendReset = useMutation({
    mutationFn: () => api.send(`/users/${person.id}/password-reset`, { method: 'POST' }),
    onSuccess: () => toast.success(`Password reset sent to ${person.email}`, { description: 'Their sessions were ended; the link lasts 30 minutes.' }),
    onError: (caught) => toast.error(describeError(caught).title, { description: describeError(caught).detail }),
  });
  const save = useMutation({
    mutationFn: () => {
      const body = {
        ...(fullName.trim() !== person.fullName ? { fullName: fullName.trim() } : {}),
        ...(role !== person.role ? { role } : {}),
        ...(departmentId !== person.departmentId ? { departmentId } : {}),
        ...(isActive !== person.isActive ? { isActive } : {}),
      };
      if (Object.keys(body).length === 0) return Promise.resolve(person);
      return api.json<User>(`/users/${person.id}`, { method: 'PATCH', body });
    },
    onSuccess: (updated) => {
      void queryClient.invalidateQueries({ queryKey: ['users'] });
      if (updated.id === me.id) store.updateUser(updated);
      toast.success(`${updated.fullName} saved`, { description: updated.role !== person.role || updated.isActive !== person.isActive ? 'Their current sessions were ended; they sign in again.' : undefined });
      onClose();
    },
    onError: (caught) => {
      const { byField } = mapFieldErrors(caught, ['fullName', 'role', 'departmentId', 'isActive'] as const);
      setError(Object.values(byField)[0] ?? describeError(caught).detail);
    },
  });
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent className="max-h-[90vh] overflow-y-auto">
        <DialogHeader>
          <DialogTitle>{person.fullName}</DialogTitle>
          <DialogDescription>{person.email}</DialogDescription>
        </DialogHeader>
        <div className="space-y-4">
          {error ? <p className="rounded-md bg-destructive/10 px-3 py-2 text-sm text-destructive">{error}</p> : null}
          <div className="grid gap-2">
            <Label htmlFor="edit-name">Full name</Label>
            <Input id="edit-name" value={fullName} onChange={(event) => setFullName(event.target.value)} />
          </div>
          <div className="grid gap-4 sm:grid-cols-2">
            <div className="grid gap-2">
              <Label>Role</Label>
              <Select value={role} onValueChange={(value) => setRole(value as UserRole)}>
                <SelectTrigger className="w-full" aria-label="Role"><SelectValue /></SelectTrigger>
                <SelectContent>
                  {USER_ROLES.map((value) => <SelectItem key={value} value={value}>{ROLE_LABELS[value]}</SelectItem>)}
                </SelectContent>
              </Select>
            </div>
            <div className="grid gap-2">
              <Label>Department</Label>
              <DepartmentSelect value={departmentId} onChange={setDepartmentId} departments={departments} allowNone inForm={false} />
            </div>
          </div>
          <div className="flex items-center justify-between rounded-lg border p-3">
            <div>
              <Label htmlFor="edit-active">Active</Label>
              <p className="mt-1 text-xs text-muted-foreground">A deactivated person cannot sign in; their history stays.</p>
            </div>
            <Switch id="edit-active" checked={isActive} onCheckedChange={setIsActive} disabled={person.id === me.id} />
          </div>
          <div className="flex flex-col gap-3 rounded-lg border p-3 sm:flex-row sm:items-center sm:justify-between">
            <div>
              <Label>Password</Label>
              <p className="mt-1 text-xs text-muted-foreground">Mails them a link to choose a new password and signs them out everywhere.</p>
            </div>
            <Button variant="outline" onClick={() => sendReset.mutate()} disabled={sendReset.isPending || !person.isActive || person.id === me.id}>
              {sendReset.isPending ? <Loader2 className="animate-spin" /> : null}
              Send password reset
            </Button>
          </div>
          <TwoStepReset person={person} isSelf={person.id === me.id} />
        </div>
        <DialogFooter>
          <Button variant="ghost" onClick={onClose}>Cancel</Button>
          <Button onClick={() => save.mutate()} disabled={save.isPending}>
            {save.isPending ? <Loader2 className="animate-spin" /> : null}
            Save
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
