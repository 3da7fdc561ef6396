'use client';

import { toNestErrors, validateFieldsNatively } from '@hookform/resolvers';
import { useLocale, useTranslations } from 'next-intl';
import { useMemo } from 'react';
import type { FieldError, FieldValues, Resolver } from 'react-hook-form';
import type { z } from 'zod';
import type { Messages } from '@/messages';

type ValidationWords = ReturnType<typeof useTranslations<'common.validation'>>;
type ValidationKey = keyof Messages['common']['validation'];
const VALIDATION_KEYS: Record<ValidationKey, true> = { required: true, tooShort: true, tooLong: true, tooSmall: true, tooBig: true, tooFewItems: true, tooManyItems: true, email: true, url: true, choose: true, invalid: true, integer: true, passwordsDiffer: true };

/**
 * A form's message for one of zod's issues in the person's language. The contracts' schemas
 * carry English messages for the API's answers; forms say the same rule in the catalogue's words
 * by the issue's code. Refinements (`custom`) keep their message: the portal's own are written
 * with the catalogue when the schema is made.
 */
export function localizeIssue(issue: z.core.$ZodIssue, t: ValidationWords): string {
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? t('required') : t('tooShort', { minimum: Number(issue.minimum) });
      if (issue.origin === 'array' || issue.origin === 'set') return t('tooFewItems', { minimum: Number(issue.minimum) });
      return t('tooSmall', { minimum: String(issue.minimum) });
    case 'too_big':
      if (issue.origin === 'string') return t('tooLong', { maximum: Number(issue.maximum) });
      if (issue.origin === 'array' || issue.origin === 'set') return t('tooManyItems', { maximum: Number(issue.maximum) });
      return t('tooBig', { maximum: String(issue.maximum) });
    case 'invalid_format':
      if (issue.format === 'email') return t('email');
      if (issue.format === 'url') return t('url');
      if (issue.format === 'uuid' || issue.format === 'guid') return t('choose');
      // A pattern's message says what it wants (`HH:MM`); it is the contract's own.
      return issue.format === 'regex' ? issue.message : t('invalid');
    case 'invalid_type':
      if (issue.input === undefined || issue.input === null || issue.input === '') return t('required');
      return issue.expected === 'int' ? t('integer') : t('invalid');
    case 'invalid_value':
      return t('choose');
    case 'custom': {
      // A refinement names its words in the catalogue with `params: { validation: 'choose' }`.
      const key = (issue.params as { validation?: unknown } | undefined)?.validation;
      return typeof key === 'string' && key in VALIDATION_KEYS ? t(key as ValidationKey) : issue.message;
    }
    default:
      return issue.message;
  }
}

/** zod's own messages ("Too small: expected string to have >=1 characters"), which no person should read. */
const ZOD_DEFAULT_MESSAGE = /^(Invalid|Too (small|big)|Unrecognized|Expected)\b/;

/**
 * The words under a field: in English, the contract's own sentence for the rule when it has one
 * ("Give the category a name."), the same the API answers with; in another language, or for a
 * rule with only zod's default message, the catalogue's words (`localizeIssue`).
 */
export function fieldMessage(issue: z.core.$ZodIssue, t: ValidationWords, locale: string): string {
  if (locale === 'en' && issue.code !== 'custom' && issue.message && !ZOD_DEFAULT_MESSAGE.test(issue.message)) return issue.message;
  return localizeIssue(issue, t);
}

/**
 * `zodResolver` with messages in the person's language: every form validates with its schema
 * (mostly the contracts'), and shows `fieldMessage`'s words under the field.
 */
export function useZodResolver<Input extends FieldValues, Output>(schema: z.ZodType<Output, Input>): Resolver<Input, unknown, Output> {
  const t = useTranslations('common.validation');
  const locale = useLocale();
  return useMemo<Resolver<Input, unknown, Output>>(
    () => async (values, _context, options) => {
      const result = await schema.safeParseAsync(values);
      if (result.success) {
        if (options.shouldUseNativeValidation) validateFieldsNatively({}, options);
        return { values: result.data, errors: {} };
      }
      const errors: Record<string, FieldError> = {};
      for (const issue of result.error.issues) {
        const path = issue.path.join('.');
        errors[path] ??= { type: issue.code, message: fieldMessage(issue, t, locale) };
      }
      return { values: {}, errors: toNestErrors(errors, options) };
    },
    [schema, t, locale],
  );
}
