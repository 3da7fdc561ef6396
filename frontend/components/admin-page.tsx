'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Activity, Building2, KeyRound, Loader2, Mail, Pencil, Plus, Search, ShieldAlert, Tags, Timer, Users, type LucideIcon } from 'lucide-react';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useState, type ReactNode } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { toast } from 'sonner';
import { z } from 'zod';
import {
  createUserBodySchema,
  INCIDENT_PRIORITIES,
  USER_ROLES,
  type Category,
  type Department,
  type SlaPolicy,
  type User,
  type UserRole,
} from '@desk/contracts';
import { PriorityBadge } from '@/components/badges';
import { EventHealthTab } from '@/components/admin-event-health';
import { MailDeliveriesTab, ServiceAccountsTab } from '@/components/admin-integrations';
import { EmptyState, PageHeader, QueryStates } from '@/components/states';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent } from '@/components/ui/card';
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { Form, FormControl, FormField, FormItem, FormLabel, FormMessage } from '@/components/ui/form';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import { Switch } from '@/components/ui/switch';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { Tabs, TabsContent, TabsList, TabsTrigger } from '@/components/ui/tabs';
import { Textarea } from '@/components/ui/textarea';
import { describeError } from '@/lib/api-client';
import { ROLE_LABELS, duration } from '@/lib/format';
import { mapFieldErrors } from '@/lib/form-errors';
import { keys, useCategories, useDepartments, useSlaPolicies, useUserMfa, useUsers } from '@/lib/queries';
import { useApi, useSessionStore, useUser } from '@/lib/session';
import { useDebounced } from '@/lib/use-debounced';

function failed(error: unknown) {
  const { title, detail } = describeError(error);
  toast.error(title, { description: detail });
}

export function AdminPage() {
  const user = useUser();
  // The tab is in the URL (`/admin?tab=events`), so a page of Administration can be linked to.
  const router = useRouter();
  const pathname = usePathname();
  const requested = useSearchParams().get('tab');
  const tab = ADMIN_TABS.some(({ value }) => value === requested) ? requested! : 'users';
  if (user.role !== 'admin') {
    return (
      <EmptyState icon={ShieldAlert} title="Administration is for administrators">
        Ask an administrator if you need an account, a department or a category changed.
      </EmptyState>
    );
  }
  return (
    <>
      <PageHeader title="Administration" description="People, departments, categories, the service levels the desk works to, the systems connected to it, the mail it sends and the events between its services." />
      <Tabs value={tab} onValueChange={(value) => router.replace(`${pathname}?tab=${value}`, { scroll: false })}>
        <TabsList className="mb-4 h-auto flex-wrap justify-start">
          {ADMIN_TABS.map(({ value, label, icon: Icon }) => (
            <TabsTrigger key={value} value={value}>
              <Icon /> {label}
            </TabsTrigger>
          ))}
        </TabsList>
        {ADMIN_TABS.map(({ value, Panel }) => (
          <TabsContent key={value} value={value}>
            <Panel />
          </TabsContent>
        ))}
      </Tabs>
    </>
  );
}

const ADMIN_TABS: { value: string; label: string; icon: LucideIcon; Panel: () => ReactNode }[] = [
  { value: 'users', label: 'Users', icon: Users, Panel: UsersTab },
  { value: 'departments', label: 'Departments', icon: Building2, Panel: DepartmentsTab },
  { value: 'categories', label: 'Categories', icon: Tags, Panel: CategoriesTab },
  { value: 'sla', label: 'SLA policies', icon: Timer, Panel: SlaTab },
  { value: 'service-accounts', label: 'Service accounts', icon: KeyRound, Panel: ServiceAccountsTab },
  { value: 'mail', label: 'Mail', icon: Mail, Panel: MailDeliveriesTab },
  { value: 'events', label: 'Event health', icon: Activity, Panel: EventHealthTab },
];

function UsersTab() {
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
            <Input value={q} onChange={(event) => setQ(event.target.value)} placeholder="Search name or email" className="pl-9" aria-label="Search users" />
          </div>
          <Select value={role} onValueChange={(value) => setRole(value as UserRole | 'all')}>
            <SelectTrigger className="w-40" aria-label="Role">
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              <SelectItem value="all">Every role</SelectItem>
              {USER_ROLES.map((value) => (
                <SelectItem key={value} value={value}>
                  {ROLE_LABELS[value]}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
          <Button onClick={() => setEditing('new')}>
            <Plus /> New user
          </Button>
        </div>
        <QueryStates query={users}>
          {(found) =>
            found.length === 0 ? (
              <p className="p-8 text-center text-sm text-muted-foreground">Nobody matches.</p>
            ) : (
              <Table>
                <TableHeader>
                  <TableRow>
                    <TableHead className="pl-4">Name</TableHead>
                    <TableHead>Role</TableHead>
                    <TableHead>Department</TableHead>
                    <TableHead>Status</TableHead>
                    <TableHead className="pr-4 text-right">
                      <span className="sr-only">Edit</span>
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
                      <TableCell>{ROLE_LABELS[person.role]}</TableCell>
                      <TableCell className="text-muted-foreground">{person.departmentId ? (departmentName.get(person.departmentId) ?? '—') : '—'}</TableCell>
                      <TableCell>
                        {person.isActive ? <Badge variant="outline" className="border-emerald-200 bg-emerald-50 text-emerald-700">Active</Badge> : <Badge variant="outline" className="text-muted-foreground">Deactivated</Badge>}
                      </TableCell>
                      <TableCell className="pr-4 text-right">
                        <Button variant="ghost" size="sm" onClick={() => setEditing(person)}>
                          <Pencil /> Edit
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

function DepartmentSelect({ value, onChange, departments, allowNone }: { value: string | null; onChange: (value: string | null) => void; departments: Department[]; allowNone: boolean }) {
  return (
    <Select value={value ?? 'none'} onValueChange={(next) => onChange(next === 'none' ? null : next)}>
      <SelectTrigger className="w-full" aria-label="Department">
        <SelectValue placeholder="Choose a department" />
      </SelectTrigger>
      <SelectContent>
        {allowNone ? <SelectItem value="none">No department</SelectItem> : null}
        {departments.map((department) => (
          <SelectItem key={department.id} value={department.id}>
            {department.name}
          </SelectItem>
        ))}
      </SelectContent>
    </Select>
  );
}

type CreateUserInput = z.input<typeof createUserBodySchema>;
type CreateUserOutput = z.output<typeof createUserBodySchema>;

function CreateUserDialog({ departments, onClose }: { departments: Department[]; onClose: () => void }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<CreateUserInput, unknown, CreateUserOutput>({
    resolver: zodResolver(createUserBodySchema),
    defaultValues: { fullName: '', email: '', password: '', role: 'reporter', departmentId: null },
  });
  const create = useMutation({
    mutationFn: (body: CreateUserOutput) => api.json<User>('/users', { method: 'POST', body }),
    onSuccess: (created) => {
      void queryClient.invalidateQueries({ queryKey: ['users'] });
      toast.success(`${created.fullName} can now sign in`);
      onClose();
    },
    onError: (error) => {
      const { byField, other } = mapFieldErrors(error, ['fullName', 'email', 'password', 'role', 'departmentId'] as const);
      for (const [field, message] of Object.entries(byField)) form.setError(field as keyof CreateUserInput, { message: message });
      if (Object.keys(byField).length === 0 || other.length > 0) setFormError(describeError(error).detail);
    },
  });
  const role = useWatch({ control: form.control, name: 'role' });

  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>New user</DialogTitle>
          <DialogDescription>Staff and managers belong to a department. Tell the person their password; they cannot change it yet.</DialogDescription>
        </DialogHeader>
        <Form {...form}>
          <form className="space-y-4" noValidate onSubmit={(event) => void form.handleSubmit((values) => { setFormError(null); create.mutate(values); })(event)}>
            {formError ? <p className="rounded-md bg-destructive/10 px-3 py-2 text-sm text-destructive">{formError}</p> : null}
            <FormField control={form.control} name="fullName" render={({ field }) => (
              <FormItem>
                <FormLabel>Full name</FormLabel>
                <FormControl><Input {...field} /></FormControl>
                <FormMessage />
              </FormItem>
            )} />
            <FormField control={form.control} name="email" render={({ field }) => (
              <FormItem>
                <FormLabel>Email</FormLabel>
                <FormControl><Input type="email" {...field} /></FormControl>
                <FormMessage />
              </FormItem>
            )} />
            <FormField control={form.control} name="password" render={({ field }) => (
              <FormItem>
                <FormLabel>Initial password</FormLabel>
                <FormControl><Input type="password" autoComplete="new-password" {...field} /></FormControl>
                <FormMessage />
              </FormItem>
            )} />
            <div className="grid gap-4 sm:grid-cols-2">
              <FormField control={form.control} name="role" render={({ field }) => (
                <FormItem>
                  <FormLabel>Role</FormLabel>
                  <Select value={field.value} onValueChange={field.onChange}>
                    <FormControl>
                      <SelectTrigger className="w-full"><SelectValue /></SelectTrigger>
                    </FormControl>
                    <SelectContent>
                      {USER_ROLES.map((value) => <SelectItem key={value} value={value}>{ROLE_LABELS[value]}</SelectItem>)}
                    </SelectContent>
                  </Select>
                  <FormMessage />
                </FormItem>
              )} />
              <FormField control={form.control} name="departmentId" render={({ field }) => (
                <FormItem>
                  <FormLabel>Department</FormLabel>
                  <DepartmentSelect value={field.value ?? null} onChange={field.onChange} departments={departments} allowNone={role === 'reporter' || role === 'admin'} />
                  <FormMessage />
                </FormItem>
              )} />
            </div>
            <DialogFooter>
              <Button type="button" variant="ghost" onClick={onClose}>Cancel</Button>
              <Button type="submit" disabled={create.isPending}>
                {create.isPending ? <Loader2 className="animate-spin" /> : null}
                Create user
              </Button>
            </DialogFooter>
          </form>
        </Form>
      </DialogContent>
    </Dialog>
  );
}

function EditUserDialog({ person, departments, onClose }: { person: User; departments: Department[]; onClose: () => void }) {
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
              <DepartmentSelect value={departmentId} onChange={setDepartmentId} departments={departments} allowNone />
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

/** Someone's two-step sign-in, and removing it (a lost phone) after a confirmation. */
function TwoStepReset({ person, isSelf }: { person: User; isSelf: boolean }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const status = useUserMfa(person.id);
  const [confirming, setConfirming] = useState(false);
  const reset = useMutation({
    mutationFn: () => api.send(`/users/${person.id}/mfa-reset`, { method: 'POST' }),
    onSuccess: () => {
      setConfirming(false);
      toast.success(`Two-step sign-in reset for ${person.fullName}`, { description: 'Their sessions were ended and they were told by mail; their next sign-in needs only the password, or sets up a new app where their role requires one.' });
    },
    onError: (caught) => {
      setConfirming(false);
      failed(caught);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: keys.userMfa(person.id) }),
  });
  const enabled = status.data?.enabled;
  return (
    <div className="rounded-lg border p-3" data-testid="two-step-admin">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
        <div>
          <Label>
            Two-step sign-in:{' '}
            {status.isPending ? (
              <Loader2 className="size-3.5 animate-spin text-muted-foreground" aria-label="Loading" />
            ) : status.data ? (
              <span className={enabled ? 'text-emerald-700' : 'text-muted-foreground'} data-testid="two-step-admin-state">
                {enabled ? 'on' : 'off'}
              </span>
            ) : (
              <span className="text-destructive">unknown</span>
            )}
          </Label>
          <p className="mt-1 text-xs text-muted-foreground">
            {status.isError && !status.data
              ? describeError(status.error).title
              : enabled
                ? `${status.data?.recoveryCodesLeft ?? 0} recovery codes left. Resetting removes their app and codes and signs them out everywhere.`
                : status.data?.required
                  ? 'Required for their role: they set it up at their next sign-in.'
                  : 'They sign in with their password alone.'}
          </p>
        </div>
        {enabled && !confirming ? (
          <Button variant="outline" onClick={() => setConfirming(true)} disabled={isSelf} title={isSelf ? 'Turn your own off on your account page' : undefined}>
            Reset two-step sign-in
          </Button>
        ) : null}
      </div>
      {enabled && confirming ? (
        <div className="mt-3 space-y-3 rounded-md bg-destructive/10 p-3 text-sm" role="alertdialog" aria-labelledby="two-step-reset-question">
          <p id="two-step-reset-question" className="font-medium">
            Reset {person.fullName}&apos;s two-step sign-in?
          </p>
          <p className="text-muted-foreground">Do this when they lost their phone and their recovery codes. Their app and codes stop working, every session of theirs ends, and they get a mail about it.</p>
          <div className="flex flex-wrap justify-end gap-2">
            <Button variant="ghost" size="sm" onClick={() => setConfirming(false)}>
              Keep it
            </Button>
            <Button variant="destructive" size="sm" onClick={() => reset.mutate()} disabled={reset.isPending}>
              {reset.isPending ? <Loader2 className="animate-spin" /> : null}
              Reset
            </Button>
          </div>
        </div>
      ) : null}
    </div>
  );
}

const departmentFormSchema = z.object({ name: z.string().trim().min(1, { error: 'Give it a name' }).max(100), description: z.string().trim().max(2000) });

function DepartmentsTab() {
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

function CategoriesTab() {
  const api = useApi();
  const queryClient = useQueryClient();
  const categories = useCategories(true);
  const departments = useDepartments();
  const [editing, setEditing] = useState<Category | 'new' | null>(null);
  const toggle = useMutation({
    mutationFn: (category: Category) => api.json<Category>(`/categories/${category.id}`, { method: 'PATCH', body: { isActive: !category.isActive } }),
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: ['categories'] });
      toast.success(`${saved.name} ${saved.isActive ? 'can be chosen again' : 'is no longer offered'}`);
    },
    onError: failed,
  });
  const departmentName = new Map((departments.data ?? []).map((department) => [department.id, department.name]));
  const sorted = [...(categories.data ?? [])].sort((a, b) => (departmentName.get(a.departmentId) ?? '').localeCompare(departmentName.get(b.departmentId) ?? '') || a.name.localeCompare(b.name));
  return (
    <Card className="py-0">
      <CardContent className="px-0">
        <div className="flex items-center justify-between border-b p-4">
          <p className="text-sm text-muted-foreground">What reporters choose from. A category routes incidents to its department.</p>
          <Button onClick={() => setEditing('new')} disabled={!departments.data?.length}>
            <Plus /> New category
          </Button>
        </div>
        <QueryStates query={categories}>
          {() => (
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead className="pl-4">Category</TableHead>
                  <TableHead>Department</TableHead>
                  <TableHead>Offered</TableHead>
                  <TableHead className="pr-4 text-right"><span className="sr-only">Edit</span></TableHead>
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
                      <Switch checked={category.isActive} onCheckedChange={() => toggle.mutate(category)} aria-label={`Offer ${category.name}`} />
                    </TableCell>
                    <TableCell className="pr-4 text-right">
                      <Button variant="ghost" size="sm" onClick={() => setEditing(category)}><Pencil /> Edit</Button>
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </QueryStates>
      </CardContent>
      {editing ? <CategoryDialog category={editing === 'new' ? null : editing} departments={departments.data ?? []} onClose={() => setEditing(null)} /> : null}
    </Card>
  );
}

function CategoryDialog({ category, departments, onClose }: { category: Category | null; departments: Department[]; onClose: () => void }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [name, setName] = useState(category?.name ?? '');
  const [description, setDescription] = useState(category?.description ?? '');
  const [departmentId, setDepartmentId] = useState<string | null>(category?.departmentId ?? departments[0]?.id ?? null);
  const [error, setError] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: () => {
      const common = { name: name.trim(), description: description.trim() || null };
      return category
        ? api.json<Category>(`/categories/${category.id}`, { method: 'PATCH', body: common })
        : api.json<Category>('/categories', { method: 'POST', body: { ...common, departmentId } });
    },
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: ['categories'] });
      toast.success(`${saved.name} saved`);
      onClose();
    },
    onError: (caught) => {
      const { byField } = mapFieldErrors(caught, ['name', 'description', 'departmentId'] as const);
      setError(Object.entries(byField).map(([field, message]) => `${field === 'departmentId' ? 'Department' : field[0]!.toUpperCase() + field.slice(1)}: ${message}`)[0] ?? describeError(caught).detail);
    },
  });
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>{category ? `Edit ${category.name}` : 'New category'}</DialogTitle>
          {category ? <DialogDescription>A category stays in its department; make a new one to route elsewhere.</DialogDescription> : null}
        </DialogHeader>
        <div className="space-y-4">
          {error ? <p className="rounded-md bg-destructive/10 px-3 py-2 text-sm text-destructive">{error}</p> : null}
          <div className="grid gap-2">
            <Label htmlFor="category-name">Name</Label>
            <Input id="category-name" value={name} onChange={(event) => setName(event.target.value)} />
          </div>
          <div className="grid gap-2">
            <Label htmlFor="category-description">Description</Label>
            <Textarea id="category-description" value={description} onChange={(event) => setDescription(event.target.value)} rows={2} />
          </div>
          {category ? null : (
            <div className="grid gap-2">
              <Label>Department</Label>
              <DepartmentSelect value={departmentId} onChange={setDepartmentId} departments={departments} allowNone={false} />
            </div>
          )}
        </div>
        <DialogFooter>
          <Button variant="ghost" onClick={onClose}>Cancel</Button>
          <Button onClick={() => save.mutate()} disabled={save.isPending || !name.trim()}>
            {save.isPending ? <Loader2 className="animate-spin" /> : null}
            Save
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}

function SlaTab() {
  const policies = useSlaPolicies();
  const byPriority = new Map((policies.data ?? []).map((policy) => [policy.priority, policy]));
  return (
    <Card className="py-0">
      <CardContent className="px-0">
        <p className="border-b p-4 text-sm text-muted-foreground">
          Response: until work starts. Resolution: until resolved. Changes apply to incidents created or re-prioritised afterwards.
        </p>
        <QueryStates query={policies}>
          {() => (
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead className="pl-4">Priority</TableHead>
                  <TableHead>Response (minutes)</TableHead>
                  <TableHead>Resolution (minutes)</TableHead>
                  <TableHead className="pr-4 text-right"><span className="sr-only">Save</span></TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {[...INCIDENT_PRIORITIES].reverse().map((priority) => {
                  const policy = byPriority.get(priority);
                  return policy ? <SlaRow key={priority} policy={policy} /> : null;
                })}
              </TableBody>
            </Table>
          )}
        </QueryStates>
      </CardContent>
    </Card>
  );
}

function SlaRow({ policy }: { policy: SlaPolicy }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [response, setResponse] = useState(String(policy.responseMinutes));
  const [resolution, setResolution] = useState(String(policy.resolutionMinutes));
  const [error, setError] = useState<string | null>(null);
  const changed = Number(response) !== policy.responseMinutes || Number(resolution) !== policy.resolutionMinutes;
  const save = useMutation({
    mutationFn: () => api.json<SlaPolicy>(`/sla-policies/${policy.priority}`, { method: 'PUT', body: { responseMinutes: Number(response), resolutionMinutes: Number(resolution) } }),
    onSuccess: () => {
      setError(null);
      void queryClient.invalidateQueries({ queryKey: keys.slaPolicies });
      toast.success(`${policy.priority.toLowerCase()} targets saved`);
    },
    onError: (caught) => {
      const { byField } = mapFieldErrors(caught, ['responseMinutes', 'resolutionMinutes'] as const);
      setError(byField.resolutionMinutes ? `Resolution: ${byField.resolutionMinutes}` : byField.responseMinutes ? `Response: ${byField.responseMinutes}` : describeError(caught).detail);
    },
  });
  return (
    <TableRow>
      <TableCell className="pl-4"><PriorityBadge priority={policy.priority} /></TableCell>
      <TableCell>
        <Input type="number" min={1} value={response} onChange={(event) => setResponse(event.target.value)} className="w-28" aria-label={`${policy.priority} response minutes`} />
        <div className="mt-1 text-xs text-muted-foreground">{duration(Number(response) * 60)}</div>
      </TableCell>
      <TableCell>
        <Input type="number" min={1} value={resolution} onChange={(event) => setResolution(event.target.value)} className="w-28" aria-label={`${policy.priority} resolution minutes`} />
        <div className="mt-1 text-xs text-muted-foreground">{duration(Number(resolution) * 60)}</div>
        {error ? <div className="mt-1 text-xs whitespace-normal text-destructive">{error}</div> : null}
      </TableCell>
      <TableCell className="pr-4 text-right">
        <Button size="sm" variant={changed ? 'default' : 'outline'} disabled={!changed || save.isPending} onClick={() => save.mutate()}>
          {save.isPending ? <Loader2 className="animate-spin" /> : null}
          Save
        </Button>
      </TableCell>
    </TableRow>
  );
}
