'use client';

import { useZodResolver } from '@/lib/i18n/form-resolver';
import { Loader2, Lock, Paperclip, Send, X } from 'lucide-react';
import { useRef, useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { toast } from 'sonner';
import { z } from 'zod';
import { ATTACHMENT_ACCEPT, commentContentSchema, type Incident } from '@desk/contracts';
import { Button } from '@/components/ui/button';
import { Form, FormControl, FormField, FormItem, FormLabel, FormMessage } from '@/components/ui/form';
import { Label } from '@/components/ui/label';
import { Switch } from '@/components/ui/switch';
import { mapFieldErrors } from '@/lib/form-errors';
import { mayWriteInternalNotes, type Viewer } from '@/lib/lifecycle';
import { useUploadAttachment } from '@/lib/mutations/attachments';
import { useAddComment } from '@/lib/mutations/incidents';
import { cn } from '@/lib/utils';
import { CommentHint, commentHint } from './comment-hint';
import { MentionTextarea, withMentionTokens } from './mention-textarea';
import { useNameOf } from './people';
import { useFormat } from '@/lib/i18n/use-format';
import { useDescribeError } from '@/lib/i18n/errors';
import { useTranslations } from 'next-intl';

const schema = z.object({ content: commentContentSchema, isInternal: z.boolean() });

type Values = z.input<typeof schema>;

/** A comment, or for the department's people an internal note; the API's refusal lands under the text. */
export function CommentComposer({ incident, viewer }: { incident: Incident; viewer: Viewer }) {
  const t = useTranslations('incidents');
  const describe = useDescribeError();
  const format = useFormat();
  const mayNote = mayWriteInternalNotes(viewer, incident);
  const nameOf = useNameOf(incident, viewer);
  const comment = useAddComment(incident);
  const form = useForm<Values, unknown, z.output<typeof schema>>({ resolver: useZodResolver(schema), defaultValues: { content: '', isInternal: false } });
  const internal = useWatch({ control: form.control, name: 'isInternal' });
  const hint = commentHint(incident, viewer, nameOf, internal, t);
  const upload = useUploadAttachment(incident);
  const [files, setFiles] = useState<File[]>([]);
  const [sending, setSending] = useState(false);
  const picker = useRef<HTMLInputElement>(null);
  /** The people chosen from the @ list, by the name written for them. */
  const [chosen, setChosen] = useState<ReadonlyMap<string, string>>(new Map());

  /** The comment's files, one after the other, attached to it (an internal note's are internal). */
  const attachTo = async (commentId: string, chosen: File[]) => {
    setSending(true);
    try {
      for (const file of chosen) {
        await upload.mutateAsync({ file, commentId }).catch((error: unknown) => {
          const { title, detail } = describe(error);
          toast.error(t('commentComposer.wasNotAttached', { name: file.name, title }), { description: detail });
        });
      }
    } finally {
      setSending(false);
    }
  };

  const submit = form.handleSubmit(({ content, isInternal }) =>
    comment.mutate(
      { content: withMentionTokens(content, chosen), ...(mayNote ? { isInternal } : {}) },
      {
        onSuccess: (created) => {
          const picked = files;
          form.reset({ content: '', isInternal: false });
          setFiles([]);
          setChosen(new Map());
          if (picked.length > 0) void attachTo(created.id, picked);
        },
        onError: (error) => {
          const { byField } = mapFieldErrors(error, ['content', 'isInternal'] as const);
          if (byField.content) return form.setError('content', { message: byField.content });
          const { title, detail } = describe(error);
          toast.error(title, { description: detail });
        },
      },
    ),
  );

  return (
    <Form {...form}>
      <form noValidate className={cn('border-t p-4 sm:px-6', internal && 'bg-amber-50/60 dark:bg-amber-950/30')} onSubmit={(event) => void submit(event)} aria-label={t('commentComposer.addToTheConversation')}>
        {hint ? <CommentHint text={hint} /> : null}
        <FormField
          control={form.control}
          name="content"
          render={({ field }) => (
            <FormItem>
              <FormLabel className="sr-only">{t('commentComposer.comment')}</FormLabel>
              <FormControl>
                <MentionTextarea
                  rows={3}
                  placeholder={internal ? t('commentComposer.internalNoteOnlyThe') : t('commentComposer.writeACommentMentions')}
                  className="bg-background"
                  incidentId={incident.id}
                  internal={Boolean(internal)}
                  onMention={(person) => setChosen((current) => new Map(current).set(person.fullName, person.id))}
                  {...field}
                />
              </FormControl>
              <FormMessage />
            </FormItem>
          )}
        />
        {files.length > 0 ? (
          <ul className="mt-2 flex flex-wrap gap-2" aria-label={t('commentComposer.filesToAttach')}>
            {files.map((file, index) => (
              <li key={`${file.name}-${index}`} className="inline-flex max-w-full items-center gap-1.5 rounded-md border bg-background px-2 py-1 text-xs">
                <Paperclip className="size-3.5 shrink-0" aria-hidden />
                <span className="truncate">{file.name}</span>
                <span className="text-muted-foreground">{format.bytes(file.size)}</span>
                <button type="button" className="rounded p-0.5 hover:bg-muted" aria-label={t('commentComposer.remove', { name: file.name })} onClick={() => setFiles((current) => current.filter((_, at) => at !== index))}>
                  <X className="size-3.5" />
                </button>
              </li>
            ))}
          </ul>
        ) : null}
        <div className="mt-3 flex flex-wrap items-center justify-between gap-3">
          {mayNote ? (
            <FormField
              control={form.control}
              name="isInternal"
              render={({ field }) => (
                <div className="flex items-center gap-2">
                  <Switch id="internal-note" checked={field.value} onCheckedChange={field.onChange} />
                  <Label htmlFor="internal-note" className="font-normal">
                    <Lock className="size-3.5" />{' '}{t('commentComposer.internalNote')}{' '}<span className="text-muted-foreground">{t('commentComposer.hiddenFromTheReporter')}</span>
                  </Label>
                </div>
              )}
            />
          ) : hint ? (
            <span />
          ) : (
            <span className="text-xs text-muted-foreground">
              {incident.assigneeId && incident.assigneeId !== viewer.id
                ? t('commentComposer.whoIsAssignedIs', { nameOf: nameOf(incident.assigneeId) })
                : t('commentComposer.nobodyIsAssignedYet')}
            </span>
          )}
          <div className="flex items-center gap-2">
            <Button type="button" variant="ghost" size="sm" onClick={() => picker.current?.click()}>
              <Paperclip />{' '}{t('commentComposer.attach')}
            </Button>
            <input
              ref={picker}
              type="file"
              multiple
              accept={ATTACHMENT_ACCEPT}
              className="sr-only"
              tabIndex={-1}
              aria-label={t('commentComposer.chooseFilesToSend')}
              data-testid="comment-files"
              onChange={(event) => {
                const chosen = Array.from(event.target.files ?? []);
                setFiles((current) => [...current, ...chosen]);
                event.target.value = '';
              }}
            />
            <Button type="submit" size="sm" disabled={comment.isPending || sending}>
              {comment.isPending || sending ? <Loader2 className="animate-spin" /> : <Send />}
              {internal ? t('commentComposer.addNote') : t('commentComposer.comment')}
            </Button>
          </div>
        </div>
      </form>
    </Form>
  );
}
