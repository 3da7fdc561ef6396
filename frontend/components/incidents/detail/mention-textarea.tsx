'use client';

import { useTranslations } from 'next-intl';
import { AtSign } from 'lucide-react';
import { forwardRef, useId, useImperativeHandle, useRef, useState, type ComponentProps, type KeyboardEvent } from 'react';
import { MENTION_PATTERN, type MentionablePerson } from '@desk/contracts';
import { Textarea } from '@/components/ui/textarea';
import { useMentionable } from '@/lib/queries';
import { useDebounced } from '@/lib/use-debounced';
import { cn } from '@/lib/utils';

/** An `@name` being typed just before the caret: where it starts and what is typed after the `@`. */
function mentionAt(text: string, caret: number): { start: number; query: string } | null {
  const match = /(^|\s)@([\p{L}\p{N}.'-]{0,30}(?: [\p{L}\p{N}.'-]{0,30})?)$/u.exec(text.slice(0, caret));
  if (!match) return null;
  return { start: caret - match[2]!.length - 1, query: match[2]! };
}

/**
 * The text as the API takes it: each `@Full Name` chosen from the list becomes `<@id>`. Longer
 * names first, so "@Ana Silva" is not taken for "@Ana".
 */
export function withMentionTokens(text: string, chosen: ReadonlyMap<string, string>): string {
  let result = text;
  for (const [name, id] of [...chosen].sort((left, right) => right[0].length - left[0].length)) {
    result = result.split(`@${name}`).join(`<@${id}>`);
  }
  return result;
}

/** A comment's text with `<@id>` shown as `@Full Name`. */
export function MentionText({ text, nameOf }: { text: string; nameOf: (id: string) => string }) {
  const parts: (string | { id: string })[] = [];
  let last = 0;
  for (const match of text.matchAll(MENTION_PATTERN)) {
    parts.push(text.slice(last, match.index), { id: match[1]!.toLowerCase() });
    last = match.index + match[0].length;
  }
  parts.push(text.slice(last));
  return (
    <>
      {parts.map((part, index) =>
        typeof part === 'string' ? (
          part
        ) : (
          <span key={index} className="rounded bg-primary/10 px-1 font-medium text-primary" data-testid="mention">
            @{nameOf(part.id)}
          </span>
        ),
      )}
    </>
  );
}

type Props = Omit<ComponentProps<'textarea'>, 'onChange' | 'value'> & {
  value: string;
  onChange: (value: string) => void;
  incidentId: string;
  /** For an internal note: only people who may read internal notes are offered. */
  internal: boolean;
  onMention: (person: MentionablePerson) => void;
};

/** A textarea that offers the people who may see the incident when `@` is typed, by name. */
export const MentionTextarea = forwardRef<HTMLTextAreaElement, Props>(function MentionTextarea({ value, onChange, incidentId, internal, onMention, className, onKeyDown, ...props }, forwarded) {
                                                                        const t = useTranslations('incidents.mentionTextarea');
  const inner = useRef<HTMLTextAreaElement>(null);
  useImperativeHandle(forwarded, () => inner.current!);
  const listId = useId();
  const [typing, setTyping] = useState<{ start: number; query: string } | null>(null);
  const [active, setActive] = useState(0);
  const query = useDebounced(typing?.query ?? null, 150);
  const people = useMentionable(incidentId, typing ? query : null, internal);
  const options = typing ? (people.data ?? []) : [];
  const open = typing !== null && options.length > 0;

  const look = (text: string, caret: number) => {
    const found = mentionAt(text, caret);
    setTyping(found);
    if (!found) setActive(0);
  };

  const choose = (person: MentionablePerson) => {
    if (!typing) return;
    const caret = typing.start + 1 + typing.query.length;
    const next = `${value.slice(0, typing.start)}@${person.fullName} ${value.slice(caret)}`;
    onChange(next);
    onMention(person);
    setTyping(null);
    const at = typing.start + person.fullName.length + 2;
    requestAnimationFrame(() => {
      inner.current?.focus();
      inner.current?.setSelectionRange(at, at);
    });
  };

  const keys = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (open) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        setActive((current) => (current + (event.key === 'ArrowDown' ? 1 : options.length - 1)) % options.length);
        return;
      }
      if (event.key === 'Enter' || event.key === 'Tab') {
        event.preventDefault();
        choose(options[Math.min(active, options.length - 1)]!);
        return;
      }
      if (event.key === 'Escape') {
        event.preventDefault();
        setTyping(null);
        return;
      }
    }
    onKeyDown?.(event);
  };

  return (
    <div className="relative">
      <Textarea
        {...props}
        ref={inner}
        value={value}
        className={className}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={open ? listId : undefined}
        aria-activedescendant={open ? `${listId}-${Math.min(active, options.length - 1)}` : undefined}
        onChange={(event) => {
          onChange(event.target.value);
          look(event.target.value, event.target.selectionStart);
        }}
        onKeyDown={keys}
        onClick={(event) => look(event.currentTarget.value, event.currentTarget.selectionStart)}
        onBlur={(event) => {
          // A click on an option lands first (it keeps the focus: onMouseDown prevents the blur).
          setTyping(null);
          props.onBlur?.(event);
        }}
      />
      {open ? (
        <ul id={listId} role="listbox" aria-label={t('peopleToMention')} className="absolute inset-x-0 top-full z-20 mt-1 max-h-60 overflow-auto rounded-md border bg-popover p-1 text-sm shadow-md">
          {options.map((person, index) => (
            <li
              key={person.id}
              id={`${listId}-${index}`}
              role="option"
              aria-selected={index === Math.min(active, options.length - 1)}
              className={cn('flex cursor-pointer items-center gap-2 rounded px-2 py-1.5', index === Math.min(active, options.length - 1) && 'bg-accent text-accent-foreground')}
              onMouseDown={(event) => {
                event.preventDefault();
                choose(person);
              }}
              onMouseEnter={() => setActive(index)}
            >
              <AtSign className="size-3.5 shrink-0 text-muted-foreground" aria-hidden />
              <span className="min-w-0 flex-1 truncate">{person.fullName}</span>
              <span className="text-xs text-muted-foreground">{RELATIONS[person.relation]}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
});

const RELATIONS: Record<MentionablePerson['relation'], string> = { reporter: 'reporter', watcher: 'watching', department: 'team', admin: 'admin' };
