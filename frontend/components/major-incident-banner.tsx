'use client';

import { useTranslations } from 'next-intl';
import { Siren } from 'lucide-react';
import Link from 'next/link';
import { useMajorNotices } from '@/lib/queries';
import { useNow } from '@/lib/use-now';
import { useFormat } from '@/lib/i18n/use-format';

/**
 * Ongoing major incidents that affect the signed-in person, above every page: what is broken and
 * the latest word on it, with a way to the incident (theirs, when they reported a child of it and
 * may not open the major incident itself).
 */
export function MajorIncidentBanner() {
  const t = useTranslations('shell.majorBanner');
  const format = useFormat();
  const notices = useMajorNotices();
  const now = useNow();
  if (!notices.data || notices.data.length === 0) return null;
  return (
    <div role="region" aria-label={t('majorIncidents')} className="border-b border-red-200 bg-red-50 text-red-950 dark:border-red-900 dark:bg-red-950/60 dark:text-red-100">
      <ul className="mx-auto w-full max-w-7xl divide-y divide-red-200 px-4 sm:px-6 dark:divide-red-900" data-testid="major-banner">
        {notices.data.map((notice) => {
          const target = notice.canOpen ? notice.key : notice.childKey;
          return (
            <li key={notice.incidentId} className="flex flex-col gap-1 py-2.5 text-sm sm:flex-row sm:items-start sm:gap-3">
              <span className="inline-flex shrink-0 items-center gap-1.5 font-semibold">
                <Siren className="size-4" aria-hidden />{' '}{t('majorIncident')}
              </span>
              <div className="min-w-0 flex-1 [overflow-wrap:anywhere]">
                <span className="font-medium">{notice.title}</span> — {notice.summary}
                {notice.latestUpdate ? (
                  <div className="mt-0.5 text-red-900/80 dark:text-red-100/80">
                    {t('latest', { when: format.relativeTime(notice.latestUpdate.createdAt, now), message: notice.latestUpdate.message })}
                  </div>
                ) : null}
              </div>
              {target ? (
                <Link href={`/incidents/${target}`} className="shrink-0 font-medium underline underline-offset-2 hover:no-underline">
                  {notice.canOpen ? t('open', { key: notice.key }) : t('yourIncident', { target })}
                </Link>
              ) : null}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
