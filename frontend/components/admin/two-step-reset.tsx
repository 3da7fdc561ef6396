'use client';

import { Loader2 } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { toast } from 'sonner';
import { type User } from '@desk/contracts';
import { Button } from '@/components/ui/button';
import { Label } from '@/components/ui/label';
import { useResetTwoStep } from '@/lib/mutations/admin';
import { useUserMfa } from '@/lib/queries';
import { useDescribeError, useErrorToast } from '@/lib/i18n/errors';

/** Someone's two-step sign-in, and removing it (a lost phone) after a confirmation. */
export function TwoStepReset({ person, isSelf }: { person: User; isSelf: boolean }) {
  const t = useTranslations('admin.twoStep');
  const common = useTranslations('common');
  const failed = useErrorToast();
  const describe = useDescribeError();
  const status = useUserMfa(person.id);
  const [confirming, setConfirming] = useState(false);
  const reset = useResetTwoStep(person.id, {
    onSuccess: () => {
      setConfirming(false);
      toast.success(t('resetDone', { name: person.fullName }), { description: t('resetDoneDetail') });
    },
    onError: (caught) => {
      setConfirming(false);
      failed(caught);
    },
  });
  const enabled = status.data?.enabled;
  return (
    <div className="rounded-lg border p-3" data-testid="two-step-admin">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
        <div>
          <Label>
            {t('label')}{' '}
            {status.isPending ? (
              <Loader2 className="size-3.5 animate-spin text-muted-foreground" aria-label={common('loading')} />
            ) : status.data ? (
              <span className={enabled ? 'text-emerald-700 dark:text-emerald-300' : 'text-muted-foreground'} data-testid="two-step-admin-state">
                {enabled ? t('on') : t('off')}
              </span>
            ) : (
              <span className="text-destructive">{t('unknown')}</span>
            )}
          </Label>
          <p className="mt-1 text-xs text-muted-foreground">
            {status.isError && !status.data
              ? describe(status.error).title
              : enabled
                ? t('codesLeft', { count: status.data?.recoveryCodesLeft ?? 0 })
                : status.data?.required
                  ? t('required')
                  : t('passwordOnly')}
          </p>
        </div>
        {enabled && !confirming ? (
          <Button variant="outline" onClick={() => setConfirming(true)} disabled={isSelf} title={isSelf ? t('ownOnAccountPage') : undefined}>
            {t('reset')}
          </Button>
        ) : null}
      </div>
      {enabled && confirming ? (
        <div className="mt-3 space-y-3 rounded-md bg-destructive/10 p-3 text-sm" role="alertdialog" aria-labelledby="two-step-reset-question">
          <p id="two-step-reset-question" className="font-medium">
            {t('question', { name: person.fullName })}
          </p>
          <p className="text-muted-foreground">{t('explanation')}</p>
          <div className="flex flex-wrap justify-end gap-2">
            <Button variant="ghost" size="sm" onClick={() => setConfirming(false)}>
              {t('keep')}
            </Button>
            <Button variant="destructive" size="sm" onClick={() => reset.mutate()} disabled={reset.isPending}>
              {reset.isPending ? <Loader2 className="animate-spin" /> : null}
              {t('confirm')}
            </Button>
          </div>
        </div>
      ) : null}
    </div>
  );
}
