'use client';

import { useTranslations } from 'next-intl';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '@desk/contracts';
import { Checkbox } from '@/components/ui/checkbox';

const GROUPS = [
  { key: 'incidents', types: WEBHOOK_EVENT_TYPES.filter((type) => type.startsWith('incident.')) },
  { key: 'organisation', types: WEBHOOK_EVENT_TYPES.filter((type) => type.startsWith('department.') || type.startsWith('category.')) },
  { key: 'people', types: WEBHOOK_EVENT_TYPES.filter((type) => type.startsWith('user.')) },
] as const;

/** What each event type means, in the words of the people choosing them. */
export function useWebhookEventLabel() {
  const t = useTranslations('integrations.webhooks.eventType');
  return (type: WebhookEventType) => t(type);
}

/** Checkboxes for the event types an endpoint receives, in groups, each with a "select all" of its own. */
export function EventTypeChooser({ value, onChange }: { value: WebhookEventType[]; onChange: (value: WebhookEventType[]) => void }) {
  const t = useTranslations('integrations.webhooks.groups');
  const label = useWebhookEventLabel();
  const toggle = (types: WebhookEventType[], on: boolean) => onChange(on ? [...new Set([...value, ...types])] : value.filter((type) => !types.includes(type)));
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      {GROUPS.map((group) => {
        const chosen = group.types.filter((type) => value.includes(type)).length;
        return (
          <fieldset key={group.key} className="space-y-1.5">
            <legend className="mb-1 flex items-center gap-2 text-sm font-medium">
              <Checkbox
                aria-label={t(`${group.key}.every`)}
                checked={chosen === group.types.length ? true : chosen > 0 ? 'indeterminate' : false}
                onCheckedChange={(checked) => toggle(group.types, checked === true)}
              />
              {t(`${group.key}.label`)}
            </legend>
            {group.types.map((type) => (
              <label key={type} className="flex items-start gap-2 text-sm">
                <Checkbox className="mt-0.5" checked={value.includes(type)} onCheckedChange={(checked) => toggle([type], checked === true)} />
                <span>
                  {label(type)} <span className="block font-mono text-xs text-muted-foreground">{type}</span>
                </span>
              </label>
            ))}
          </fieldset>
        );
      })}
    </div>
  );
}
