'use client';

import { useTranslations } from 'next-intl';
import { Command } from 'cmdk';
import { FileText, Keyboard, LogOut, Monitor, Moon, Search, Sun } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useTheme } from 'next-themes';
import { useState, type ReactNode } from 'react';
import type { UserRole } from '@desk/contracts';
import { StatusBadge } from '@/components/badges';
import { Dialog, DialogContent, DialogDescription, DialogTitle } from '@/components/ui/dialog';
import { useIncidentSearch } from '@/lib/queries';
import { useSessionStore } from '@/lib/session';
import { useDebounced } from '@/lib/use-debounced';
import { accountItem, navFor } from './nav';

const KEY_PATTERN = /^(inc-?)?\d{1,9}$/i;

/** ⌘K / Ctrl-K: go anywhere, find an incident by key or words, switch the theme, sign out. */
export function CommandPalette({ role, open, onOpenChange, onShowShortcuts }: { role: UserRole; open: boolean; onOpenChange: (open: boolean) => void; onShowShortcuts: () => void }) {
  const tShell = useTranslations('shell');
  const t = useTranslations('shell.palette');
  const router = useRouter();
  const store = useSessionStore();
  const { setTheme } = useTheme();
  const [search, setSearch] = useState('');
  const query = useDebounced(search.trim(), 200);
  const matches = (label: string) => label.toLowerCase().includes(search.trim().toLowerCase());

  const incidents = useIncidentSearch(query, open && query.length >= 2);

  const close = () => {
    onOpenChange(false);
    setSearch('');
  };
  const run = (action: () => void) => () => {
    close();
    action();
  };

  const places = [...navFor(role, tShell).flatMap((section) => section.items), accountItem(tShell)].filter((item) => matches(item.label));
  const keyMatch = KEY_PATTERN.test(search.trim()) ? `INC-${search.trim().replace(/^inc-?/i, '').padStart(6, '0')}` : null;
  const actions: { label: string; icon: ReactNode; run: () => void }[] = [
    { label: t('themeLight'), icon: <Sun />, run: () => setTheme('light') },
    { label: t('themeDark'), icon: <Moon />, run: () => setTheme('dark') },
    { label: t('themeSystem'), icon: <Monitor />, run: () => setTheme('system') },
    { label: t('keyboardShortcuts'), icon: <Keyboard />, run: onShowShortcuts },
    { label: t('signOut'), icon: <LogOut />, run: () => void store.signOut().finally(() => router.replace('/login')) },
  ].filter((action) => matches(action.label));

  return (
    <Dialog open={open} onOpenChange={(next) => (next ? onOpenChange(true) : close())}>
      <DialogContent className="overflow-hidden p-0 sm:max-w-xl" showCloseButton={false} data-testid="command-palette">
        <DialogTitle className="sr-only">{t('commandPalette')}</DialogTitle>
        <DialogDescription className="sr-only">{t('typeToFindA')}</DialogDescription>
        <Command shouldFilter={false} label={t('commandPalette')} className="flex flex-col">
          <div className="flex items-center gap-2 border-b px-3">
            <Search className="size-4 shrink-0 text-muted-foreground" aria-hidden />
            <Command.Input
              value={search}
              onValueChange={setSearch}
              placeholder={t('goToFindAn')}
              className="h-12 w-full bg-transparent text-sm outline-none placeholder:text-muted-foreground"
            />
          </div>
          <Command.List className="max-h-[min(60vh,420px)] overflow-y-auto p-2">
            <Command.Empty className="px-3 py-6 text-center text-sm text-muted-foreground">
              {incidents.isFetching ? t('searching') : t('nothingMatchesTryOther')}
            </Command.Empty>
            {keyMatch ? (
              <PaletteGroup heading={t('groupIncident')}>
                <PaletteItem value={`key-${keyMatch}`} onSelect={run(() => router.push(`/incidents/${keyMatch}`))} icon={<FileText />}>{t('open', { keyMatch })}</PaletteItem>
              </PaletteGroup>
            ) : null}
            {(incidents.data?.items.length ?? 0) > 0 ? (
              <PaletteGroup heading={t('groupIncidents')}>
                {incidents.data!.items.map((incident) => (
                  <PaletteItem key={incident.id} value={incident.id} onSelect={run(() => router.push(`/incidents/${incident.key}`))} icon={<FileText />}>
                    <span className="shrink-0 font-mono text-xs text-muted-foreground">{incident.key}</span>
                    <span className="min-w-0 flex-1 truncate">{incident.title}</span>
                    <StatusBadge status={incident.status} />
                  </PaletteItem>
                ))}
              </PaletteGroup>
            ) : null}
            {places.length > 0 ? (
              <PaletteGroup heading={t('groupGoTo')}>
                {places.map((item) => (
                  <PaletteItem key={item.href} value={`go-${item.href}`} onSelect={run(() => router.push(item.href))} icon={<item.icon />}>
                    {item.label}
                  </PaletteItem>
                ))}
              </PaletteGroup>
            ) : null}
            {actions.length > 0 ? (
              <PaletteGroup heading={t('groupActions')}>
                {actions.map((action) => (
                  <PaletteItem key={action.label} value={`do-${action.label}`} onSelect={run(action.run)} icon={action.icon}>
                    {action.label}
                  </PaletteItem>
                ))}
              </PaletteGroup>
            ) : null}
          </Command.List>
        </Command>
      </DialogContent>
    </Dialog>
  );
}

function PaletteGroup({ heading, children }: { heading: string; children: ReactNode }) {
  return (
    <Command.Group heading={heading} className="mb-1 [&_[cmdk-group-heading]]:px-2 [&_[cmdk-group-heading]]:py-1.5 [&_[cmdk-group-heading]]:text-xs [&_[cmdk-group-heading]]:font-medium [&_[cmdk-group-heading]]:text-muted-foreground">
      {children}
    </Command.Group>
  );
}

function PaletteItem({ value, onSelect, icon, children }: { value: string; onSelect: () => void; icon: ReactNode; children: ReactNode }) {
  return (
    <Command.Item
      value={value}
      onSelect={onSelect}
      className="flex cursor-pointer items-center gap-2 rounded-md px-2 py-2 text-sm data-[selected=true]:bg-accent data-[selected=true]:text-accent-foreground [&_svg]:size-4 [&_svg]:shrink-0 [&_svg]:text-muted-foreground"
    >
      {icon}
      {children}
    </Command.Item>
  );
}
