import { MENTION_PATTERN, type IncidentPriority, type IncidentStatus } from '@desk/contracts';
import escapeHtml from 'escape-html';
import type { Audience, NotifiableEvent } from './rules.js';

const STATUS_LABELS: Record<IncidentStatus, string> = {
  OPEN: 'Open',
  IN_PROGRESS: 'In progress',
  RESOLVED: 'Resolved',
  CLOSED: 'Closed',
  CANCELLED: 'Cancelled',
};

const PRIORITY_LABELS: Record<IncidentPriority, string> = {
  LOW: 'Low',
  MEDIUM: 'Medium',
  HIGH: 'High',
  CRITICAL: 'Critical',
};

/** A sentence someone typed, ended with a full stop unless it already ends a sentence. */
const sentence = (text: string) => (/[.!?…]["”’)]?$/.test(text.trim()) ? text.trim() : `${text.trim()}.`);

const RELATIONS: Record<Audience, string> = {
  reporter: 'you reported this incident',
  assignee: 'this incident is assigned to you',
  previousAssignee: 'this incident was assigned to you',
  departmentPeople: "you work in the incident's department",
  departmentManagers: "you manage the incident's department",
  watchers: 'you watch this incident',
  mentioned: 'you were mentioned on this incident',
  addedWatcher: 'you were added as a watcher of this incident',
  affected: 'this major incident affects an incident you reported or watch',
};

export interface Names {
  /** Who made the change; undefined for the platform itself. */
  actor?: string | undefined;
  assignee?: string | undefined;
  reporter?: string | undefined;
  /** Everyone a comment's mentions name, by id (`<@id>` reads as `@Full Name`). */
  people?: ReadonlyMap<string, string>;
}

/** A comment's text as people read it: each `<@id>` as `@Full Name`. */
export function withMentionNames(text: string, people: ReadonlyMap<string, string> | undefined): string {
  return text.replace(MENTION_PATTERN, (_token, id: string) => `@${people?.get(id.toLowerCase()) ?? 'someone'}`);
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

const when = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;
/** In-app detail stays short; the mail carries the whole comment. */
const DETAIL_LIMIT = 2_000;
const clip = (text: string, limit: number) => (text.length > limit ? `${text.slice(0, limit - 1)}…` : text);

/** What a recipient is told, in the same words in the app and in the mail. */
export function compose(event: NotifiableEvent, audience: Audience, names: Names): Message {
  const { key, title } = event.data.incident;
  const actor = names.actor ?? 'The service desk';
  switch (event.type) {
    case 'incident.created':
      return audience === 'reporter'
        ? { headline: `We received ${key}`, detail: `“${title}” was filed with priority ${PRIORITY_LABELS[event.data.incident.priority]}. You will hear from us when someone picks it up.` }
        : { headline: `New incident ${key}: ${title}`, detail: `Reported by ${names.reporter ?? 'someone'}, priority ${PRIORITY_LABELS[event.data.incident.priority]}.` };
    case 'incident.assigned':
      if (audience === 'assignee') return { headline: `${key} was assigned to you`, detail: `${actor} assigned you “${title}”.` };
      if (audience === 'previousAssignee') return { headline: `${key} is no longer assigned to you`, detail: `${actor} ${event.data.assigneeId ? `reassigned it to ${names.assignee ?? 'someone else'}` : 'unassigned it'}.` };
      return { headline: `${key} was assigned to ${names.assignee ?? 'someone'}`, detail: `${names.assignee ?? 'They'} will work on “${title}”.` };
    case 'incident.status_changed': {
      const { from, to, reason } = event.data;
      const next =
        audience === 'reporter' && to === 'RESOLVED'
          ? ' If the problem is solved, close the incident; if not, re-open it.'
          : '';
      return {
        headline: `${key} is now ${STATUS_LABELS[to].toLowerCase()}`,
        detail: `${actor} changed the status from ${STATUS_LABELS[from]} to ${STATUS_LABELS[to]}.${reason ? ` Reason: ${sentence(reason)}` : ''}${next}`,
      };
    }
    case 'incident.commented':
      return {
        headline:
          audience === 'mentioned'
            ? `${actor} mentioned you ${event.data.isInternal ? 'in an internal note ' : ''}on ${key}`
            : event.data.isInternal
              ? `${actor} added an internal note on ${key}`
              : `${actor} commented on ${key}`,
        detail: clip(withMentionNames(event.data.content, names.people), DETAIL_LIMIT),
      };
    case 'incident.watcher_added':
      return { headline: `${actor} added you as a watcher of ${key}`, detail: `You will hear of “${title}” as your notification settings say; stop watching it on its page.` };
    case 'incident.major_declared':
      return { headline: `Major incident ${key}: ${title}`, detail: clip(event.data.summary, DETAIL_LIMIT) };
    case 'incident.major_update_posted':
      return { headline: `Update on major incident ${key}`, detail: clip(event.data.update.message, DETAIL_LIMIT) };
    case 'incident.priority_changed':
      return {
        headline: `${key} priority changed to ${PRIORITY_LABELS[event.data.to]}`,
        detail: `${actor} changed the priority from ${PRIORITY_LABELS[event.data.from]} to ${PRIORITY_LABELS[event.data.to]}.`,
      };
    case 'incident.sla_breached':
      return {
        headline: `${key} missed its ${event.data.target} target`,
        detail: `The ${event.data.target} was due ${when(event.data.dueAt)}; “${title}” is ${STATUS_LABELS[event.data.incident.status].toLowerCase()}.`,
      };
    case 'incident.attachment_added': {
      const { fileName, isInternal } = event.data.attachment;
      return { headline: `${actor} attached ${isInternal ? 'an internal file' : 'a file'} to ${key}`, detail: clip(fileName, DETAIL_LIMIT) };
    }
    case 'incident.escalated': {
      const { rule, dueAt, raisedPriority, reassignedTo } = event.data;
      const atBreach = rule.thresholdPercent >= 100;
      const what = atBreach
        ? `The ${rule.target} target was missed${dueAt ? ` (due ${when(dueAt)})` : ''}.`
        : `${rule.thresholdPercent} % of the ${rule.target} time has passed${dueAt ? `; it is due ${when(dueAt)}` : ''}.`;
      const done = [
        raisedPriority ? `The priority was raised to ${PRIORITY_LABELS[raisedPriority]}.` : '',
        reassignedTo ? `It was reassigned to ${names.assignee ?? 'someone else'}.` : '',
      ].filter(Boolean);
      return { headline: `${key} escalated: ${rule.name}`, detail: [what, ...done].join(' ') };
    }
  }
}

/**
 * The mail: the same subject for every mail about one incident (`[INC-000123] title`), so mail
 * clients thread them together with the In-Reply-To/References headers; what happened leads
 * the body.
 */
/** Ratings 1 to 5 as the mail's one-click links name them. */
const RATING_LABELS = ['1 · very dissatisfied', '2 · dissatisfied', '3 · neutral', '4 · satisfied', '5 · very satisfied'];

export function composeMail(event: NotifiableEvent, audience: Audience, message: Message, links: { incident: string; preferences: string; rate?: string[] }, names: Names = {}): Mail {
  const { key, title, status, priority } = event.data.incident;
  // A comment goes out whole by mail; the in-app detail is clipped.
  const detail = event.type === 'incident.commented' ? withMentionNames(event.data.content, names.people) : message.detail;
  const why = `You get this mail because ${RELATIONS[audience]}. Choose which mails you get: ${links.preferences}`;
  const text = [
    message.headline,
    '',
    detail,
    '',
    `${key} — ${title}`,
    `Status: ${STATUS_LABELS[status]} · Priority: ${PRIORITY_LABELS[priority]}`,
    `Open it: ${links.incident}`,
    ...(links.rate ? ['', 'How did we do? Rate it with one click:', ...links.rate.map((href, index) => `  ${RATING_LABELS[index]}: ${href}`)] : []),
    '',
    '-- ',
    why,
    '',
  ].join('\n');
  const paragraphs = detail
    .split(/\n{2,}/)
    .map((paragraph) => `<p style="margin:0 0 12px">${escapeHtml(paragraph).replace(/\n/g, '<br>')}</p>`)
    .join('');
  const html = `<!doctype html>
<html><body style="font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;color:#1f2937;line-height:1.5">
<div style="max-width:600px;margin:0 auto;padding:16px">
<h2 style="font-size:18px;margin:0 0 12px">${escapeHtml(message.headline)}</h2>
${paragraphs}
<table style="border-collapse:collapse;margin:16px 0;font-size:14px"><tr><td style="padding:2px 12px 2px 0;color:#6b7280">Incident</td><td><strong>${escapeHtml(key)}</strong> — ${escapeHtml(title)}</td></tr>
<tr><td style="padding:2px 12px 2px 0;color:#6b7280">Status</td><td>${STATUS_LABELS[status]}</td></tr>
<tr><td style="padding:2px 12px 2px 0;color:#6b7280">Priority</td><td>${PRIORITY_LABELS[priority]}</td></tr></table>
<p><a href="${escapeHtml(links.incident)}" style="display:inline-block;background:#2563eb;color:#fff;padding:8px 16px;border-radius:6px;text-decoration:none">Open ${escapeHtml(key)}</a></p>
${
  links.rate
    ? `<p style="margin:20px 0 8px"><strong>How did we do?</strong> Rate it with one click:</p>
<p>${links.rate.map((href, index) => `<a href="${escapeHtml(href)}" title="${escapeHtml(RATING_LABELS[index])}" style="display:inline-block;min-width:36px;text-align:center;border:1px solid #d1d5db;color:#1f2937;padding:6px 10px;margin:0 6px 6px 0;border-radius:6px;text-decoration:none">${index + 1}</a>`).join('')}</p>
<p style="font-size:12px;color:#6b7280;margin:0">1 very dissatisfied · 5 very satisfied</p>`
    : ''
}
<p style="font-size:12px;color:#6b7280;margin-top:24px">You get this mail because ${escapeHtml(RELATIONS[audience])}. <a href="${escapeHtml(links.preferences)}" style="color:#6b7280">Choose which mails you get</a>.</p>
</div></body></html>
`;
  return { subject: `[${key}] ${title}`, text, html };
}
