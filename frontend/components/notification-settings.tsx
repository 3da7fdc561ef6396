'use client';

import { useZodResolver } from '@/lib/i18n/form-resolver';
import { Loader2 } from 'lucide-react';
import { Controller, useForm } from 'react-hook-form';
import { toast } from 'sonner';
import { NOTIFIABLE_EVENT_TYPES, putPreferencesBodySchema, type NotifiableEventType, type Preference, type PutPreferencesBody } from '@desk/contracts';
import { QueryStates } from '@/components/states';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { Switch } from '@/components/ui/switch';
import { useSavePreferences } from '@/lib/mutations/account';
import { useNotificationPreferences } from '@/lib/queries';
import { useDescribeError } from '@/lib/i18n/errors';

const EVENT_LABELS: Record<NotifiableEventType, { title: string; detail: string }> = {
  'incident.created': { title: 'New incidents', detail: 'Your receipt when you report one; your department’s new incidents.' },
  'incident.assigned': { title: 'Assignments', detail: 'An incident is assigned to you, or yours gets an assignee.' },
  'incident.status_changed': { title: 'Status changes', detail: 'Work starts, an incident is resolved, closed or re-opened.' },
  'incident.commented': { title: 'Comments', detail: 'Replies, mentions of you and, for the department, internal notes.' },
  'incident.priority_changed': { title: 'Priority changes', detail: 'An incident you work on becomes more or less urgent.' },
  'incident.sla_breached': { title: 'Missed targets', detail: 'An incident you work on or manage passes its SLA target.' },
  'incident.escalated': { title: 'Escalations', detail: 'An incident you work on or manage nears or passes a target, as the escalation rules say.' },
  'incident.attachment_added': { title: 'Files', detail: 'Someone attaches a file to an incident you reported or work on (internal files: to the team only).' },
  'incident.watcher_added': { title: 'Added as a watcher', detail: 'Someone adds you to the watchers of an incident.' },
  'incident.major_declared': { title: 'Major incidents', detail: 'An incident you reported or watch, or one yours belongs to, is declared a major incident.' },
  'incident.major_update_posted': { title: 'Major incident updates', detail: 'The status updates of a major incident that affects you.' },
};

/** Which events reach the signed-in person by email and in the app, in a dialog (from the inbox). */
export function NotificationSettings({ onClose }: { onClose: () => void }) {
  const preferences = useNotificationPreferences();
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent className="sm:max-w-xl">
        <DialogHeader>
          <DialogTitle>Notification settings</DialogTitle>
          <DialogDescription>What you hear about, and where. You are never told of your own changes.</DialogDescription>
        </DialogHeader>
        <QueryStates query={preferences} rows={3}>
          {(items) => <PreferencesForm initial={items} onDone={onClose} onCancel={onClose} />}
        </QueryStates>
      </DialogContent>
    </Dialog>
  );
}

/** The same settings as a section of the profile page. */
export function NotificationPreferencesSection() {
  const preferences = useNotificationPreferences();
  return (
    <QueryStates query={preferences} rows={3}>
      {(items) => <PreferencesForm initial={items} />}
    </QueryStates>
  );
}

function PreferencesForm({ initial, onDone, onCancel }: { initial: Preference[]; onDone?: () => void; onCancel?: () => void }) {
  const describe = useDescribeError();
  const save = useSavePreferences();
  const chosen = new Map(initial.map((preference) => [preference.eventType, preference]));
  const form = useForm<PutPreferencesBody>({
    resolver: useZodResolver(putPreferencesBodySchema),
    // Every event type, in a fixed order: ones never chosen are on for both channels.
    defaultValues: { items: NOTIFIABLE_EVENT_TYPES.map((eventType) => chosen.get(eventType) ?? { eventType, email: true, inApp: true }) },
  });

  const onSubmit = form.handleSubmit((body) =>
    save.mutate(body, {
      onSuccess: (saved) => {
        form.reset({ items: NOTIFIABLE_EVENT_TYPES.map((eventType) => saved.items.find((item) => item.eventType === eventType) ?? { eventType, email: true, inApp: true }) });
        toast.success('Notification settings saved');
        onDone?.();
      },
      onError: (error) => toast.error(describe(error).title, { description: describe(error).detail }),
    }),
  );

  return (
    <form onSubmit={(event) => void onSubmit(event)} className="space-y-4">
      <div className="overflow-hidden rounded-lg border">
        <div className="grid grid-cols-[1fr_4.5rem_4.5rem] items-center gap-2 border-b bg-muted/50 px-4 py-2 text-xs font-medium text-muted-foreground">
          <span>Event</span>
          <span className="text-center">Email</span>
          <span className="text-center">In the app</span>
        </div>
        {NOTIFIABLE_EVENT_TYPES.map((eventType, index) => {
          const { title, detail } = EVENT_LABELS[eventType];
          return (
            <div key={eventType} className="grid grid-cols-[1fr_4.5rem_4.5rem] items-center gap-2 border-b px-4 py-3 last:border-b-0">
              <div className="min-w-0">
                <div className="text-sm font-medium">{title}</div>
                <div className="text-xs text-muted-foreground">{detail}</div>
              </div>
              {(['email', 'inApp'] as const).map((channel) => (
                <div key={channel} className="flex justify-center">
                  <Controller
                    control={form.control}
                    name={`items.${index}.${channel}`}
                    render={({ field }) => <Switch checked={field.value} onCheckedChange={field.onChange} aria-label={`${title} ${channel === 'email' ? 'by email' : 'in the app'}`} />}
                  />
                </div>
              ))}
            </div>
          );
        })}
      </div>
      <div className="flex justify-end gap-2">
        {onCancel ? (
          <Button type="button" variant="outline" onClick={onCancel}>
            Cancel
          </Button>
        ) : null}
        <Button type="submit" disabled={save.isPending || (!onCancel && !form.formState.isDirty)}>
          {save.isPending ? <Loader2 className="animate-spin" /> : null}
          Save
        </Button>
      </div>
    </form>
  );
}
