import { Suspense } from 'react';
import { ResetPasswordForm } from '@/components/account-forms';
import { titled } from '@/lib/i18n/metadata';

export const generateMetadata = titled('resetPassword');

export default function Page() {
  return (
    <Suspense>
      <ResetPasswordForm />
    </Suspense>
  );
}
