'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef } from 'react';
import type { UserRole } from '@desk/contracts';
import type { Words } from '@/lib/i18n/words';
import { accountItem, navFor } from './nav';
import { useTranslations } from 'next-intl';

export interface Shortcut {
  keys: string[];
  description: string;
}

/** `g` then a letter: the places of the sidebar that have one, and the profile. */
export function goShortcuts(role: UserRole, t: Words<'shell'>): { key: string; href: string; label: string }[] {
  const items = [...navFor(role, t).flatMap((section) => section.items), accountItem(t)];
  return items.filter((item) => item.shortcut).map((item) => ({ key: item.shortcut!, href: item.href, label: item.label }));
}

export function shortcutList(role: UserRole, t: Words<'shell'>): Shortcut[] {
  return [
    { keys: [t('shortcuts.ctrl'), 'K'], description: t('shortcuts.palette') },
    { keys: ['/'], description: t('shortcuts.search') },
    { keys: ['c'], description: t('shortcuts.report') },
    { keys: ['j'], description: t('shortcuts.next') },
    { keys: ['k'], description: t('shortcuts.previous') },
    ...goShortcuts(role, t).map((item) => ({ keys: ['g', item.key], description: t('shortcuts.goTo', { place: item.label }) })),
    { keys: ['?'], description: t('shortcuts.show') },
  ];
}

/** Typing into a field, or a menu or dialog has the keyboard: single-key shortcuts stay out of the way. */
function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT') return true;
  return Boolean(target.closest('[role="dialog"], [role="menu"], [role="listbox"], [role="combobox"]'));
}

/** Moves the focus to the next or previous item of the page's list (`data-shortcut-item`). */
export function moveFocus(direction: 1 | -1): void {
  const items = Array.from(document.querySelectorAll<HTMLElement>('main [data-shortcut-item]'));
  if (items.length === 0) return;
  const current = items.findIndex((item) => item === document.activeElement || item.contains(document.activeElement));
  const next = current === -1 ? (direction === 1 ? 0 : items.length - 1) : Math.min(items.length - 1, Math.max(0, current + direction));
  const item = items[next]!;
  // A row holds its link: the link takes the focus, so Enter opens it.
  const target = item.matches('a, button, [tabindex]') ? item : (item.querySelector<HTMLElement>('a, button') ?? item);
  target.focus();
  item.scrollIntoView({ block: 'nearest' });
}

/** The portal's keyboard: palette, search, report, list moves and `g` + letter navigation. */
export function useShortcuts({ role, openPalette, openHelp }: { role: UserRole; openPalette: () => void; openHelp: () => void }): void {
  const t = useTranslations('shell');
  const router = useRouter();
  const pendingG = useRef<number | null>(null);

  useEffect(() => {
    const go = goShortcuts(role, t);
    const onKeyDown = (event: KeyboardEvent) => {
      if ((event.metaKey || event.ctrlKey) && !event.altKey && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        openPalette();
        return;
      }
      if (event.defaultPrevented || event.metaKey || event.ctrlKey || event.altKey || typing(event.target)) return;
      if (pendingG.current !== null) {
        window.clearTimeout(pendingG.current);
        pendingG.current = null;
        const place = go.find((item) => item.key === event.key.toLowerCase());
        if (place) {
          event.preventDefault();
          router.push(place.href);
        }
        return;
      }
      switch (event.key) {
        case 'g':
          pendingG.current = window.setTimeout(() => (pendingG.current = null), 1_500);
          return;
        case '/': {
          event.preventDefault();
          const search = document.querySelector<HTMLElement>('[data-shortcut="search"]');
          if (search) search.focus();
          else openPalette();
          return;
        }
        case 'c':
          event.preventDefault();
          router.push('/incidents/new');
          return;
        case 'j':
        case 'k':
          event.preventDefault();
          moveFocus(event.key === 'j' ? 1 : -1);
          return;
        case '?':
          event.preventDefault();
          openHelp();
          return;
      }
    };
    document.addEventListener('keydown', onKeyDown);
    return () => {
      document.removeEventListener('keydown', onKeyDown);
      if (pendingG.current !== null) window.clearTimeout(pendingG.current);
      pendingG.current = null;
    };
  }, [role, router, openPalette, openHelp, t]);
}
