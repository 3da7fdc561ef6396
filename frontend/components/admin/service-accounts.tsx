'use client';

import { Plus } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { toast } from 'sonner';
import type { ServiceAccount } from '@desk/contracts';
import { QueryStates } from '@/components/states';
import { Button } from '@/components/ui/button';
import { Card, CardContent } from '@/components/ui/card';
import { useRevokeServiceAccount } from '@/lib/mutations/integrations';
import { useServiceAccounts } from '@/lib/queries';
import { useNow } from '@/lib/use-now';
import { CreateServiceAccountDialog } from './create-service-account-dialog';
import { LoadMore } from './load-more';
import { RevokeServiceAccountDialog } from './revoke-service-account-dialog';
import { RotateSecretDialog } from './service-account-secret';
import { ServiceAccountsTable } from './service-accounts-table';
import { useDescribeError } from '@/lib/i18n/errors';

/** Other systems that call the API with client credentials (OAuth2 client_credentials at /auth/token). */
export function ServiceAccountsTab() {
  const t = useTranslations('integrations.serviceAccounts');
  const describe = useDescribeError();
  const now = useNow();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ServiceAccount | null>(null);
  const [rotating, setRotating] = useState<ServiceAccount | null>(null);
  const accounts = useServiceAccounts();
  const revoke = useRevokeServiceAccount();
  const confirmRevoke = (account: ServiceAccount) =>
    revoke.mutate(account, {
      onSuccess: (_result, revoked) => {
        toast.success(t('revoked', { name: revoked.name }));
        setRevoking(null);
      },
      onError: (error) => toast.error(describe(error).title, { description: describe(error).detail }),
    });

  return (
    <Card className="py-0">
      <CardContent className="px-0">
        <div className="flex items-center justify-between gap-4 border-b p-4">
          <p className="text-sm text-muted-foreground">
            {t.rich('intro', { code: (chunks) => <code className="text-xs">{chunks}</code> })}
          </p>
          <Button onClick={() => setCreating(true)}>
            <Plus /> {t('new')}
          </Button>
        </div>
        <QueryStates query={accounts} rows={3}>
          {(data) => {
            const items = data.pages.flatMap((page) => page.items);
            if (items.length === 0) return <p className="p-8 text-center text-sm text-muted-foreground">{t('none')}</p>;
            return (
              <>
                <ServiceAccountsTable accounts={items} now={now} onRotate={setRotating} onRevoke={setRevoking} />
                <LoadMore query={accounts} />
              </>
            );
          }}
        </QueryStates>
      </CardContent>
      {creating ? <CreateServiceAccountDialog onClose={() => setCreating(false)} /> : null}
      {rotating ? <RotateSecretDialog account={rotating} onClose={() => setRotating(null)} /> : null}
      {revoking ? <RevokeServiceAccountDialog account={revoking} pending={revoke.isPending} onConfirm={() => confirmRevoke(revoking)} onClose={() => setRevoking(null)} /> : null}
    </Card>
  );
}
