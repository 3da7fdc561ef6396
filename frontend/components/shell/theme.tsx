'use client';

import { useTranslations } from 'next-intl';
import { Monitor, Moon, Sun } from 'lucide-react';
import { ThemeProvider as NextThemesProvider, useTheme } from 'next-themes';
import type { ReactNode } from 'react';
import { SegmentedControl } from '@/components/ui/segmented-control';

export const THEMES = [
  { value: 'system', label: 'System', icon: Monitor },
  { value: 'light', label: 'Light', icon: Sun },
  { value: 'dark', label: 'Dark', icon: Moon },
] as const;

export type ThemeChoice = (typeof THEMES)[number]['value'];

/** Light, dark, or whatever the device prefers; remembered in this browser. */
export function ThemeProvider({ nonce, children }: { nonce?: string | undefined; children: ReactNode }) {
  return (
    <NextThemesProvider attribute="class" defaultTheme="system" enableSystem disableTransitionOnChange storageKey="desk.theme" {...(nonce ? { nonce } : {})}>
      {children}
    </NextThemesProvider>
  );
}

/** Three buttons, one chosen: the theme in use. */
export function ThemePicker({ className }: { className?: string }) {
  const t = useTranslations('shell.theme');
  const { theme, setTheme } = useTheme();
  return (
    <SegmentedControl
      label={t('theme')}
      className={className}
      value={(theme ?? 'system') as ThemeChoice}
      onChange={setTheme}
      options={THEMES.map((option) => ({ value: option.value, label: t(option.value), icon: <option.icon aria-hidden /> }))}
    />
  );
}
