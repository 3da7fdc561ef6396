'use client';

import { ChangePasswordForm } from '@/components/account-forms';
import { TwoStepSignInSection } from '@/components/account-two-step';
import { PageHeader } from '@/components/states';
import { useUser } from '@/lib/session';

/** `/account`: the signed-in person's own account. Sections stack; security settings live beside it under `/account/...`. */
export function AccountPage() {
  const user = useUser();
  return (
    <div className="space-y-8">
      <PageHeader title="Your account" description={`${user.fullName} · ${user.email}`} />
      <section aria-labelledby="password-heading" className="rounded-lg border p-4 sm:p-6">
        <h2 id="password-heading" className="mb-1 text-lg font-semibold">
          Password
        </h2>
        <p className="mb-4 text-sm text-muted-foreground">Changing it signs you out everywhere else and sends you a mail about the change.</p>
        <ChangePasswordForm email={user.email} />
      </section>
      <TwoStepSignInSection email={user.email} />
    </div>
  );
}
