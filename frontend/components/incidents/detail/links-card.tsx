'use client';

import { useTranslations } from 'next-intl';
import { Link2, Loader2, Siren, X } from 'lucide-react';
import Link from 'next/link';
import { useId, useState } from 'react';
import { toast } from 'sonner';
import { INCIDENT_LINK_TYPES, type Incident, type IncidentLink, type IncidentLinkType, type IncidentLinkView } from '@desk/contracts';
import { StatusBadge } from '@/components/badges';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import { mapFieldErrors } from '@/lib/form-errors';
import { mayLink, type Viewer } from '@/lib/lifecycle';
import { useCreateLink, useDeleteLink } from '@/lib/mutations/collaboration';
import { useIncidentLinks } from '@/lib/queries';
import { useDescribeError, useErrorToast } from '@/lib/i18n/errors';

/** Each group of links, as the other incident stands to this one, in the order they are shown. */
const GROUPS: IncidentLinkView[] = ['child_of', 'parent_of', 'duplicate_of', 'duplicated_by', 'related'];

/** Incidents that belong with this one: parent and children, duplicates, related ones. */
export function LinksCard({ incident, viewer }: { incident: Incident; viewer: Viewer }) {
  const t = useTranslations('incidents.linksCard');
  const showError = useErrorToast();
  const links = useIncidentLinks(incident.id);
  const unlink = useDeleteLink(incident);
  const may = mayLink(viewer, incident);
  const items = links.data ?? [];
  if (!may && items.length === 0) return null;

  return (
    <Card className="gap-2" data-testid="links-card">
      <CardHeader>
        <CardTitle>{t('relatedIncidents')}</CardTitle>
      </CardHeader>
      <CardContent className="space-y-4">
        {items.length === 0 && !links.isPending ? <p className="text-sm text-muted-foreground">{t('notLinkedToAny')}</p> : null}
        {GROUPS.map((view) => {
          const label = t(`group.${view}`);
          const group = items.filter((link) => link.type === view);
          if (group.length === 0) return null;
          return (
            <div key={view}>
              <h3 className="mb-1 text-xs font-medium tracking-wide text-muted-foreground uppercase">{label}</h3>
              <ul className="space-y-1.5">
                {group.map((link) => (
                  <LinkRow key={link.id} link={link} onRemove={may ? () => unlink.mutate(link, { onSuccess: () => toast.success(t('linkToRemoved', { key: link.incident.key })), onError: showError }) : undefined} />
                ))}
              </ul>
            </div>
          );
        })}
        {may ? <LinkForm incident={incident} /> : null}
      </CardContent>
    </Card>
  );
}

function LinkRow({ link, onRemove }: { link: IncidentLink; onRemove?: (() => void) | undefined }) {
  const t = useTranslations('incidents.linksCard');
  return (
    <li className="flex min-w-0 items-start gap-2 text-sm">
      <div className="min-w-0 flex-1">
        <Link href={`/incidents/${link.incident.key}`} className="font-medium text-primary hover:underline">
          {link.incident.key}
        </Link>{' '}
        {link.incident.isMajor ? <Siren className="inline size-3.5 text-red-600" aria-label={t('majorIncident')} /> : null}
        <span className="[overflow-wrap:anywhere]"> {link.incident.title}</span>
        <div className="mt-0.5">
          <StatusBadge status={link.incident.status} />
        </div>
      </div>
      {onRemove ? (
        <button type="button" className="rounded p-1 text-muted-foreground hover:bg-muted hover:text-foreground" aria-label={t('removeTheLinkTo', { key: link.incident.key })} onClick={onRemove}>
          <X className="size-4" />
        </button>
      ) : null}
    </li>
  );
}

function LinkForm({ incident }: { incident: Incident }) {
  const t = useTranslations('incidents.linksCard');
  const describe = useDescribeError();
  const id = useId();
  const [type, setType] = useState<IncidentLinkType>('related');
  const [target, setTarget] = useState('');
  const [error, setError] = useState<string | null>(null);
  const create = useCreateLink(incident);

  const submit = () => {
    setError(null);
    const targetId = target.trim().toUpperCase().startsWith('INC') ? target.trim().toUpperCase() : target.trim();
    if (!targetId) return setError(t('enterKey'));
    create.mutate(
      { type, targetId },
      {
        onSuccess: (link) => {
          setTarget('');
          toast.success(type === 'duplicate_of' ? t('isClosedAsA', { key: incident.key, key2: link.incident.key }) : t('linkedTo', { key: link.incident.key }));
        },
        onError: (failure) => {
          const { byField } = mapFieldErrors(failure, ['targetId', 'type'] as const);
          setError(byField.targetId ?? byField.type ?? describe(failure).detail);
        },
      },
    );
  };

  return (
    <form
      className="grid gap-2 border-t pt-3"
      aria-label={t('linkAnotherIncident')}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <Label htmlFor={`${id}-type`}>{t('thisIncidentIs')}</Label>
      <Select value={type} onValueChange={(value) => setType(value as IncidentLinkType)}>
        <SelectTrigger id={`${id}-type`} className="w-full">
          <SelectValue />
        </SelectTrigger>
        <SelectContent>
          {INCIDENT_LINK_TYPES.map((each) => (
            <SelectItem key={each} value={each}>
              {t(`type.${each}`)}
            </SelectItem>
          ))}
        </SelectContent>
      </Select>
      <Label htmlFor={`${id}-target`} className="sr-only">
        {t('otherIncident')}
      </Label>
      <div className="flex gap-2">
        <Input id={`${id}-target`} value={target} placeholder={t('inc000042')} autoComplete="off" aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} onChange={(event) => setTarget(event.target.value)} />
        <Button type="submit" variant="outline" disabled={create.isPending}>
          {create.isPending ? <Loader2 className="animate-spin" /> : <Link2 />}{' '}{t('link')}
        </Button>
      </div>
      {error ? (
        <p id={`${id}-error`} role="alert" className="text-sm text-destructive">
          {error}
        </p>
      ) : null}
    </form>
  );
}
