'use client';

import { useEffect, useRef, useSyncExternalStore, type ComponentProps } from 'react';
import { cn } from '@/lib/utils';

const subscribe = () => () => undefined;

/** False in the server's HTML and during hydration, true once React runs the page in the browser. */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}

/**
 * A form whose submission is always the page's script, for the pages the server renders before
 * anyone is signed in (sign in, register, password reset). Until React has hydrated the page its
 * fields and buttons are disabled: a click before then would otherwise make the browser submit the
 * form itself — a GET that puts the fields, a password among them, into the address, the history
 * and the server's logs, and loses where the person was going. `method="post"` keeps even that
 * case out of the address.
 */
export function ScriptForm({ children, className, ...props }: Omit<ComponentProps<'form'>, 'method' | 'action' | 'noValidate'>) {
  const hydrated = useHydrated();
  const form = useRef<HTMLFormElement>(null);
  // A disabled field cannot take the focus the page gave it on load (autoFocus): give it now.
  useEffect(() => {
    if (!hydrated || (document.activeElement && document.activeElement !== document.body)) return;
    form.current?.querySelector<HTMLElement>('[autofocus]')?.focus();
  }, [hydrated]);
  return (
    <form ref={form} method="post" noValidate {...props}>
      {/* The layout goes on the fieldset, so `space-y-*` spaces the fields themselves. */}
      <fieldset disabled={!hydrated} className={cn('min-w-0', className)}>
        {children}
      </fieldset>
    </form>
  );
}
