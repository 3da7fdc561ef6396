'use client';

import { KeyRound, Loader2 } from 'lucide-react';
import { useState } from 'react';
import { SERVICE_SCOPES, type ServiceScope } from '@desk/contracts';
import { Button } from '@/components/ui/button';
import { Checkbox } from '@/components/ui/checkbox';
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { describeError } from '@/lib/api-client';
import { mapFieldErrors } from '@/lib/form-errors';
import { useCreateServiceAccount, type ServiceAccountWithSecret } from '@/lib/mutations/integrations';
import { SecretShownOnce } from './service-account-secret';

const SCOPE_LABELS: Record<ServiceScope, string> = {
  'incidents:read': 'Read incidents',
  'incidents:write': 'Report and update incidents',
  'users:read': 'Read people and departments',
  'analytics:read': 'Read analytics',
};

/** A new service account: a name and what it may do; then its secret, shown this once. */
export function CreateServiceAccountDialog({ onClose }: { onClose: () => void }) {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<ServiceScope[]>(['incidents:read']);
  const [errors, setErrors] = useState<{ name?: string; scopes?: string; form?: string }>({});
  const [created, setCreated] = useState<ServiceAccountWithSecret | null>(null);
  const create = useCreateServiceAccount();
  const submit = () =>
    create.mutate(
      { name: name.trim(), scopes },
      {
        onSuccess: (account) => setCreated(account),
        onError: (error) => {
          const { byField, other } = mapFieldErrors(error, ['name', 'scopes'] as const);
          setErrors({ ...byField, ...(Object.keys(byField).length === 0 || other.length > 0 ? { form: describeError(error).detail } : {}) });
        },
      },
    );

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
              submit();
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
