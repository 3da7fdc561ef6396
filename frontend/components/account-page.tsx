'use client';

import { useTranslations } from 'next-intl';
import type { ReactNode } from 'react';
import { ChangePasswordForm } from '@/components/account-forms';
import { TwoStepSignInSection } from '@/components/account-two-step';
import { NotificationPreferencesSection } from '@/components/notification-settings';
import { AppearanceSettings } from '@/components/profile/appearance';
import { ProfileForm } from '@/components/profile/profile-form';
import { PageHeader } from '@/components/states';
import { useUser } from '@/lib/session';

function Section({ id, title, description, children }: { id: string; title: string; description: string; children: ReactNode }) {
  return (
    <section aria-labelledby={`${id}-heading`} className="rounded-lg border bg-card p-4 sm:p-6" id={id}>
      <h2 id={`${id}-heading`} className="mb-1 text-lg font-semibold">
        {title}
      </h2>
      <p className="mb-4 text-sm text-muted-foreground">{description}</p>
      {children}
    </section>
  );
}

/** `/account`: the signed-in person's profile — name, appearance, password, two-step sign-in, notifications. */
export function AccountPage() {
  const t = useTranslations('account.page');
  const user = useUser();
  return (
    <div className="space-y-6">
      <PageHeader title={t('yourProfile')} description={t('text', { fullName: user.fullName, email: user.email })} />
      <Section id="profile" title={t('profile')} description={t('whoYouAreTo')}>
        <ProfileForm user={user} />
      </Section>
      <Section id="appearance" title={t('appearanceAndLanguage')} description={t('howThePortalLooks')}>
        <AppearanceSettings />
      </Section>
      <Section id="password" title={t('password')} description={t('changingItSignsYou')}>
        <ChangePasswordForm email={user.email} />
      </Section>
      <TwoStepSignInSection email={user.email} />
      <Section id="notifications" title={t('notifications')} description={t('whatYouHearAbout')}>
        <NotificationPreferencesSection />
      </Section>
    </div>
  );
}
