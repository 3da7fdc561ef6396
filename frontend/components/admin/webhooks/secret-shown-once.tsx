'use client';

import { Check, Copy } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { toast } from 'sonner';
import { Button } from '@/components/ui/button';
import { DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { Label } from '@/components/ui/label';

/** A webhook endpoint's signing secret, shown this once, with a copy button and how receivers use it. */
export function WebhookSecretShownOnce({ secret, title, note, onClose }: { secret: string; title: string; note?: string; onClose: () => void }) {
  const t = useTranslations('integrations.webhooks.secret');
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied(true);
    } catch {
      toast.error(t('copyFailed'), { description: t('copyYourself') });
    }
  };
  return (
    <>
      <DialogHeader>
        <DialogTitle>{title}</DialogTitle>
        <DialogDescription>
          {t.rich('shownOnce', { code: (chunks) => <code className="text-xs">{chunks}</code> })}
        </DialogDescription>
      </DialogHeader>
      <div className="space-y-2 text-sm">
        <Label htmlFor="webhook-secret">{t('label')}</Label>
        <div className="flex gap-2">
          <p id="webhook-secret" className="flex-1 rounded-md border bg-muted/50 px-3 py-2 font-mono text-xs break-all" data-testid="webhook-secret">
            {secret}
          </p>
          <Button variant="outline" size="sm" onClick={() => void copy()} aria-label={t('copy')}>
            {copied ? <Check /> : <Copy />}
          </Button>
        </div>
        {note ? <p className="text-muted-foreground">{note}</p> : null}
      </div>
      <DialogFooter>
        <Button onClick={onClose}>{t('done')}</Button>
      </DialogFooter>
    </>
  );
}
