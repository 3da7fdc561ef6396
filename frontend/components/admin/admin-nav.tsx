'use client';

import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { usePathname } from 'next/navigation';
import { cn } from '@/lib/utils';
import { ADMIN_AREAS } from './areas';

/** Links between the areas of Administration; scrolls sideways on a phone instead of widening the page. */
export function AdminNav() {
  const t = useTranslations('admin');
  const pathname = usePathname();
  return (
    <nav aria-label={t('nav.label')} className="-mx-1 mb-4 overflow-x-auto pb-1">
      <ul className="flex w-max gap-1 px-1">
        {ADMIN_AREAS.map(({ slug, key, icon: Icon }) => {
          const href = `/admin/${slug}`;
          const current = pathname === href || pathname.startsWith(`${href}/`);
          return (
            <li key={slug}>
              <Link
                href={href}
                aria-current={current ? 'page' : undefined}
                className={cn(
                  'inline-flex items-center gap-1.5 whitespace-nowrap rounded-md px-3 py-1.5 text-sm font-medium text-muted-foreground hover:bg-muted hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none [&_svg]:size-4',
                  current && 'bg-muted text-foreground',
                )}
              >
                <Icon aria-hidden /> {t(`areas.${key}.label`)}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
