'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { Loader2, Lock, Send } from 'lucide-react';
import { useForm, useWatch } from 'react-hook-form';
import { toast } from 'sonner';
import { z } from 'zod';
import { commentContentSchema, type Incident } from '@desk/contracts';
import { Button } from '@/components/ui/button';
import { Form, FormControl, FormField, FormItem, FormLabel, FormMessage } from '@/components/ui/form';
import { Label } from '@/components/ui/label';
import { Switch } from '@/components/ui/switch';
import { Textarea } from '@/components/ui/textarea';
import { describeError } from '@/lib/api-client';
import { mapFieldErrors } from '@/lib/form-errors';
import { mayWriteInternalNotes, type Viewer } from '@/lib/lifecycle';
import { useAddComment } from '@/lib/mutations/incidents';
import { cn } from '@/lib/utils';
import { CommentHint, commentHint } from './comment-hint';
import { useNameOf } from './people';

const schema = z.object({ content: commentContentSchema, isInternal: z.boolean() });
type Values = z.input<typeof schema>;

/** A comment, or for the department's people an internal note; the API's refusal lands under the text. */
export function CommentComposer({ incident, viewer }: { incident: Incident; viewer: Viewer }) {
  const mayNote = mayWriteInternalNotes(viewer, incident);
  const nameOf = useNameOf(incident, viewer);
  const comment = useAddComment(incident);
  const form = useForm<Values, unknown, z.output<typeof schema>>({ resolver: zodResolver(schema), defaultValues: { content: '', isInternal: false } });
  const internal = useWatch({ control: form.control, name: 'isInternal' });
  const hint = commentHint(incident, viewer, nameOf, internal);

  const submit = form.handleSubmit(({ content, isInternal }) =>
    comment.mutate(
      { content, ...(mayNote ? { isInternal } : {}) },
      {
        onSuccess: () => form.reset({ content: '', isInternal: false }),
        onError: (error) => {
          const { byField } = mapFieldErrors(error, ['content', 'isInternal'] as const);
          if (byField.content) return form.setError('content', { message: byField.content });
          const { title, detail } = describeError(error);
          toast.error(title, { description: detail });
        },
      },
    ),
  );

  return (
    <Form {...form}>
      <form noValidate className={cn('border-t p-4 sm:px-6', internal && 'bg-amber-50/60 dark:bg-amber-950/30')} onSubmit={(event) => void submit(event)} aria-label="Add to the conversation">
        {hint ? <CommentHint text={hint} /> : null}
        <FormField
          control={form.control}
          name="content"
          render={({ field }) => (
            <FormItem>
              <FormLabel className="sr-only">Comment</FormLabel>
              <FormControl>
                <Textarea rows={3} placeholder={internal ? 'Internal note: only the team and admins see it' : 'Write a comment…'} className="bg-background" {...field} />
              </FormControl>
              <FormMessage />
            </FormItem>
          )}
        />
        <div className="mt-3 flex flex-wrap items-center justify-between gap-3">
          {mayNote ? (
            <FormField
              control={form.control}
              name="isInternal"
              render={({ field }) => (
                <div className="flex items-center gap-2">
                  <Switch id="internal-note" checked={field.value} onCheckedChange={field.onChange} />
                  <Label htmlFor="internal-note" className="font-normal">
                    <Lock className="size-3.5" /> Internal note <span className="text-muted-foreground">(hidden from the reporter)</span>
                  </Label>
                </div>
              )}
            />
          ) : hint ? (
            <span />
          ) : (
            <span className="text-xs text-muted-foreground">
              {incident.assigneeId && incident.assigneeId !== viewer.id
                ? `${nameOf(incident.assigneeId)}, who is assigned, is told of your comment.`
                : 'Nobody is assigned yet: the team sees your comment when they open the incident.'}
            </span>
          )}
          <Button type="submit" size="sm" disabled={comment.isPending}>
            {comment.isPending ? <Loader2 className="animate-spin" /> : <Send />}
            {internal ? 'Add note' : 'Comment'}
          </Button>
        </div>
      </form>
    </Form>
  );
}
