import type { EventEnvelope } from '@desk/contracts';
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

const when = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

/**
 * What an account mail says. Links go to the portal (PUBLIC_APP_URL). These mails reach an
 * address whatever its notification preferences: they are about the account itself. They
 * carry nothing anyone else wrote (no incident titles, no names typed by a stranger beyond the
 * person's own), so the desk cannot be used to send someone else's words.
 */
export function composeAccountMail(event: AccountMailEvent, publicAppUrl: string): AccountMail {
  const paragraphs: string[] = [];
  let subject: string;
  let action: { label: string; href: string } | undefined;
  switch (event.type) {
    case 'account.verification_requested':
      subject = 'Finish registering at the service desk';
      paragraphs.push(
        'Someone (we hope you) registered this address at the service desk.',
        `Open the link to verify the address and finish registering. It works once, until ${when(event.data.expiresAt)}.`,
        'If it was not you, ignore this mail: without the link no account is made.',
      );
      action = { label: 'Verify my address', href: link(publicAppUrl, '/verify', event.data.token) };
      break;
    case 'account.registration_attempted':
      subject = 'Someone tried to register your address';
      paragraphs.push(
        'Someone tried to register a new account at the service desk with this address, which already has one. Nothing was changed.',
        'If it was you: sign in instead, or choose a new password with "Forgot password".',
      );
      action = { label: 'Sign in', href: link(publicAppUrl, '/login') };
      break;
    case 'account.password_reset_requested':
      subject = 'Choose a new password';
      paragraphs.push(
        event.data.requestedBy === 'admin'
          ? 'An administrator of the service desk asked for your password to be reset, and signed you out everywhere.'
          : 'Someone (we hope you) asked to reset the password of your service desk account.',
        `Open the link to choose a new password. It works once, until ${when(event.data.expiresAt)}.`,
        event.data.requestedBy === 'admin' ? 'Until then your current password still signs you in.' : 'If it was not you, ignore this mail: your password stays as it is.',
      );
      action = { label: 'Choose a new password', href: link(publicAppUrl, '/reset-password', event.data.token) };
      break;
    case 'account.password_changed':
      subject = 'Your password was changed';
      paragraphs.push(
        `The password of your service desk account was ${event.data.how === 'reset' ? 'reset with a mailed link' : 'changed'} at ${when(event.data.changedAt)}, and every session was signed out.`,
        'If it was not you, reset your password now with "Forgot password" and tell an administrator.',
      );
      action = { label: 'Forgot password', href: link(publicAppUrl, '/forgot-password') };
      break;
    case 'account.second_factor_changed': {
      const at = when(event.data.changedAt);
      const left = event.data.recoveryCodesLeft;
      switch (event.data.change) {
        case 'enabled':
          subject = 'Two-step sign-in is on';
          paragraphs.push(`Two-step sign-in was turned on for your service desk account at ${at}: signing in now needs a code from your authenticator app.`);
          break;
        case 'disabled':
          subject = 'Two-step sign-in is off';
          paragraphs.push(`Two-step sign-in was turned off for your service desk account at ${at}: your password alone signs you in now.`);
          break;
        case 'reset_by_admin':
          subject = 'An administrator removed your two-step sign-in';
          paragraphs.push(
            `An administrator of the service desk removed the second factor of your account at ${at} and signed you out everywhere.`,
            'Sign in with your password and set up two-step sign-in again on the Account page.',
          );
          break;
        case 'recovery_code_used':
          subject = 'A recovery code was used to sign in';
          paragraphs.push(
            `Someone signed in to your service desk account with a recovery code at ${at}. ${left === 0 ? 'You have no recovery codes left: make new ones on the Account page.' : `${left} recovery code${left === 1 ? '' : 's'} left.`}`,
          );
          break;
        case 'recovery_codes_replaced':
          subject = 'New recovery codes were made';
          paragraphs.push(`New recovery codes were made for your service desk account at ${at}; the old ones no longer work.`);
          break;
      }
      paragraphs.push('If it was not you, reset your password now with "Forgot password" and tell an administrator.');
      action = { label: 'Open my account', href: link(publicAppUrl, '/account') };
      break;
    }
  }
  return { subject, ...letter(`Hello ${event.data.fullName},`, paragraphs, action) };
}
