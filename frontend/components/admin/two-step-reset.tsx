'use client';

import { Loader2 } from 'lucide-react';
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
  const failed = useErrorToast();
  const describe = useDescribeError();
  const status = useUserMfa(person.id);
  const [confirming, setConfirming] = useState(false);
  const reset = useResetTwoStep(person.id, {
    onSuccess: () => {
      setConfirming(false);
      toast.success(`Two-step sign-in reset for ${person.fullName}`, { description: 'Their sessions were ended and they were told by mail; their next sign-in needs only the password, or sets up a new app where their role requires one.' });
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
            Two-step sign-in:{' '}
            {status.isPending ? (
              <Loader2 className="size-3.5 animate-spin text-muted-foreground" aria-label="Loading" />
            ) : status.data ? (
              <span className={enabled ? 'text-emerald-700 dark:text-emerald-300' : 'text-muted-foreground'} data-testid="two-step-admin-state">
                {enabled ? 'on' : 'off'}
              </span>
            ) : (
              <span className="text-destructive">unknown</span>
            )}
          </Label>
          <p className="mt-1 text-xs text-muted-foreground">
            {status.isError && !status.data
              ? describe(status.error).title
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
