import type { Metadata } from 'next';
import { Suspense } from 'react';
import { VerifyEmail } from '@/components/account-forms';

export const metadata: Metadata = { title: 'Verify your address' };

export default function Page() {
  return (
    <Suspense>
      <VerifyEmail />
    </Suspense>
  );
}
