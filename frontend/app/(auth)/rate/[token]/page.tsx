import type { Metadata } from 'next';
import { Suspense } from 'react';
import { RateByLink } from '@/components/satisfaction/rate-by-link';

export const metadata: Metadata = { title: 'Rate your incident' };

export default function Page() {
  return (
    <Suspense>
      <RateByLink />
    </Suspense>
  );
}
