'use client';

import { useTranslations } from 'next-intl';
import type { UserRole } from '@desk/contracts';
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { shortcutList } from './shortcuts';

/** `?`: every keyboard shortcut, in a dialog. */
export function ShortcutsHelp({ role, open, onOpenChange }: { role: UserRole; open: boolean; onOpenChange: (open: boolean) => void }) {
  const tShell = useTranslations('shell');
  const t = useTranslations('shell.shortcuts');
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="sm:max-w-md" data-testid="shortcuts-help">
        <DialogHeader>
          <DialogTitle>{t('keyboardShortcuts')}</DialogTitle>
          <DialogDescription>{t('theyWorkAnywhereOutside')}</DialogDescription>
        </DialogHeader>
        <dl className="divide-y text-sm">
          {shortcutList(role, tShell).map((shortcut) => (
            <div key={shortcut.description} className="flex items-center justify-between gap-4 py-2">
              <dt className="text-muted-foreground">{shortcut.description}</dt>
              <dd className="flex shrink-0 gap-1">
                {shortcut.keys.map((key) => (
                  <kbd key={key} className="min-w-6 rounded border bg-muted px-1.5 py-0.5 text-center font-mono text-xs">
                    {key}
                  </kbd>
                ))}
              </dd>
            </div>
          ))}
        </dl>
      </DialogContent>
    </Dialog>
  );
}
