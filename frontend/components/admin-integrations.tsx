'use client';

import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { KeyRound, Loader2, Plus, RefreshCw, Trash2 } from 'lucide-react';
import Link from 'next/link';
import { useState } from 'react';
import { toast } from 'sonner';
import {
  DELIVERY_STATUSES,
  SERVICE_SCOPES,
  type Delivery,
  type DeliveryStatus,
  type Page,
  type ServiceAccount,
  type ServiceScope,
} from '@desk/contracts';
import { RotateSecretDialog, SecretShownOnce, type ServiceAccountWithSecret } from '@/components/service-account-secret';
import { QueryStates } from '@/components/states';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent } from '@/components/ui/card';
import { Checkbox } from '@/components/ui/checkbox';
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { describeError } from '@/lib/api-client';
import { dateTime, relativeTime } from '@/lib/format';
import { mapFieldErrors } from '@/lib/form-errors';
import { useApi } from '@/lib/session';
import { useNow } from '@/lib/use-now';

const keys = {
  serviceAccounts: ['admin', 'service-accounts'] as const,
  deliveries: (status: DeliveryStatus | 'all') => ['admin', 'deliveries', status] as const,
};

const SCOPE_LABELS: Record<ServiceScope, string> = {
  'incidents:read': 'Read incidents',
  'incidents:write': 'Report and update incidents',
  'users:read': 'Read people and departments',
  'analytics:read': 'Read analytics',
};

function LoadMore({ query }: { query: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => Promise<unknown> } }) {
  if (!query.hasNextPage) return null;
  return (
    <div className="border-t p-3 text-center">
      <Button variant="outline" size="sm" onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
        {query.isFetchingNextPage ? <Loader2 className="animate-spin" /> : null}
        Load more
      </Button>
    </div>
  );
}

/** Other systems that call the API with client credentials (OAuth2 client_credentials at /auth/token). */
export function ServiceAccountsTab() {
  const api = useApi();
  const queryClient = useQueryClient();
  const now = useNow();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ServiceAccount | null>(null);
  const [rotating, setRotating] = useState<ServiceAccount | null>(null);
  const accounts = useInfiniteQuery({
    queryKey: keys.serviceAccounts,
    queryFn: ({ pageParam, signal }) => api.json<Page<ServiceAccount>>('/service-accounts', { query: { limit: 50, cursor: pageParam }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const revoke = useMutation({
    mutationFn: (account: ServiceAccount) => api.json<undefined>(`/service-accounts/${account.id}`, { method: 'DELETE' }),
    onSuccess: (_result, account) => {
      void queryClient.invalidateQueries({ queryKey: keys.serviceAccounts });
      toast.success(`${account.name} revoked: its tokens stop working`);
      setRevoking(null);
    },
    onError: (error) => toast.error(describeError(error).title, { description: describeError(error).detail }),
  });

  return (
    <Card className="py-0">
      <CardContent className="px-0">
        <div className="flex items-center justify-between gap-4 border-b p-4">
          <p className="text-sm text-muted-foreground">
            Other systems sign in with a client id and secret (<code className="text-xs">POST /auth/token</code>, grant <code className="text-xs">client_credentials</code>) and may do only what their scopes allow.
          </p>
          <Button onClick={() => setCreating(true)}>
            <Plus /> New service account
          </Button>
        </div>
        <QueryStates query={accounts} rows={3}>
          {(data) => {
            const items = data.pages.flatMap((page) => page.items);
            if (items.length === 0) return <p className="p-8 text-center text-sm text-muted-foreground">No service accounts yet.</p>;
            return (
              <>
                <Table>
                  <TableHeader>
                    <TableRow>
                      <TableHead className="pl-4">Name</TableHead>
                      <TableHead>Scopes</TableHead>
                      <TableHead>Last used</TableHead>
                      <TableHead>Status</TableHead>
                      <TableHead className="pr-4 text-right">
                        <span className="sr-only">Revoke</span>
                      </TableHead>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {items.map((account) => (
                      <TableRow key={account.id}>
                        <TableCell className="pl-4">
                          <div className="font-medium">{account.name}</div>
                          <div className="font-mono text-xs text-muted-foreground">{account.clientId}</div>
                        </TableCell>
                        <TableCell className="whitespace-normal">
                          <div className="flex flex-wrap gap-1">
                            {account.scopes.map((scope) => (
                              <Badge key={scope} variant="outline" className="font-mono text-[11px]">
                                {scope}
                              </Badge>
                            ))}
                          </div>
                        </TableCell>
                        <TableCell className="text-muted-foreground" title={account.lastUsedAt ? dateTime(account.lastUsedAt) : undefined}>
                          {account.lastUsedAt ? relativeTime(account.lastUsedAt, now) : 'Never'}
                        </TableCell>
                        <TableCell>
                          {account.isActive ? (
                            <Badge variant="outline" className="border-emerald-200 bg-emerald-50 text-emerald-700 dark:border-emerald-800 dark:bg-emerald-950/60 dark:text-emerald-300">
                              Active
                            </Badge>
                          ) : (
                            <Badge variant="outline" className="text-muted-foreground">
                              Revoked
                            </Badge>
                          )}
                        </TableCell>
                        <TableCell className="pr-4 text-right">
                          {account.isActive ? (
                            <div className="flex justify-end gap-1">
                              <Button variant="ghost" size="sm" onClick={() => setRotating(account)} aria-label={`New secret for ${account.name}`}>
                                <RefreshCw /> New secret
                              </Button>
                              <Button variant="ghost" size="sm" className="text-destructive" onClick={() => setRevoking(account)}>
                                <Trash2 /> Revoke
                              </Button>
                            </div>
                          ) : null}
                        </TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
                <LoadMore query={accounts} />
              </>
            );
          }}
        </QueryStates>
      </CardContent>
      {creating ? <CreateServiceAccountDialog onClose={() => setCreating(false)} /> : null}
      {rotating ? <RotateSecretDialog account={rotating} queryKey={keys.serviceAccounts} onClose={() => setRotating(null)} /> : null}
      {revoking ? (
        <Dialog open onOpenChange={(open) => !open && setRevoking(null)}>
          <DialogContent>
            <DialogHeader>
              <DialogTitle>Revoke {revoking.name}?</DialogTitle>
              <DialogDescription>The system using it can no longer get tokens, and the tokens it holds stop working. This cannot be undone; create a new account to connect it again.</DialogDescription>
            </DialogHeader>
            <DialogFooter>
              <Button variant="outline" onClick={() => setRevoking(null)}>
                Keep it
              </Button>
              <Button variant="destructive" onClick={() => revoke.mutate(revoking)} disabled={revoke.isPending}>
                {revoke.isPending ? <Loader2 className="animate-spin" /> : null}
                Revoke
              </Button>
            </DialogFooter>
          </DialogContent>
        </Dialog>
      ) : null}
    </Card>
  );
}

function CreateServiceAccountDialog({ onClose }: { onClose: () => void }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<ServiceScope[]>(['incidents:read']);
  const [errors, setErrors] = useState<{ name?: string; scopes?: string; form?: string }>({});
  const [created, setCreated] = useState<ServiceAccountWithSecret | null>(null);
  const create = useMutation({
    mutationFn: () => api.json<ServiceAccount & { clientSecret: string }>('/service-accounts', { method: 'POST', body: { name: name.trim(), scopes } }),
    onSuccess: (account) => {
      void queryClient.invalidateQueries({ queryKey: keys.serviceAccounts });
      setCreated(account);
    },
    onError: (error) => {
      const { byField, other } = mapFieldErrors(error, ['name', 'scopes'] as const);
      setErrors({ ...byField, ...(Object.keys(byField).length === 0 || other.length > 0 ? { form: describeError(error).detail } : {}) });
    },
  });

  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent>
        {created ? (
          <SecretShownOnce account={created} title={`${created.name} is ready`} onClose={onClose} />
        ) : (
          <form
            onSubmit={(event) => {
              event.preventDefault();
              setErrors({});
              create.mutate();
            }}
            className="space-y-4"
          >
            <DialogHeader>
              <DialogTitle>New service account</DialogTitle>
              <DialogDescription>For a monitoring tool, a chat bot or another system that reports or reads incidents.</DialogDescription>
            </DialogHeader>
            {errors.form ? <p className="text-sm text-destructive">{errors.form}</p> : null}
            <div className="space-y-1.5">
              <Label htmlFor="service-account-name">Name</Label>
              <Input id="service-account-name" value={name} onChange={(event) => setName(event.target.value)} placeholder="Monitoring" maxLength={100} aria-invalid={Boolean(errors.name)} />
              {errors.name ? <p className="text-sm text-destructive">{errors.name}</p> : null}
            </div>
            <fieldset className="space-y-2">
              <legend className="text-sm font-medium">What it may do</legend>
              {SERVICE_SCOPES.map((scope) => (
                <label key={scope} className="flex items-center gap-2 text-sm">
                  <Checkbox
                    checked={scopes.includes(scope)}
                    onCheckedChange={(checked) => setScopes((current) => (checked === true ? [...current, scope] : current.filter((item) => item !== scope)))}
                  />
                  {SCOPE_LABELS[scope]} <span className="font-mono text-xs text-muted-foreground">{scope}</span>
                </label>
              ))}
              {errors.scopes ? <p className="text-sm text-destructive">{errors.scopes}</p> : null}
            </fieldset>
            <DialogFooter>
              <Button type="button" variant="outline" onClick={onClose}>
                Cancel
              </Button>
              <Button type="submit" disabled={create.isPending}>
                {create.isPending ? <Loader2 className="animate-spin" /> : <KeyRound />}
                Create
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}

const STATUS_STYLES: Record<DeliveryStatus, string> = {
  PENDING: 'border-amber-200 bg-amber-50 text-amber-700 dark:border-amber-800 dark:bg-amber-950/60 dark:text-amber-300',
  SENDING: 'border-sky-200 bg-sky-50 text-sky-700 dark:border-sky-800 dark:bg-sky-950/60 dark:text-sky-300',
  SENT: 'border-emerald-200 bg-emerald-50 text-emerald-700 dark:border-emerald-800 dark:bg-emerald-950/60 dark:text-emerald-300',
  FAILED: 'border-red-200 bg-red-50 text-red-700 dark:border-red-800 dark:bg-red-950/60 dark:text-red-300',
};

/** Every email the desk sent or tried to send, newest first: what went out, and why one did not. */
export function MailDeliveriesTab() {
  const api = useApi();
  const now = useNow();
  const [status, setStatus] = useState<DeliveryStatus | 'all'>('all');
  const deliveries = useInfiniteQuery({
    queryKey: keys.deliveries(status),
    queryFn: ({ pageParam, signal }) =>
      api.json<Page<Delivery>>('/notifications/deliveries', { query: { limit: 50, cursor: pageParam, status: status === 'all' ? undefined : status }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  return (
    <Card className="py-0">
      <CardContent className="px-0">
        <div className="flex items-center justify-between gap-4 border-b p-4">
          <p className="text-sm text-muted-foreground">Mails are retried with growing pauses when the mail server is unavailable; a rejected address fails at once.</p>
          <Select value={status} onValueChange={(value) => setStatus(value as DeliveryStatus | 'all')}>
            <SelectTrigger className="w-40" aria-label="Delivery status">
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              <SelectItem value="all">Every status</SelectItem>
              {DELIVERY_STATUSES.map((value) => (
                <SelectItem key={value} value={value}>
                  {value.charAt(0) + value.slice(1).toLowerCase()}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
        </div>
        <QueryStates query={deliveries}>
          {(data) => {
            const items = data.pages.flatMap((page) => page.items);
            if (items.length === 0) return <p className="p-8 text-center text-sm text-muted-foreground">No mails {status === 'all' ? 'yet' : 'with this status'}.</p>;
            return (
              <>
                <Table>
                  <TableHeader>
                    <TableRow>
                      <TableHead className="pl-4">To</TableHead>
                      <TableHead>Subject</TableHead>
                      <TableHead>Status</TableHead>
                      <TableHead className="pr-4 text-right">Created</TableHead>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {items.map((delivery) => (
                      <TableRow key={delivery.id}>
                        <TableCell className="pl-4 align-top">{delivery.to}</TableCell>
                        <TableCell className="max-w-md align-top whitespace-normal">
                          <Link href={`/incidents/${delivery.incidentKey}`} className="hover:text-primary">
                            {delivery.subject}
                          </Link>
                          {delivery.lastError ? <p className="mt-1 text-xs text-destructive">{delivery.lastError}</p> : null}
                        </TableCell>
                        <TableCell className="align-top">
                          <Badge variant="outline" className={STATUS_STYLES[delivery.status]}>
                            {delivery.status.charAt(0) + delivery.status.slice(1).toLowerCase()}
                          </Badge>
                          <div className="mt-1 text-xs text-muted-foreground">
                            {delivery.attempts === 1 ? '1 attempt' : `${delivery.attempts} attempts`}
                            {delivery.status === 'PENDING' && delivery.nextAttemptAt ? `, next ${relativeTime(delivery.nextAttemptAt, now)}` : ''}
                          </div>
                        </TableCell>
                        <TableCell className="pr-4 text-right align-top text-muted-foreground" title={dateTime(delivery.createdAt)}>
                          {relativeTime(delivery.createdAt, now)}
                        </TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
                <LoadMore query={deliveries} />
              </>
            );
          }}
        </QueryStates>
      </CardContent>
    </Card>
  );
}
