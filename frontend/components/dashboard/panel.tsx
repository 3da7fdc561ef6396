import Link from 'next/link';
import type { ReactNode } from 'react';
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { cn } from '@/lib/utils';

/** A dashboard card with an optional "see all" link to the list behind it. */
export function Panel({ title, description, href, hrefLabel = 'See all', children, className }: { title: string; description?: ReactNode; href?: string; hrefLabel?: string; children: ReactNode; className?: string }) {
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
              {hrefLabel}
            </Link>
          </CardAction>
        ) : null}
      </CardHeader>
      <CardContent className="min-w-0">{children}</CardContent>
    </Card>
  );
}
