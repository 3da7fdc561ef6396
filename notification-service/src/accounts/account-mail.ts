import type { EventEnvelope } from '@desk/contracts';
import type { Translator } from '../i18n/catalogue.js';
import { letter } from '../mail/letter.js';

/** The account events notification-service mails about, each to the one address it names. */
export const ACCOUNT_MAIL_EVENT_TYPES = [
  'account.verification_requested',
  'account.registration_attempted',
  'account.password_reset_requested',
  'account.password_changed',
  'account.second_factor_changed',
] as const;
export type AccountMailEventType = (typeof ACCOUNT_MAIL_EVENT_TYPES)[number];
export type AccountMailEvent = { [T in AccountMailEventType]: EventEnvelope<T> }[AccountMailEventType];

export interface AccountMail {
  subject: string;
  text: string;
  html: string;
}

const link = (publicAppUrl: string, path: string, token?: string) => {
  const url = new URL(path, publicAppUrl);
  if (token) url.searchParams.set('token', token);
  return url.toString();
};

/**
 * What an account mail says, in the reader's language (`i18n`). Links go to the portal
 * (PUBLIC_APP_URL). These mails reach an address whatever its notification preferences: they
 * are about the account itself. They carry nothing anyone else wrote (no incident titles, no
 * names typed by a stranger beyond the person's own), so the desk cannot be used to send
 * someone else's words.
 */
export function composeAccountMail(event: AccountMailEvent, publicAppUrl: string, i18n: Translator): AccountMail {
  const t = i18n.t;
  // How long a link lasts, from when it was asked for (the event's time) to when it expires.
  const lifetime = (expiresAt: string) => i18n.duration(Date.parse(expiresAt) - Date.parse(event.time));
  const paragraphs: string[] = [];
  let subject: string;
  let action: { label: string; href: string } | undefined;
  switch (event.type) {
    case 'account.verification_requested':
      subject = t('account.verification.subject');
      paragraphs.push(
        t('account.verification.who'),
        t('account.verification.link', { duration: lifetime(event.data.expiresAt), expires: i18n.dateTime(event.data.expiresAt) }),
        t('account.verification.notYou'),
      );
      action = { label: t('account.verification.action'), href: link(publicAppUrl, '/verify', event.data.token) };
      break;
    case 'account.registration_attempted':
      subject = t('account.registrationAttempted.subject');
      paragraphs.push(t('account.registrationAttempted.what'), t('account.registrationAttempted.ifYou'));
      action = { label: t('account.registrationAttempted.action'), href: link(publicAppUrl, '/login') };
      break;
    case 'account.password_reset_requested': {
      const byAdmin = event.data.requestedBy === 'admin';
      subject = t('account.reset.subject');
      paragraphs.push(
        t(byAdmin ? 'account.reset.byAdmin' : 'account.reset.bySelf'),
        t('account.reset.link', { duration: lifetime(event.data.expiresAt), expires: i18n.dateTime(event.data.expiresAt) }),
        t(byAdmin ? 'account.reset.untilThenByAdmin' : 'account.reset.notYou'),
      );
      action = { label: t('account.reset.action'), href: link(publicAppUrl, '/reset-password', event.data.token) };
      break;
    }
    case 'account.password_changed':
      subject = t('account.passwordChanged.subject');
      paragraphs.push(t('account.passwordChanged.what', { how: event.data.how, at: i18n.dateTime(event.data.changedAt) }), t('account.notYouReset'));
      action = { label: t('account.passwordChanged.action'), href: link(publicAppUrl, '/forgot-password') };
      break;
    case 'account.second_factor_changed': {
      const at = i18n.dateTime(event.data.changedAt);
      switch (event.data.change) {
        case 'enabled':
          subject = t('account.secondFactor.enabled.subject');
          paragraphs.push(t('account.secondFactor.enabled.what', { at }));
          break;
        case 'disabled':
          subject = t('account.secondFactor.disabled.subject');
          paragraphs.push(t('account.secondFactor.disabled.what', { at }));
          break;
        case 'reset_by_admin':
          subject = t('account.secondFactor.resetByAdmin.subject');
          paragraphs.push(t('account.secondFactor.resetByAdmin.what', { at }), t('account.secondFactor.resetByAdmin.next'));
          break;
        case 'recovery_code_used':
          subject = t('account.secondFactor.recoveryCodeUsed.subject');
          paragraphs.push(t('account.secondFactor.recoveryCodeUsed.what', { at, left: event.data.recoveryCodesLeft }));
          break;
        case 'recovery_codes_replaced':
          subject = t('account.secondFactor.recoveryCodesReplaced.subject');
          paragraphs.push(t('account.secondFactor.recoveryCodesReplaced.what', { at }));
          break;
      }
      paragraphs.push(t('account.notYouReset'));
      action = { label: t('account.secondFactor.action'), href: link(publicAppUrl, '/account') };
      break;
    }
  }
  return { subject, ...letter(t('letter.greeting', { name: event.data.fullName }), paragraphs, action, i18n.locale) };
}
