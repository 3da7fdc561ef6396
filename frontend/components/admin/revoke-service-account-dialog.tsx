'use client';

import { Loader2 } from 'lucide-react';
import type { ServiceAccount } from '@desk/contracts';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';

/** Asks before revoking a service account, which cannot be undone. */
export function RevokeServiceAccountDialog({ account, pending, onConfirm, onClose }: { account: ServiceAccount; pending: boolean; onConfirm: () => void; onClose: () => void }) {
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Revoke {account.name}?</DialogTitle>
          <DialogDescription>The system using it can no longer get tokens, and the tokens it holds stop working. This cannot be undone; create a new account to connect it again.</DialogDescription>
        </DialogHeader>
        <DialogFooter>
          <Button variant="outline" onClick={onClose}>
            Keep it
          </Button>
          <Button variant="destructive" onClick={onConfirm} disabled={pending}>
            {pending ? <Loader2 className="animate-spin" /> : null}
            Revoke
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
