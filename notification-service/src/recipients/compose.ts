import { MENTION_PATTERN, type IncidentPriority, type IncidentStatus } from '@desk/contracts';
import escapeHtml from 'escape-html';
import type { Translator } from '../i18n/catalogue.js';
import type { Audience, NotifiableEvent } from './rules.js';

/** A sentence someone typed, ended with a full stop unless it already ends a sentence. */
const sentence = (text: string) => (/[.!?…]["”’)]?$/.test(text.trim()) ? text.trim() : `${text.trim()}.`);

export interface Names {
  /** Who made the change; undefined for the platform itself. */
  actor?: string | undefined;
  assignee?: string | undefined;
  reporter?: string | undefined;
  /** Everyone a comment's mentions name, by id (`<@id>` reads as `@Full Name`). */
  people?: ReadonlyMap<string, string>;
}

/** A comment's text as people read it: each `<@id>` as `@Full Name`. */
export function withMentionNames(text: string, people: ReadonlyMap<string, string> | undefined, unknown = 'someone'): string {
  return text.replace(MENTION_PATTERN, (_token, id: string) => `@${people?.get(id.toLowerCase()) ?? unknown}`);
}

export interface Message {
  /** One line: what happened. */
  headline: string;
  /** More of it; may be empty. */
  detail: string;
}

export interface Mail {
  subject: string;
  text: string;
  html: string;
}

/** In-app detail stays short; the mail carries the whole comment. */
const DETAIL_LIMIT = 2_000;
const clip = (text: string, limit: number) => (text.length > limit ? `${text.slice(0, limit - 1)}…` : text);

const statusLabel = (i18n: Translator, status: IncidentStatus) => i18n.t(`status.${status}`);
const statusInSentence = (i18n: Translator, status: IncidentStatus) => i18n.t(`statusInSentence.${status}`);
const priorityLabel = (i18n: Translator, priority: IncidentPriority) => i18n.t(`priority.${priority}`);

/**
 * What a recipient is told, in the same words in the app and in the mail, in the recipient's
 * language (`i18n`, from their locale): the in-app notification is stored as composed now.
 */
export function compose(event: NotifiableEvent, audience: Audience, names: Names, i18n: Translator): Message {
  const { key, title } = event.data.incident;
  const t = i18n.t;
  const actor = names.actor ?? t('fallback.actor');
  switch (event.type) {
    case 'incident.created': {
      const priority = priorityLabel(i18n, event.data.incident.priority);
      return audience === 'reporter'
        ? { headline: t('created.reporter.headline', { key }), detail: t('created.reporter.detail', { title, priority }) }
        : { headline: t('created.staff.headline', { key, title }), detail: t('created.staff.detail', { reporter: names.reporter ?? t('fallback.someone'), priority }) };
    }
    case 'incident.assigned':
      if (audience === 'assignee') return { headline: t('assigned.assignee.headline', { key }), detail: t('assigned.assignee.detail', { actor, title }) };
      if (audience === 'previousAssignee') {
        return {
          headline: t('assigned.previous.headline', { key }),
          detail: event.data.assigneeId ? t('assigned.previous.reassigned', { actor, assignee: names.assignee ?? t('fallback.someoneElse') }) : t('assigned.previous.unassigned', { actor }),
        };
      }
      return { headline: t('assigned.others.headline', { key, assignee: names.assignee ?? t('fallback.someone') }), detail: t('assigned.others.detail', { assignee: names.assignee ?? t('fallback.they'), title }) };
    case 'incident.status_changed': {
      const { from, to, reason } = event.data;
      const detail = [
        t('statusChanged.detail', { actor, from: statusLabel(i18n, from), to: statusLabel(i18n, to) }),
        reason ? t('statusChanged.reason', { reason: sentence(reason) }) : '',
        audience === 'reporter' && to === 'RESOLVED' ? t('statusChanged.resolvedNext') : '',
      ];
      return { headline: t('statusChanged.headline', { key, status: statusInSentence(i18n, to) }), detail: detail.filter(Boolean).join(' ') };
    }
    case 'incident.commented': {
      const internal = event.data.isInternal;
      const headline = audience === 'mentioned' ? (internal ? 'commented.mentionedInternal' : 'commented.mentioned') : internal ? 'commented.internal' : 'commented.public';
      return { headline: t(headline, { actor, key }), detail: clip(withMentionNames(event.data.content, names.people, t('fallback.mentioned')), DETAIL_LIMIT) };
    }
    case 'incident.watcher_added':
      return { headline: t('watcherAdded.headline', { actor, key }), detail: t('watcherAdded.detail', { title }) };
    case 'incident.major_declared':
      return { headline: t('major.declared', { key, title }), detail: clip(event.data.summary, DETAIL_LIMIT) };
    case 'incident.major_update_posted':
      return { headline: t('major.update', { key }), detail: clip(event.data.update.message, DETAIL_LIMIT) };
    case 'incident.priority_changed': {
      const from = priorityLabel(i18n, event.data.from);
      const to = priorityLabel(i18n, event.data.to);
      return { headline: t('priorityChanged.headline', { key, to }), detail: t('priorityChanged.detail', { actor, from, to }) };
    }
    case 'incident.sla_breached': {
      const { target, dueAt } = event.data;
      return {
        headline: t('slaBreached.headline', { key, target }),
        detail: t('slaBreached.detail', { target, due: i18n.dateTime(dueAt), title, status: statusInSentence(i18n, event.data.incident.status) }),
      };
    }
    case 'incident.attachment_added': {
      const { fileName, isInternal } = event.data.attachment;
      return { headline: t(isInternal ? 'attachment.internal' : 'attachment.public', { actor, key }), detail: clip(fileName, DETAIL_LIMIT) };
    }
    case 'incident.escalated': {
      const { rule, dueAt, raisedPriority, reassignedTo } = event.data;
      const target = rule.target;
      const due = dueAt ? i18n.dateTime(dueAt) : undefined;
      const what =
        rule.thresholdPercent >= 100
          ? due ? t('escalated.missedDue', { target, due }) : t('escalated.missed', { target })
          : due ? t('escalated.thresholdDue', { target, due, percent: i18n.percent(rule.thresholdPercent / 100) }) : t('escalated.threshold', { target, percent: i18n.percent(rule.thresholdPercent / 100) });
      const done = [
        raisedPriority ? t('escalated.priorityRaised', { priority: priorityLabel(i18n, raisedPriority) }) : '',
        reassignedTo ? t('escalated.reassigned', { assignee: names.assignee ?? t('fallback.someoneElse') }) : '',
      ].filter(Boolean);
      return { headline: t('escalated.headline', { key, rule: rule.name }), detail: [what, ...done].join(' ') };
    }
  }
}

const RATINGS = [1, 2, 3, 4, 5] as const;

/**
 * The mail, in the recipient's language: the same subject for every mail about one incident
 * (`[INC-000123] title`, never translated, so a thread stays one thread whoever reads it), so
 * mail clients thread them together with the In-Reply-To/References headers; what happened
 * leads the body.
 */
export function composeMail(
  event: NotifiableEvent,
  audience: Audience,
  message: Message,
  links: { incident: string; preferences: string; rate?: string[] },
  names: Names,
  i18n: Translator,
): Mail {
  const { key, title, status, priority } = event.data.incident;
  const t = i18n.t;
  // A comment goes out whole by mail; the in-app detail is clipped.
  const detail = event.type === 'incident.commented' ? withMentionNames(event.data.content, names.people, t('fallback.mentioned')) : message.detail;
  const why = t(`mail.why.${audience}`);
  const choose = t('mail.choosePreferences');
  const ratingLabels = RATINGS.map((rating) => `${rating} · ${t(`rating.${rating}`)}`);
  const text = [
    message.headline,
    '',
    detail,
    '',
    `${key} — ${title}`,
    `${t('mail.status')}: ${statusLabel(i18n, status)} · ${t('mail.priority')}: ${priorityLabel(i18n, priority)}`,
    `${t('mail.openIt')}: ${links.incident}`,
    ...(links.rate ? ['', `${t('mail.rate.question')} ${t('mail.rate.oneClick')}`, ...links.rate.map((href, index) => `  ${ratingLabels[index]}: ${href}`)] : []),
    '',
    '-- ',
    `${why} ${choose}: ${links.preferences}`,
    '',
  ].join('\n');
  const paragraphs = detail
    .split(/\n{2,}/)
    .map((paragraph) => `<p style="margin:0 0 12px">${escapeHtml(paragraph).replace(/\n/g, '<br>')}</p>`)
    .join('');
  const html = `<!doctype html>
<html lang="${i18n.locale}"><body style="font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;color:#1f2937;line-height:1.5">
<div style="max-width:600px;margin:0 auto;padding:16px">
<h2 style="font-size:18px;margin:0 0 12px">${escapeHtml(message.headline)}</h2>
${paragraphs}
<table style="border-collapse:collapse;margin:16px 0;font-size:14px"><tr><td style="padding:2px 12px 2px 0;color:#6b7280">${escapeHtml(t('mail.incident'))}</td><td><strong>${escapeHtml(key)}</strong> — ${escapeHtml(title)}</td></tr>
<tr><td style="padding:2px 12px 2px 0;color:#6b7280">${escapeHtml(t('mail.status'))}</td><td>${escapeHtml(statusLabel(i18n, status))}</td></tr>
<tr><td style="padding:2px 12px 2px 0;color:#6b7280">${escapeHtml(t('mail.priority'))}</td><td>${escapeHtml(priorityLabel(i18n, priority))}</td></tr></table>
<p><a href="${escapeHtml(links.incident)}" style="display:inline-block;background:#2563eb;color:#fff;padding:8px 16px;border-radius:6px;text-decoration:none">${escapeHtml(t('mail.openKey', { key }))}</a></p>
${
  links.rate
    ? `<p style="margin:20px 0 8px"><strong>${escapeHtml(t('mail.rate.question'))}</strong> ${escapeHtml(t('mail.rate.oneClick'))}</p>
<p>${links.rate.map((href, index) => `<a href="${escapeHtml(href)}" title="${escapeHtml(ratingLabels[index])}" style="display:inline-block;min-width:36px;text-align:center;border:1px solid #d1d5db;color:#1f2937;padding:6px 10px;margin:0 6px 6px 0;border-radius:6px;text-decoration:none">${index + 1}</a>`).join('')}</p>
<p style="font-size:12px;color:#6b7280;margin:0">1 ${escapeHtml(t('rating.1'))} · 5 ${escapeHtml(t('rating.5'))}</p>`
    : ''
}
<p style="font-size:12px;color:#6b7280;margin-top:24px">${escapeHtml(why)} <a href="${escapeHtml(links.preferences)}" style="color:#6b7280">${escapeHtml(choose)}</a>.</p>
</div></body></html>
`;
  return { subject: `[${key}] ${title}`, text, html };
}
