'use client';

import { Check, Copy, Loader2 } from 'lucide-react';
import { useTranslations } from 'next-intl';
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
  const t = useTranslations('integrations.serviceAccounts.secret');
  const [copied, setCopied] = useState(false);
  const copySecret = async () => {
    try {
      await navigator.clipboard.writeText(account.clientSecret);
      setCopied(true);
    } catch {
      // No clipboard outside secure contexts (plain http other than localhost).
      toast.error(t('copyFailed'), { description: t('copyYourself') });
    }
  };
  return (
    <>
      <DialogHeader>
        <DialogTitle>{title}</DialogTitle>
        <DialogDescription>{t('shownOnce')}</DialogDescription>
      </DialogHeader>
      <div className="space-y-3 text-sm">
        <div>
          <Label>{t('clientId')}</Label>
          <p className="mt-1 rounded-md border bg-muted/50 px-3 py-2 font-mono text-xs break-all">{account.clientId}</p>
        </div>
        <div>
          <Label>{t('clientSecret')}</Label>
          <div className="mt-1 flex gap-2">
            <p className="flex-1 rounded-md border bg-muted/50 px-3 py-2 font-mono text-xs break-all" data-testid="client-secret">
              {account.clientSecret}
            </p>
            <Button variant="outline" size="sm" onClick={() => void copySecret()} aria-label={t('copy')}>
              {copied ? <Check /> : <Copy />}
            </Button>
          </div>
        </div>
      </div>
      <DialogFooter>
        <Button onClick={onClose}>{t('done')}</Button>
      </DialogFooter>
    </>
  );
}

/** Gives a service account a new secret: the old one stops working at once. */
export function RotateSecretDialog({ account, onClose }: { account: ServiceAccount; onClose: () => void }) {
  const t = useTranslations('integrations.serviceAccounts.rotate');
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
          <SecretShownOnce account={rotated} title={t('rotated', { name: rotated.name })} onClose={onClose} />
        ) : (
          <>
            <DialogHeader>
              <DialogTitle>{t('title', { name: account.name })}</DialogTitle>
              <DialogDescription>{t('description')}</DialogDescription>
            </DialogHeader>
            <DialogFooter>
              <Button variant="outline" onClick={onClose}>
                {t('keep')}
              </Button>
              <Button onClick={confirm} disabled={rotate.isPending}>
                {rotate.isPending ? <Loader2 className="animate-spin" /> : null}
                {t('confirm')}
              </Button>
            </DialogFooter>
          </>
        )}
      </DialogContent>
    </Dialog>
  );
}
