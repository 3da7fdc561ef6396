'use client';

import { useTranslations } from 'next-intl';
import { useCallback } from 'react';
import { toast } from 'sonner';
import { describeError, type ErrorWords } from '@/lib/api-client';

/** `describeError` in the person's language. */
export function useDescribeError(): (error: unknown) => { title: string; detail: string } {
  const t = useTranslations('common.errors');
  return useCallback((error: unknown) => describeError(error, t as unknown as ErrorWords), [t]);
}

/** A refused write as a toast: the heading and what to do, in the person's language. */
export function useErrorToast(): (error: unknown) => void {
  const describe = useDescribeError();
  return useCallback(
    (error: unknown) => {
      const { title, detail } = describe(error);
      toast.error(title, { description: detail });
    },
    [describe],
  );
}
