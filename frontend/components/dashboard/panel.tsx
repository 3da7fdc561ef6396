import Link from 'next/link';
import type { ReactNode } from 'react';
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { cn } from '@/lib/utils';
import { useTranslations } from 'next-intl';

/** A dashboard card with an optional "see all" link to the list behind it. */
export function Panel({ title, description, href, hrefLabel, children, className }: { title: string; description?: ReactNode; href?: string; hrefLabel?: string; children: ReactNode; className?: string }) {
  const t = useTranslations('dashboard.panel');
  return (
    <Card className={cn('min-w-0 gap-3', className)}>
      <CardHeader>
        <CardTitle>
          <h2>{title}</h2>
        </CardTitle>
        {description ? <CardDescription>{description}</CardDescription> : null}
        {href ? (
          <CardAction>
            <Link prefetch={false} href={href} className="text-sm font-medium text-primary hover:underline">
              {hrefLabel ?? t('seeAll')}
            </Link>
          </CardAction>
        ) : null}
      </CardHeader>
      <CardContent className="min-w-0">{children}</CardContent>
    </Card>
  );
}
