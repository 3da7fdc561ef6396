'use client';

import { Check, Copy, Loader2 } from 'lucide-react';
import { useState } from 'react';
import { toast } from 'sonner';
import type { ServiceAccount } from '@desk/contracts';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { Label } from '@/components/ui/label';
import { useRotateServiceAccountSecret, type ServiceAccountWithSecret } from '@/lib/mutations/integrations';
import { useDescribeError } from '@/lib/i18n/errors';

/** A client id and the secret that goes with it, shown this once, with a copy button. */
export function SecretShownOnce({ account, title, onClose }: { account: ServiceAccountWithSecret; title: string; onClose: () => void }) {
  const [copied, setCopied] = useState(false);
  const copySecret = async () => {
    try {
      await navigator.clipboard.writeText(account.clientSecret);
      setCopied(true);
    } catch {
      // No clipboard outside secure contexts (plain http other than localhost).
      toast.error('Copying failed', { description: 'Select the secret and copy it yourself; it is not shown again.' });
    }
  };
  return (
    <>
      <DialogHeader>
        <DialogTitle>{title}</DialogTitle>
        <DialogDescription>Copy the secret now: it is shown this once and stored only as a hash.</DialogDescription>
      </DialogHeader>
      <div className="space-y-3 text-sm">
        <div>
          <Label>Client id</Label>
          <p className="mt-1 rounded-md border bg-muted/50 px-3 py-2 font-mono text-xs break-all">{account.clientId}</p>
        </div>
        <div>
          <Label>Client secret</Label>
          <div className="mt-1 flex gap-2">
            <p className="flex-1 rounded-md border bg-muted/50 px-3 py-2 font-mono text-xs break-all" data-testid="client-secret">
              {account.clientSecret}
            </p>
            <Button variant="outline" size="sm" onClick={() => void copySecret()} aria-label="Copy the secret">
              {copied ? <Check /> : <Copy />}
            </Button>
          </div>
        </div>
      </div>
      <DialogFooter>
        <Button onClick={onClose}>Done</Button>
      </DialogFooter>
    </>
  );
}

/** Gives a service account a new secret: the old one stops working at once. */
export function RotateSecretDialog({ account, onClose }: { account: ServiceAccount; onClose: () => void }) {
  const describe = useDescribeError();
  const [rotated, setRotated] = useState<ServiceAccountWithSecret | null>(null);
  const rotate = useRotateServiceAccountSecret();
  const confirm = () =>
    rotate.mutate(account, {
      onSuccess: (result) => setRotated(result),
      onError: (error) => toast.error(describe(error).title, { description: describe(error).detail }),
    });
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent>
        {rotated ? (
          <SecretShownOnce account={rotated} title={`${rotated.name} has a new secret`} onClose={onClose} />
        ) : (
          <>
            <DialogHeader>
              <DialogTitle>New secret for {account.name}?</DialogTitle>
              <DialogDescription>The current secret stops working at once: the system using it needs the new one to get tokens. Tokens it already holds run until they expire.</DialogDescription>
            </DialogHeader>
            <DialogFooter>
              <Button variant="outline" onClick={onClose}>
                Keep the current one
              </Button>
              <Button onClick={confirm} disabled={rotate.isPending}>
                {rotate.isPending ? <Loader2 className="animate-spin" /> : null}
                Rotate secret
              </Button>
            </DialogFooter>
          </>
        )}
      </DialogContent>
    </Dialog>
  );
}
