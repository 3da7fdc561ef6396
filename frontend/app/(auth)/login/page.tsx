import { Suspense } from 'react';
import { LoginForm } from '@/components/auth-forms';
import { titled } from '@/lib/i18n/metadata';

export const generateMetadata = titled('signIn');

export default function LoginPage() {
  return (
    <Suspense>
      <LoginForm />
    </Suspense>
  );
}
