'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Loader2 } from 'lucide-react';
import { useState } from 'react';
import { toast } from 'sonner';
import { NOTIFIABLE_EVENT_TYPES, type NotifiableEventType, type Preference } from '@desk/contracts';
import { QueryStates } from '@/components/states';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { Switch } from '@/components/ui/switch';
import { describeError } from '@/lib/api-client';
import { keys } from '@/lib/queries';
import { useApi } from '@/lib/session';

const EVENT_LABELS: Record<NotifiableEventType, { title: string; detail: string }> = {
  'incident.created': { title: 'New incidents', detail: 'Your receipt when you report one; your department’s new incidents.' },
  'incident.assigned': { title: 'Assignments', detail: 'An incident is assigned to you, or yours gets an assignee.' },
  'incident.status_changed': { title: 'Status changes', detail: 'Work starts, an incident is resolved, closed or re-opened.' },
  'incident.commented': { title: 'Comments', detail: 'Replies and, for the department, internal notes.' },
  'incident.priority_changed': { title: 'Priority changes', detail: 'An incident you work on becomes more or less urgent.' },
  'incident.sla_breached': { title: 'Missed targets', detail: 'An incident you work on or manage passes its SLA target.' },
};

/** Which events reach the signed-in person by email and in the app (GET/PUT /notifications/preferences). */
export function NotificationSettings({ onClose }: { onClose: () => void }) {
  const api = useApi();
  const preferences = useQuery({
    queryKey: keys.preferences,
    queryFn: ({ signal }) => api.json<{ items: Preference[] }>('/notifications/preferences', { signal }),
    select: (data) => data.items,
  });
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent className="sm:max-w-xl">
        <DialogHeader>
          <DialogTitle>Notification settings</DialogTitle>
          <DialogDescription>What you hear about, and where. You are never told of your own changes.</DialogDescription>
        </DialogHeader>
        <QueryStates query={preferences} rows={3}>
          {(items) => <PreferencesForm initial={items} onDone={onClose} />}
        </QueryStates>
      </DialogContent>
    </Dialog>
  );
}

function PreferencesForm({ initial, onDone }: { initial: Preference[]; onDone: () => void }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [chosen, setChosen] = useState(() => new Map(initial.map((preference) => [preference.eventType, preference])));
  const preferenceOf = (eventType: NotifiableEventType): Preference => chosen.get(eventType) ?? { eventType, email: true, inApp: true };
  const toggle = (eventType: NotifiableEventType, channel: 'email' | 'inApp', on: boolean) =>
    setChosen((current) => new Map(current).set(eventType, { ...preferenceOf(eventType), [channel]: on }));

  const save = useMutation({
    mutationFn: () => api.json<{ items: Preference[] }>('/notifications/preferences', { method: 'PUT', body: { items: NOTIFIABLE_EVENT_TYPES.map(preferenceOf) } }),
    onSuccess: (saved) => {
      queryClient.setQueryData(keys.preferences, saved);
      toast.success('Notification settings saved');
      onDone();
    },
    onError: (error) => toast.error(describeError(error).title, { description: describeError(error).detail }),
  });

  return (
    <>
      <div className="overflow-hidden rounded-lg border">
        <div className="grid grid-cols-[1fr_4.5rem_4.5rem] items-center gap-2 border-b bg-muted/50 px-4 py-2 text-xs font-medium text-muted-foreground">
          <span>Event</span>
          <span className="text-center">Email</span>
          <span className="text-center">In the app</span>
        </div>
        {NOTIFIABLE_EVENT_TYPES.map((eventType) => {
          const preference = preferenceOf(eventType);
          const { title, detail } = EVENT_LABELS[eventType];
          return (
            <div key={eventType} className="grid grid-cols-[1fr_4.5rem_4.5rem] items-center gap-2 border-b px-4 py-3 last:border-b-0">
              <div>
                <div className="text-sm font-medium">{title}</div>
                <div className="text-xs text-muted-foreground">{detail}</div>
              </div>
              <div className="flex justify-center">
                <Switch checked={preference.email} onCheckedChange={(on) => toggle(eventType, 'email', on)} aria-label={`${title} by email`} />
              </div>
              <div className="flex justify-center">
                <Switch checked={preference.inApp} onCheckedChange={(on) => toggle(eventType, 'inApp', on)} aria-label={`${title} in the app`} />
              </div>
            </div>
          );
        })}
      </div>
      <DialogFooter>
        <Button variant="outline" onClick={onDone}>
          Cancel
        </Button>
        <Button onClick={() => save.mutate()} disabled={save.isPending}>
          {save.isPending ? <Loader2 className="animate-spin" /> : null}
          Save
        </Button>
      </DialogFooter>
    </>
  );
}
