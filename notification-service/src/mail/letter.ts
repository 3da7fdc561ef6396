import type { Locale } from '@desk/contracts';
import escapeHtml from 'escape-html';

/** A mail's text and HTML. */
export interface Letter {
  text: string;
  html: string;
}

/**
 * A short personal mail — a greeting, paragraphs and one button — as plain text and as HTML
 * (every value escaped): the account mails and the note that a webhook endpoint was disabled,
 * written in `locale` (which the HTML declares).
 */
export function letter(greeting: string, paragraphs: readonly string[], action: { label: string; href: string }, locale: Locale): Letter {
  const text = [greeting, '', ...paragraphs.flatMap((paragraph) => [paragraph, '']), `${action.label}: ${action.href}`, ''].join('\n');
  const html = `<!doctype html>
<html lang="${locale}"><body style="font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;color:#1f2937;line-height:1.5">
<div style="max-width:600px;margin:0 auto;padding:16px">
<p style="margin:0 0 12px">${escapeHtml(greeting)}</p>
${paragraphs.map((paragraph) => `<p style="margin:0 0 12px">${escapeHtml(paragraph)}</p>`).join('\n')}
<p><a href="${escapeHtml(action.href)}" style="display:inline-block;background:#2563eb;color:#fff;padding:8px 16px;border-radius:6px;text-decoration:none">${escapeHtml(action.label)}</a></p>
</div></body></html>
`;
  return { text, html };
}
