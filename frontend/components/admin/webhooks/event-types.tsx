'use client';

import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '@desk/contracts';
import { Checkbox } from '@/components/ui/checkbox';

/** What each event type means, in the words of the people choosing them. */
export const WEBHOOK_EVENT_LABELS: Record<WebhookEventType, string> = {
  'incident.created': 'An incident is reported',
  'incident.updated': 'Its title, description, category or impact changes',
  'incident.status_changed': 'Its status changes',
  'incident.assigned': 'It is assigned',
  'incident.priority_changed': 'Its priority changes',
  'incident.commented': 'A comment or internal note is added',
  'incident.sla_breached': 'An SLA target is missed',
  'incident.sla_recalculated': 'Its due times are recalculated',
  'incident.waiting_changed': 'It starts or stops waiting on the reporter',
  'incident.escalated': 'An escalation rule acts on it',
  'incident.attachment_added': 'A file is attached',
  'incident.attachment_removed': 'A file is removed',
  'incident.watcher_added': 'Someone starts watching it',
  'incident.watcher_removed': 'Someone stops watching it',
  'incident.linked': 'It is linked to another incident',
  'incident.unlinked': 'A link is removed',
  'incident.major_declared': 'It is declared a major incident',
  'incident.major_update_posted': 'A major incident update is posted',
  'incident.review_written': 'Its post-incident review is written',
  'incident.satisfaction_rated': 'Its reporter rates it',
  'department.created': 'A department is created',
  'department.updated': 'A department changes',
  'category.created': 'A category is created',
  'category.updated': 'A category changes',
  'user.registered': 'A person joins',
  'user.updated': 'A person\'s account changes',
  'user.deactivated': 'A person is deactivated',
};

const GROUPS: { label: string; types: WebhookEventType[] }[] = [
  { label: 'Incidents', types: WEBHOOK_EVENT_TYPES.filter((type) => type.startsWith('incident.')) },
  { label: 'Organisation', types: WEBHOOK_EVENT_TYPES.filter((type) => type.startsWith('department.') || type.startsWith('category.')) },
  { label: 'People', types: WEBHOOK_EVENT_TYPES.filter((type) => type.startsWith('user.')) },
];

/** Checkboxes for the event types an endpoint receives, in groups, each with a "select all" of its own. */
export function EventTypeChooser({ value, onChange }: { value: WebhookEventType[]; onChange: (value: WebhookEventType[]) => void }) {
  const toggle = (types: WebhookEventType[], on: boolean) => onChange(on ? [...new Set([...value, ...types])] : value.filter((type) => !types.includes(type)));
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      {GROUPS.map((group) => {
        const chosen = group.types.filter((type) => value.includes(type)).length;
        return (
          <fieldset key={group.label} className="space-y-1.5">
            <legend className="mb-1 flex items-center gap-2 text-sm font-medium">
              <Checkbox
                aria-label={`Every ${group.label.toLowerCase()} event`}
                checked={chosen === group.types.length ? true : chosen > 0 ? 'indeterminate' : false}
                onCheckedChange={(checked) => toggle(group.types, checked === true)}
              />
              {group.label}
            </legend>
            {group.types.map((type) => (
              <label key={type} className="flex items-start gap-2 text-sm">
                <Checkbox className="mt-0.5" checked={value.includes(type)} onCheckedChange={(checked) => toggle([type], checked === true)} />
                <span>
                  {WEBHOOK_EVENT_LABELS[type]} <span className="block font-mono text-xs text-muted-foreground">{type}</span>
                </span>
              </label>
            ))}
          </fieldset>
        );
      })}
    </div>
  );
}
