'use client';

import {
  AlertTriangle,
  ArrowLeft,
  CheckCircle2,
  Clock,
  Lock,
  Loader2,
  MessageSquare,
  Pencil,
  PlayCircle,
  RotateCcw,
  Send,
  UserPlus,
  XCircle,
} from 'lucide-react';
import Link from 'next/link';
import { useState, type ReactNode } from 'react';
import { toast } from 'sonner';
import { incidentDescriptionSchema, incidentTitleSchema, INCIDENT_PRIORITIES, pointerSegments, type Comment, type Incident, type IncidentPriority, type IncidentStatus, type TimelineEntry } from '@desk/contracts';
import { PriorityBadge, SlaBadge, StatusBadge } from '@/components/badges';
import { EmptyState, ErrorState, StaleNotice } from '@/components/states';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import { Skeleton } from '@/components/ui/skeleton';
import { Switch } from '@/components/ui/switch';
import { Tabs, TabsContent, TabsList, TabsTrigger } from '@/components/ui/tabs';
import { Textarea } from '@/components/ui/textarea';
import { ApiError, describeError } from '@/lib/api-client';
import { conflictMessage, useAddComment, useIncidentMutations } from '@/lib/mutations/incidents';
import { PRIORITY_LABELS, STATUS_LABELS, dateTime, initials, relativeTime } from '@/lib/format';
import { sentence } from '@/lib/form-errors';
import { allowedTransitions, mayAssign, mayChangePriority, mayEditFields, mayWriteInternalNotes, type TransitionAction, type Viewer } from '@/lib/lifecycle';
import { useCategories, useComments, useDepartments, useIncident, usePeopleDirectory, useTimeline, useUsers } from '@/lib/queries';
import { useUser } from '@/lib/session';
import { DUE_SOON_MS, slaBadge } from '@/lib/sla';
import { useNow } from '@/lib/use-now';
import { cn } from '@/lib/utils';

function useIncidentWrites(incident: Incident) {
  const writes = useIncidentMutations(incident, {
    onError: (error) => {
      const { title, detail } = conflictMessage(error);
      toast.error(title, { description: detail });
    },
  });
  return writes;
}

export function IncidentDetail({ incidentKey }: { incidentKey: string }) {
  const user = useUser();
  const incident = useIncident(incidentKey);
  const now = useNow();

  if (incident.isPending) return <DetailSkeleton />;
  if (incident.isError) {
    const notFound = incident.error instanceof ApiError && incident.error.status === 404;
    return (
      <div className="mx-auto max-w-2xl">
        <BackLink />
        {notFound ? (
          <EmptyState icon={XCircle} title={`${incidentKey} was not found`} action={<Button asChild variant="outline"><Link href="/incidents">Back to the incidents</Link></Button>}>
            It does not exist, or it belongs to a department you cannot see. Check the key, or ask the person who sent you the link.
          </EmptyState>
        ) : (
          <ErrorState error={incident.error} onRetry={() => void incident.refetch()} />
        )}
      </div>
    );
  }
  return <IncidentView incident={incident.data} viewer={{ id: user.id, role: user.role, departmentId: user.departmentId }} now={now} />;
}

function BackLink() {
  return (
    <Link href="/incidents" className="mb-4 inline-flex items-center gap-1.5 text-sm text-muted-foreground hover:text-foreground">
      <ArrowLeft className="size-4" /> Incidents
    </Link>
  );
}

function IncidentView({ incident, viewer, now }: { incident: Incident; viewer: Viewer; now: number }) {
  const { patch } = useIncidentWrites(incident);
  const [transition, setTransition] = useState<TransitionAction | null>(null);
  const [editing, setEditing] = useState(false);
  const actions = allowedTransitions(viewer, incident);
  const people = usePeopleDirectory(incident.id);

  return (
    <div>
      <BackLink />
      <div className="mb-6 flex flex-col gap-4 lg:flex-row lg:items-start lg:justify-between">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-2">
            <span className="font-mono text-sm text-muted-foreground">{incident.key}</span>
            <StatusBadge status={incident.status} />
            <PriorityBadge priority={incident.priority} />
            <SlaBadge sla={slaBadge(incident, now)} now={now} />
          </div>
          <h1 className="mt-2 text-2xl font-semibold tracking-tight break-words" data-testid="incident-title">
            {incident.title}
          </h1>
          <p className="mt-1 text-sm text-muted-foreground">
            Reported {relativeTime(incident.createdAt, now)} by {personLabel(incident.reporterId, incident, viewer, people)} · updated {relativeTime(incident.updatedAt, now)}
          </p>
        </div>
        {actions.length > 0 ? (
          <div className="flex flex-wrap gap-2 lg:justify-end" aria-label="Status changes">
            {actions.map((action) => (
              <Button
                key={action.to}
                variant={action.tone === 'primary' ? 'default' : action.tone === 'danger' ? 'outline' : 'secondary'}
                className={cn(action.tone === 'danger' && 'text-destructive hover:text-destructive')}
                onClick={() => setTransition(action)}
                disabled={patch.isPending}
              >
                <TransitionIcon to={action.to} from={incident.status} />
                {action.label}
              </Button>
            ))}
          </div>
        ) : null}
      </div>

      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_340px]">
        <div className="min-w-0 space-y-6">
          <Card>
            <CardHeader className="flex flex-row items-center justify-between">
              <CardTitle>Description</CardTitle>
              {mayEditFields(viewer, incident) && !editing ? (
                <Button variant="ghost" size="sm" onClick={() => setEditing(true)}>
                  <Pencil /> Edit
                </Button>
              ) : null}
            </CardHeader>
            <CardContent>
              {editing ? (
                <EditFields incident={incident} onDone={() => setEditing(false)} />
              ) : incident.description ? (
                <p className="text-sm leading-relaxed whitespace-pre-wrap">{incident.description}</p>
              ) : (
                <p className="text-sm text-muted-foreground italic">No description.</p>
              )}
            </CardContent>
          </Card>

          <Tabs defaultValue="conversation">
            <TabsList>
              <TabsTrigger value="conversation">
                <MessageSquare /> Conversation
              </TabsTrigger>
              <TabsTrigger value="activity">
                <Clock /> Activity
              </TabsTrigger>
            </TabsList>
            <TabsContent value="conversation" className="mt-2">
              <Conversation incident={incident} viewer={viewer} now={now} />
            </TabsContent>
            <TabsContent value="activity" className="mt-2">
              <Activity incident={incident} viewer={viewer} now={now} />
            </TabsContent>
          </Tabs>
        </div>

        <aside className="space-y-6">
          <DetailsCard incident={incident} viewer={viewer} />
          <SlaCard incident={incident} now={now} />
        </aside>
      </div>

      <TransitionDialog
        action={transition}
        incident={incident}
        pending={patch.isPending}
        onClose={() => setTransition(null)}
        onConfirm={(reason) =>
          patch.mutate(
            { status: transition!.to, ...(reason.trim() ? { reason: reason.trim() } : {}) },
            {
              onSuccess: (updated) => {
                setTransition(null);
                toast.success(`${updated.key} is now ${STATUS_LABELS[updated.status].toLowerCase()}`);
              },
              onError: () => setTransition(null),
            },
          )
        }
      />
    </div>
  );
}

function TransitionIcon({ from, to }: { from: IncidentStatus; to: IncidentStatus }) {
  if (to === 'IN_PROGRESS' && from === 'OPEN') return <PlayCircle />;
  if (to === 'IN_PROGRESS' || to === 'OPEN') return <RotateCcw />;
  if (to === 'CANCELLED') return <XCircle />;
  return <CheckCircle2 />;
}

function TransitionDialog({
  action,
  incident,
  pending,
  onClose,
  onConfirm,
}: {
  action: TransitionAction | null;
  incident: Incident;
  pending: boolean;
  onClose: () => void;
  onConfirm: (reason: string) => void;
}) {
  const [reason, setReason] = useState('');
  return (
    <Dialog
      open={action !== null}
      onOpenChange={(open) => {
        if (!open) {
          onClose();
          setReason('');
        }
      }}
    >
      <DialogContent>
        <DialogHeader>
          <DialogTitle>
            {action?.label} · {incident.key}
          </DialogTitle>
          <DialogDescription>
            {action ? `${STATUS_LABELS[incident.status]} → ${STATUS_LABELS[action.to]}. The reporter and the assignee are told.` : null}
          </DialogDescription>
        </DialogHeader>
        <div className="grid gap-2">
          <Label htmlFor="transition-reason">{action?.reasonPrompt}</Label>
          <Textarea id="transition-reason" value={reason} onChange={(event) => setReason(event.target.value)} rows={3} maxLength={2000} />
        </div>
        <DialogFooter>
          <Button variant="ghost" onClick={onClose}>
            Back
          </Button>
          <Button
            variant={action?.tone === 'danger' ? 'destructive' : 'default'}
            disabled={pending}
            onClick={() => {
              onConfirm(reason);
              setReason('');
            }}
          >
            {pending ? <Loader2 className="animate-spin" /> : null}
            {action?.label}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}

function EditFields({ incident, onDone }: { incident: Incident; onDone: () => void }) {
  const { patch } = useIncidentWrites(incident);
  const [title, setTitle] = useState(incident.title);
  const [description, setDescription] = useState(incident.description);
  const [errors, setErrors] = useState<{ title?: string; description?: string }>({});

  const save = () => {
    const titleCheck = incidentTitleSchema.safeParse(title);
    const descriptionCheck = incidentDescriptionSchema.safeParse(description);
    const found = {
      ...(titleCheck.success ? {} : { title: sentence(titleCheck.error.issues[0]?.message ?? 'Invalid') }),
      ...(descriptionCheck.success ? {} : { description: sentence(descriptionCheck.error.issues[0]?.message ?? 'Invalid') }),
    };
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const body = {
      ...(titleCheck.data !== incident.title ? { title: titleCheck.data } : {}),
      ...(descriptionCheck.data !== incident.description ? { description: descriptionCheck.data } : {}),
    };
    if (Object.keys(body).length === 0) return onDone();
    patch.mutate(body, {
      onSuccess: () => {
        toast.success('Saved');
        onDone();
      },
      onError: (error) => {
        if (error instanceof ApiError) {
          const fieldErrors: { title?: string; description?: string } = {};
          for (const issue of error.fieldErrors) {
            const field = pointerSegments(issue.path)[0];
            if (issue.location === 'body' && (field === 'title' || field === 'description')) fieldErrors[field] ??= sentence(issue.message);
          }
          setErrors(fieldErrors);
        }
      },
    });
  };

  return (
    <div className="space-y-4">
      <div className="grid gap-2">
        <Label htmlFor="edit-title">Title</Label>
        <Input id="edit-title" value={title} onChange={(event) => setTitle(event.target.value)} aria-invalid={Boolean(errors.title)} maxLength={200} />
        {errors.title ? <p className="text-sm text-destructive">{errors.title}</p> : null}
      </div>
      <div className="grid gap-2">
        <Label htmlFor="edit-description">Description</Label>
        <Textarea id="edit-description" rows={6} value={description} onChange={(event) => setDescription(event.target.value)} aria-invalid={Boolean(errors.description)} />
        {errors.description ? <p className="text-sm text-destructive">{errors.description}</p> : null}
      </div>
      <div className="flex justify-end gap-2">
        <Button variant="ghost" onClick={onDone}>
          Cancel
        </Button>
        <Button onClick={save} disabled={patch.isPending}>
          {patch.isPending ? <Loader2 className="animate-spin" /> : null}
          Save
        </Button>
      </div>
    </div>
  );
}

function personLabel(id: string | null, incident: Incident, viewer: Viewer, people: Map<string, { fullName: string }>): string {
  if (!id) return 'the service desk';
  if (id === viewer.id) return 'you';
  const known = people.get(id)?.fullName;
  if (known) return known;
  if (id === incident.reporterId) return 'the reporter';
  if (id === incident.assigneeId) return 'the assignee';
  return 'a team member';
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-[110px_1fr] items-center gap-3 py-2 text-sm">
      <dt className="text-muted-foreground">{label}</dt>
      <dd className="min-w-0">{children}</dd>
    </div>
  );
}

function DetailsCard({ incident, viewer }: { incident: Incident; viewer: Viewer }) {
  const { patch, assign } = useIncidentWrites(incident);
  const categories = useCategories(true);
  const departments = useDepartments();
  const people = usePeopleDirectory(incident.id);
  const canAssign = mayAssign(viewer, incident);
  const assignees = useUsers({ departmentId: incident.departmentId, isActive: 'true' }, canAssign);
  const candidates = (assignees.data ?? []).filter((person) => person.role === 'staff' || person.role === 'manager');
  const category = categories.data?.find((item) => item.id === incident.categoryId);
  const department = departments.data?.find((item) => item.id === incident.departmentId);

  return (
    <Card className="gap-2">
      <CardHeader>
        <CardTitle>Details</CardTitle>
      </CardHeader>
      <CardContent>
        <dl className="divide-y">
          <Field label="Priority">
            {mayChangePriority(viewer, incident) ? (
              <Select value={incident.priority} onValueChange={(priority) => patch.mutate({ priority: priority as IncidentPriority }, { onSuccess: () => toast.success('Priority changed') })} disabled={patch.isPending}>
                <SelectTrigger size="sm" className="w-full" aria-label="Change priority">
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  {INCIDENT_PRIORITIES.map((priority) => (
                    <SelectItem key={priority} value={priority}>
                      {PRIORITY_LABELS[priority]}
                    </SelectItem>
                  ))}
                </SelectContent>
              </Select>
            ) : (
              <PriorityBadge priority={incident.priority} />
            )}
          </Field>
          <Field label="Assignee">
            {canAssign ? (
              <Select
                value={incident.assigneeId ?? 'none'}
                onValueChange={(value) => {
                  const assigneeId = value === 'none' ? null : value;
                  const name = assigneeId ? (candidates.find((person) => person.id === assigneeId)?.fullName ?? personLabel(assigneeId, incident, viewer, people)) : null;
                  assign.mutate(assigneeId, { onSuccess: () => toast.success(name ? `Assigned to ${name}` : 'Unassigned') });
                }}
                disabled={assign.isPending || assignees.isPending}
              >
                <SelectTrigger size="sm" className="w-full" aria-label="Assign">
                  <SelectValue placeholder={assignees.isPending ? 'Loading…' : 'Unassigned'} />
                </SelectTrigger>
                <SelectContent>
                  <SelectItem value="none">Unassigned</SelectItem>
                  {incident.assigneeId && !candidates.some((person) => person.id === incident.assigneeId) ? (
                    <SelectItem value={incident.assigneeId}>{personLabel(incident.assigneeId, incident, viewer, people)}</SelectItem>
                  ) : null}
                  {candidates.map((person) => (
                    <SelectItem key={person.id} value={person.id}>
                      {person.fullName} <span className="text-muted-foreground">· {person.role}</span>
                    </SelectItem>
                  ))}
                </SelectContent>
              </Select>
            ) : incident.assigneeId ? (
              <span className="flex items-center gap-2">
                <span className="flex size-6 items-center justify-center rounded-full bg-primary/10 text-[10px] font-semibold text-primary">
                  {initials(personLabel(incident.assigneeId, incident, viewer, people))}
                </span>
                {sentence(personLabel(incident.assigneeId, incident, viewer, people))}
              </span>
            ) : (
              <span className="flex items-center gap-1.5 text-muted-foreground">
                <UserPlus className="size-4" /> Not assigned yet
              </span>
            )}
          </Field>
          <Field label="Category">{category?.name ?? '—'}</Field>
          <Field label="Department">{department?.name ?? '—'}</Field>
          <Field label="Reporter">{sentence(personLabel(incident.reporterId, incident, viewer, people))}</Field>
          <Field label="Created">{dateTime(incident.createdAt)}</Field>
          {incident.resolvedAt ? <Field label="Resolved">{dateTime(incident.resolvedAt)}</Field> : null}
          {incident.closedAt ? <Field label="Closed">{dateTime(incident.closedAt)}</Field> : null}
          {incident.reopenCount > 0 ? <Field label="Re-opened">{incident.reopenCount}×</Field> : null}
        </dl>
      </CardContent>
    </Card>
  );
}

function SlaRow({ label, dueAt, metAt, breachedAt, now }: { label: string; dueAt: string | null; metAt: string | null; breachedAt: string | null; now: number }) {
  let state: ReactNode;
  if (breachedAt) {
    state = (
      <span className="flex items-center gap-1 text-red-700">
        <AlertTriangle className="size-3.5" /> Missed {metAt ? `(met ${relativeTime(metAt, now)})` : ''}
      </span>
    );
  } else if (metAt) {
    state = (
      <span className="flex items-center gap-1 text-emerald-700">
        <CheckCircle2 className="size-3.5" /> Met {relativeTime(metAt, now)}
      </span>
    );
  } else if (dueAt) {
    const overdue = Date.parse(dueAt) <= now;
    state = <span className={cn(overdue ? 'text-red-700' : Date.parse(dueAt) - now < DUE_SOON_MS ? 'text-amber-700' : 'text-foreground')}>Due {relativeTime(dueAt, now)}</span>;
  } else {
    state = <span className="text-muted-foreground">No target</span>;
  }
  return (
    <div className="py-2 text-sm">
      <div className="flex items-center justify-between gap-2">
        <span className="text-muted-foreground">{label}</span>
        {state}
      </div>
      {dueAt ? <div className="mt-0.5 text-right text-xs text-muted-foreground">target {dateTime(dueAt)}</div> : null}
    </div>
  );
}

function SlaCard({ incident, now }: { incident: Incident; now: number }) {
  const cancelled = incident.status === 'CANCELLED';
  return (
    <Card className="gap-2">
      <CardHeader>
        <CardTitle>Service level</CardTitle>
      </CardHeader>
      <CardContent className="divide-y">
        {cancelled ? (
          <p className="py-2 text-sm text-muted-foreground">Cancelled: no targets apply.</p>
        ) : (
          <>
            <SlaRow label="First response" dueAt={incident.responseDueAt} metAt={incident.respondedAt} breachedAt={incident.responseBreachedAt} now={now} />
            <SlaRow label="Resolution" dueAt={incident.resolutionDueAt} metAt={incident.resolvedAt} breachedAt={incident.resolutionBreachedAt} now={now} />
          </>
        )}
      </CardContent>
    </Card>
  );
}

function Conversation({ incident, viewer, now }: { incident: Incident; viewer: Viewer; now: number }) {
  const comments = useComments(incident.id);
  const people = usePeopleDirectory(incident.id);
  const items = comments.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <Card className="gap-0 py-0">
      <CardContent className="px-0">
        {comments.isPending ? (
          <div className="space-y-3 p-6">
            <Skeleton className="h-16 w-full" />
            <Skeleton className="h-16 w-3/4" />
          </div>
        ) : comments.isError && !comments.data ? (
          <div className="p-6">
            <ErrorState error={comments.error} onRetry={() => void comments.refetch()} />
          </div>
        ) : items.length === 0 ? (
          <div className="px-6 py-10 text-center text-sm text-muted-foreground">No comments yet. Ask a question or add what you know below.</div>
        ) : (
          <ol className="divide-y">
            {items.map((comment) => (
              <CommentItem key={comment.id} comment={comment} author={personLabel(comment.authorId, incident, viewer, people)} now={now} />
            ))}
          </ol>
        )}
        {comments.isError && comments.data ? <StaleNotice error={comments.error} onRetry={() => void comments.refetch()} /> : null}
        {comments.hasNextPage ? (
          <div className="border-t p-3 text-center">
            <Button variant="ghost" size="sm" onClick={() => void comments.fetchNextPage()} disabled={comments.isFetchingNextPage}>
              Show more comments
            </Button>
          </div>
        ) : null}
        <CommentComposer incident={incident} viewer={viewer} />
      </CardContent>
    </Card>
  );
}

function CommentItem({ comment, author, now }: { comment: Comment; author: string; now: number }) {
  return (
    <li className={cn('flex gap-3 px-6 py-4', comment.isInternal && 'bg-amber-50/70')} data-testid={comment.isInternal ? 'internal-note' : 'comment'}>
      <span className={cn('flex size-8 shrink-0 items-center justify-center rounded-full text-xs font-semibold', comment.isInternal ? 'bg-amber-100 text-amber-800' : 'bg-primary/10 text-primary')}>
        {initials(author)}
      </span>
      <div className="min-w-0 flex-1">
        <div className="flex flex-wrap items-center gap-2 text-sm">
          <span className="font-medium">{sentence(author)}</span>
          {comment.isInternal ? (
            <Badge variant="outline" className="gap-1 border-amber-300 bg-amber-100/60 text-amber-800">
              <Lock /> Internal note
            </Badge>
          ) : null}
          <span className="text-xs text-muted-foreground" title={dateTime(comment.createdAt)}>
            {relativeTime(comment.createdAt, now)}
          </span>
        </div>
        <p className="mt-1 text-sm leading-relaxed break-words whitespace-pre-wrap">{comment.content}</p>
      </div>
    </li>
  );
}

function CommentComposer({ incident, viewer }: { incident: Incident; viewer: Viewer }) {
  const [content, setContent] = useState('');
  const [internal, setInternal] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const mayNote = mayWriteInternalNotes(viewer, incident);
  const comment = useAddComment(incident);
  const send = {
    isPending: comment.isPending,
    mutate: () =>
      comment.mutate(
        { content: content.trim(), ...(mayNote ? { isInternal: internal } : {}) },
        {
          onSuccess: () => {
            setContent('');
            setInternal(false);
            setError(null);
          },
          onError: (caught) => {
            const field = caught instanceof ApiError ? caught.fieldErrors.find((issue) => issue.path === '/content') : undefined;
            setError(field ? sentence(field.message) : describeError(caught).detail);
          },
        },
      ),
  };

  return (
    <form
      className={cn('border-t p-4 sm:px-6', internal && 'bg-amber-50/60')}
      onSubmit={(event) => {
        event.preventDefault();
        if (!content.trim()) return setError('Write something first.');
        send.mutate();
      }}
    >
      <Label htmlFor="comment" className="sr-only">
        Comment
      </Label>
      <Textarea
        id="comment"
        value={content}
        onChange={(event) => setContent(event.target.value)}
        rows={3}
        maxLength={10_000}
        placeholder={internal ? 'Internal note: only the team and admins see it' : 'Write a comment…'}
        aria-invalid={Boolean(error)}
        className="bg-background"
      />
      {error ? <p className="mt-1.5 text-sm text-destructive">{error}</p> : null}
      <div className="mt-3 flex flex-wrap items-center justify-between gap-3">
        {mayNote ? (
          <div className="flex items-center gap-2">
            <Switch id="internal-note" checked={internal} onCheckedChange={setInternal} />
            <Label htmlFor="internal-note" className="font-normal">
              <Lock className="size-3.5" /> Internal note <span className="text-muted-foreground">(hidden from the reporter)</span>
            </Label>
          </div>
        ) : (
          <span className="text-xs text-muted-foreground">The team working on it sees your comment.</span>
        )}
        <Button type="submit" size="sm" disabled={send.isPending}>
          {send.isPending ? <Loader2 className="animate-spin" /> : <Send />}
          {internal ? 'Add note' : 'Comment'}
        </Button>
      </div>
    </form>
  );
}

function describeEntry(entry: TimelineEntry, incident: Incident, viewer: Viewer, people: Map<string, { fullName: string }>): { text: ReactNode; note?: string | undefined; tone?: 'danger' | 'note' } {
  const actor = sentence(personLabel(entry.actorId, incident, viewer, people));
  const value = (entry.newValue ?? {}) as Record<string, unknown>;
  switch (entry.action) {
    case 'created':
      return { text: <>{actor} reported the incident</> };
    case 'status_changed': {
      const to = (typeof entry.newValue === 'string' ? entry.newValue : value.status) as IncidentStatus;
      return {
        text: (
          <>
            {actor} changed the status from <strong>{STATUS_LABELS[entry.oldValue as IncidentStatus] ?? String(entry.oldValue)}</strong> to <strong>{STATUS_LABELS[to] ?? String(to)}</strong>
          </>
        ),
        note: typeof value.reason === 'string' ? value.reason : undefined,
      };
    }
    case 'priority_changed':
      return {
        text: (
          <>
            {actor} changed the priority from <strong>{PRIORITY_LABELS[entry.oldValue as IncidentPriority] ?? String(entry.oldValue)}</strong> to{' '}
            <strong>{PRIORITY_LABELS[entry.newValue as IncidentPriority] ?? String(entry.newValue)}</strong>
          </>
        ),
      };
    case 'assigned':
      return {
        text: entry.newValue ? (
          <>
            {actor} assigned it to <strong>{personLabel(entry.newValue as string, incident, viewer, people)}</strong>
          </>
        ) : (
          <>{actor} removed the assignee</>
        ),
      };
    case 'updated':
      return { text: <>{actor} edited the {Object.keys(value).join(' and ') || 'incident'}</> };
    case 'commented':
      return value.isInternal ? { text: <>{actor} added an internal note</>, tone: 'note' } : { text: <>{actor} commented</> };
    case 'sla_breached':
      return { text: <>The {value.target === 'resolution' ? 'resolution' : 'response'} target was missed</>, tone: 'danger' };
    default:
      return { text: <>{actor} changed the incident</> };
  }
}

function Activity({ incident, viewer, now }: { incident: Incident; viewer: Viewer; now: number }) {
  const timeline = useTimeline(incident.id);
  const people = usePeopleDirectory(incident.id);
  const entries = timeline.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Card className="py-4">
      <CardContent>
        {timeline.isPending ? (
          <div className="space-y-3">
            <Skeleton className="h-5 w-2/3" />
            <Skeleton className="h-5 w-1/2" />
          </div>
        ) : timeline.isError && !timeline.data ? (
          <ErrorState error={timeline.error} onRetry={() => void timeline.refetch()} />
        ) : (
          <ol className="relative ml-2 border-l pl-6">
            {entries.map((entry) => {
              const { text, note, tone } = describeEntry(entry, incident, viewer, people);
              return (
                <li key={entry.id} className="relative py-2.5" data-testid="timeline-entry">
                  <span
                    className={cn(
                      'absolute top-4 -left-[29px] size-2.5 rounded-full ring-4 ring-card',
                      tone === 'danger' ? 'bg-red-500' : tone === 'note' ? 'bg-amber-500' : entry.action === 'status_changed' ? 'bg-primary' : 'bg-slate-300',
                    )}
                  />
                  <div className="text-sm">{text}</div>
                  {note ? <div className="mt-1 rounded-md bg-muted px-3 py-2 text-sm whitespace-pre-wrap text-muted-foreground">“{note}”</div> : null}
                  <div className="mt-0.5 text-xs text-muted-foreground" title={dateTime(entry.createdAt)}>
                    {relativeTime(entry.createdAt, now)}
                  </div>
                </li>
              );
            })}
          </ol>
        )}
        {timeline.isError && timeline.data ? <StaleNotice error={timeline.error} onRetry={() => void timeline.refetch()} /> : null}
        {timeline.hasNextPage ? (
          <Button variant="ghost" size="sm" onClick={() => void timeline.fetchNextPage()} disabled={timeline.isFetchingNextPage}>
            {timeline.isFetchingNextPage ? <Loader2 className="animate-spin" /> : null}
            Show more
          </Button>
        ) : null}
      </CardContent>
    </Card>
  );
}

function DetailSkeleton() {
  return (
    <div aria-busy="true">
      <Skeleton className="mb-4 h-4 w-24" />
      <Skeleton className="h-5 w-64" />
      <Skeleton className="mt-3 h-8 w-2/3" />
      <div className="mt-8 grid gap-6 lg:grid-cols-[minmax(0,1fr)_340px]">
        <Skeleton className="h-72" />
        <Skeleton className="h-72" />
      </div>
    </div>
  );
}

