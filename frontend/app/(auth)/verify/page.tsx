import { Suspense } from 'react';
import { VerifyEmail } from '@/components/account-forms';
import { titled } from '@/lib/i18n/metadata';

export const generateMetadata = titled('verify');

export default function Page() {
  return (
    <Suspense>
      <VerifyEmail />
    </Suspense>
  );
}
