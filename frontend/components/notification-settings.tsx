'use client';

import { useTranslations } from 'next-intl';
import { useZodResolver } from '@/lib/i18n/form-resolver';
import { Loader2 } from 'lucide-react';
import { Controller, useForm } from 'react-hook-form';
import { toast } from 'sonner';
import { NOTIFIABLE_EVENT_TYPES, putPreferencesBodySchema, type Preference, type PutPreferencesBody } from '@desk/contracts';
import { QueryStates } from '@/components/states';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { Switch } from '@/components/ui/switch';
import { useSavePreferences } from '@/lib/mutations/account';
import { useNotificationPreferences } from '@/lib/queries';
import { useDescribeError } from '@/lib/i18n/errors';


/** Which events reach the signed-in person by email and in the app, in a dialog (from the inbox). */
export function NotificationSettings({ onClose }: { onClose: () => void }) {
  const t = useTranslations('account.notificationSettings');
  const preferences = useNotificationPreferences();
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent className="sm:max-w-xl">
        <DialogHeader>
          <DialogTitle>{t('notificationSettings')}</DialogTitle>
          <DialogDescription>{t('whatYouHearAbout')}</DialogDescription>
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
  const t = useTranslations('account.notificationSettings');
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
        toast.success(t('notificationSettingsSaved'));
        onDone?.();
      },
      onError: (error) => toast.error(describe(error).title, { description: describe(error).detail }),
    }),
  );

  return (
    <form onSubmit={(event) => void onSubmit(event)} className="space-y-4">
      <div className="overflow-hidden rounded-lg border">
        <div className="grid grid-cols-[1fr_4.5rem_4.5rem] items-center gap-2 border-b bg-muted/50 px-4 py-2 text-xs font-medium text-muted-foreground">
          <span>{t('eventColumn')}</span>
          <span className="text-center">{t('email')}</span>
          <span className="text-center">{t('inTheApp')}</span>
        </div>
        {NOTIFIABLE_EVENT_TYPES.map((eventType, index) => {
          const title = t(`event.${eventType}.title`);
          const detail = t(`event.${eventType}.detail`);
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
                    render={({ field }) => <Switch checked={field.value} onCheckedChange={field.onChange} aria-label={t('switch', { title, channel })} />}
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
            {t('cancel')}
          </Button>
        ) : null}
        <Button type="submit" disabled={save.isPending || (!onCancel && !form.formState.isDirty)}>
          {save.isPending ? <Loader2 className="animate-spin" /> : null}
          {t('save')}
        </Button>
      </div>
    </form>
  );
}
