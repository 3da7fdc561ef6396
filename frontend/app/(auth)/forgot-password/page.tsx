import { Suspense } from 'react';
import { ForgotPasswordForm } from '@/components/account-forms';
import { titled } from '@/lib/i18n/metadata';

export const generateMetadata = titled('forgotPassword');

export default function Page() {
  return (
    <Suspense>
      <ForgotPasswordForm />
    </Suspense>
  );
}
