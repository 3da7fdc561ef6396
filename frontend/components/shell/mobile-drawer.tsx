'use client';

import { useTranslations } from 'next-intl';
import { Menu, XIcon } from 'lucide-react';
import { Dialog as DialogPrimitive } from 'radix-ui';
import { usePathname } from 'next/navigation';
import { useState, type ReactNode } from 'react';
import type { UserRole } from '@desk/contracts';
import { Button } from '@/components/ui/button';
import { Brand, SidebarNav } from './sidebar';

/** On small screens the sidebar is a drawer, opened from the header's menu button. */
export function MobileDrawer({ role, extra }: { role: UserRole; extra?: ReactNode }) {
  const t = useTranslations('shell.drawer');
  const pathname = usePathname();
  // The drawer belongs to the page it was opened on: following a link closes it.
  const [openOn, setOpenOn] = useState<string | null>(null);
  const open = openOn === pathname;
  return (
    <DialogPrimitive.Root open={open} onOpenChange={(next) => setOpenOn(next ? pathname : null)}>
      <DialogPrimitive.Trigger asChild>
        <Button variant="ghost" size="icon" className="md:hidden" aria-label={t('openMenu')}>
          <Menu />
        </Button>
      </DialogPrimitive.Trigger>
      <DialogPrimitive.Portal>
        <DialogPrimitive.Overlay className="fixed inset-0 z-50 bg-black/40 data-[state=closed]:animate-out data-[state=closed]:fade-out-0 data-[state=open]:animate-in data-[state=open]:fade-in-0" />
        <DialogPrimitive.Content
          className="fixed inset-y-0 left-0 z-50 flex w-72 max-w-[85vw] flex-col border-r bg-background shadow-lg data-[state=closed]:animate-out data-[state=closed]:slide-out-to-left data-[state=open]:animate-in data-[state=open]:slide-in-from-left"
          data-testid="mobile-drawer"
        >
          <DialogPrimitive.Title className="sr-only">{t('menu')}</DialogPrimitive.Title>
          <DialogPrimitive.Description className="sr-only">{t('thePlacesYouCan')}</DialogPrimitive.Description>
          <div className="flex h-14 items-center justify-between border-b px-4">
            <Brand />
            <DialogPrimitive.Close asChild>
              <Button variant="ghost" size="icon" aria-label={t('closeMenu')}>
                <XIcon />
              </Button>
            </DialogPrimitive.Close>
          </div>
          <div className="flex-1 overflow-y-auto p-3">
            <SidebarNav role={role} extra={extra} onNavigate={() => setOpenOn(null)} />
          </div>
        </DialogPrimitive.Content>
      </DialogPrimitive.Portal>
    </DialogPrimitive.Root>
  );
}
