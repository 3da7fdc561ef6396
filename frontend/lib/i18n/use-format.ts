'use client';

import { useLocale, useTranslations } from 'next-intl';
import { useMemo } from 'react';
import type { IncidentLevel, IncidentPriority, IncidentStatus, UserRole } from '@desk/contracts';
import { date, dateTime, duration, formatBytes, number, percent, relativeTime } from '@/lib/format';

/** Dates, numbers and durations in the active locale (lib/format.ts, through Intl). */
export function useFormat() {
  const locale = useLocale();
  const t = useTranslations('common');
  return useMemo(
    () => ({
      locale,
      dateTime: (iso: string) => dateTime(iso, locale),
      date: (iso: string) => date(iso, locale),
      relativeTime: (iso: string, now: number) => relativeTime(iso, now, locale, t('justNow')),
      duration: (seconds: number | null | undefined) => duration(seconds, locale),
      percent: (ratio: number | null | undefined) => percent(ratio, locale),
      number: (value: number, options?: Intl.NumberFormatOptions) => number(value, locale, options),
      bytes: (bytes: number) => formatBytes(bytes, locale),
    }),
    [locale, t],
  );
}

export type Format = ReturnType<typeof useFormat>;

/** Status, priority, level and role names from the catalogue (`common`). */
export function useLabels() {
  const t = useTranslations('common');
  return useMemo(
    () => ({
      status: (status: IncidentStatus) => t(`status.${status}`),
      priority: (priority: IncidentPriority) => t(`priority.${priority}`),
      level: (level: IncidentLevel) => t(`level.${level}`),
      role: (role: UserRole) => t(`role.${role}`),
    }),
    [t],
  );
}

export type Labels = ReturnType<typeof useLabels>;
