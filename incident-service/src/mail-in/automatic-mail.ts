/** Why a mail is not one a person wrote, so the desk must not answer or file it (RFC 3834, RFC 3464). */
export type AutomaticMail = 'bounce' | 'auto-submitted' | 'auto-reply' | 'bulk' | 'own-mail';

/** A mail's header lines as mailparser keeps them (`{ key: 'auto-submitted', line: 'Auto-Submitted: auto-replied' }`). */
export type HeaderLines = readonly { key: string; line: string }[];

/** The unfolded value of the first header of this (lower-case) name, or ''. */
function header(lines: HeaderLines, name: string): string {
  const found = lines.find((entry) => entry.key === name);
  return found ? found.line.slice(found.line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim() : '';
}

/** Subjects of out-of-office and other automatic replies that carry none of the headers for it. */
const AUTO_REPLY_SUBJECT = /^\s*(auto(matic)?(\s+|-)?(reply|response|antwort)|out of (the )?office|abwesenheitsnotiz|automatische antwort|autoreply|auto:|delivery status notification|undeliver(able|ed)|returned mail|mail delivery (failed|failure|system)|unzustellbar|nicht zustellbar)/i;
const BOUNCE_SENDER = /^(mailer-daemon|postmaster|mail-daemon|mailerdaemon)@/i;

/**
 * Whether a mail was sent by a machine rather than a person: a bounce (an empty envelope sender,
 * a delivery report, MAILER-DAEMON), a message marked `Auto-Submitted` (RFC 3834), an
 * out-of-office reply (its headers or its subject), bulk or list mail (`Precedence`), or one of
 * the desk's own mails come back. The desk files none of them and answers none: that is what
 * keeps two automatic systems from mailing each other for ever.
 */
export function automaticMail(input: { envelopeFrom: string; from: string; headerLines: HeaderLines; subject: string; ownAddresses: ReadonlySet<string> }): AutomaticMail | null {
  const lines = input.headerLines;
  const contentType = header(lines, 'content-type').toLowerCase();
  const report = /^multipart\/report\b/.test(contentType) && /report-type\s*=\s*"?(delivery-status|disposition-notification)/.test(contentType);
  if (input.envelopeFrom === '' || BOUNCE_SENDER.test(input.from) || report) return 'bounce';
  if (input.ownAddresses.has(input.from)) return 'own-mail';
  const autoSubmitted = header(lines, 'auto-submitted').toLowerCase();
  if (autoSubmitted !== '' && autoSubmitted !== 'no') return 'auto-submitted';
  if (['x-autoreply', 'x-autorespond', 'x-autoresponse'].some((name) => lines.some((entry) => entry.key === name)) || AUTO_REPLY_SUBJECT.test(input.subject)) {
    return 'auto-reply';
  }
  const precedence = header(lines, 'precedence').toLowerCase();
  if (['bulk', 'junk', 'list', 'auto_reply'].includes(precedence)) return 'bulk';
  return null;
}
