'use client';

import { Plus } from 'lucide-react';
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
        toast.success(`${revoked.name} revoked: its tokens stop working`);
        setRevoking(null);
      },
      onError: (error) => toast.error(describe(error).title, { description: describe(error).detail }),
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
