import { Suspense } from 'react';
import { RateByLink } from '@/components/satisfaction/rate-by-link';
import { titled } from '@/lib/i18n/metadata';

export const generateMetadata = titled('rate');

export default function Page() {
  return (
    <Suspense>
      <RateByLink />
    </Suspense>
  );
}
