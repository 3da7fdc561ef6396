'use client';

import { Loader2 } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { Button } from '@/components/ui/button';

/** "Load more" under a list read a page at a time; nothing once the last page is in. */
export function LoadMore({ query }: { query: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => Promise<unknown> } }) {
  const common = useTranslations('common');
  if (!query.hasNextPage) return null;
  return (
    <div className="border-t p-3 text-center">
      <Button variant="outline" size="sm" onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
        {query.isFetchingNextPage ? <Loader2 className="animate-spin" /> : null}
        {common('actions.loadMore')}
      </Button>
    </div>
  );
}
