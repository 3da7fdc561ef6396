'use client';

import { RefreshCw, Trash2 } from 'lucide-react';
import { useTranslations } from 'next-intl';
import type { ServiceAccount } from '@desk/contracts';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { useFormat } from '@/lib/i18n/use-format';

/** The service accounts: name and client id, scopes, last use, whether active, and a new secret or revoking for the active ones. */
export function ServiceAccountsTable({
  accounts,
  now,
  onRotate,
  onRevoke,
}: {
  accounts: ServiceAccount[];
  now: number;
  onRotate: (account: ServiceAccount) => void;
  onRevoke: (account: ServiceAccount) => void;
}) {
  const t = useTranslations('integrations.serviceAccounts.table');
  const format = useFormat();
  return (
    <Table>
      <TableHeader>
        <TableRow>
          <TableHead className="pl-4">{t('name')}</TableHead>
          <TableHead>{t('scopes')}</TableHead>
          <TableHead>{t('lastUsed')}</TableHead>
          <TableHead>{t('status')}</TableHead>
          <TableHead className="pr-4 text-right">
            <span className="sr-only">{t('revoke')}</span>
          </TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {accounts.map((account) => (
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
            <TableCell className="text-muted-foreground" title={account.lastUsedAt ? format.dateTime(account.lastUsedAt) : undefined}>
              {account.lastUsedAt ? format.relativeTime(account.lastUsedAt, now) : t('never')}
            </TableCell>
            <TableCell>
              {account.isActive ? (
                <Badge variant="outline" className="border-emerald-200 bg-emerald-50 text-emerald-700 dark:border-emerald-800 dark:bg-emerald-950/60 dark:text-emerald-300">
                  {t('active')}
                </Badge>
              ) : (
                <Badge variant="outline" className="text-muted-foreground">
                  {t('revokedBadge')}
                </Badge>
              )}
            </TableCell>
            <TableCell className="pr-4 text-right">
              {account.isActive ? (
                <div className="flex justify-end gap-1">
                  <Button variant="ghost" size="sm" onClick={() => onRotate(account)} aria-label={t('newSecretFor', { name: account.name })}>
                    <RefreshCw /> {t('newSecret')}
                  </Button>
                  <Button variant="ghost" size="sm" className="text-destructive" onClick={() => onRevoke(account)}>
                    <Trash2 /> {t('revoke')}
                  </Button>
                </div>
              ) : null}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
