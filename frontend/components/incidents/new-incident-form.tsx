'use client';

import { useTranslations } from 'next-intl';
import { useZodResolver } from '@/lib/i18n/form-resolver';
import { AlertCircle, Loader2 } from 'lucide-react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useMemo, useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { toast } from 'sonner';
import { z } from 'zod';
import { createIncidentBodySchema, INCIDENT_LEVELS } from '@desk/contracts';
import { ErrorState, PageHeader } from '@/components/states';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card, CardContent } from '@/components/ui/card';
import { Form, FormControl, FormDescription, FormField, FormItem, FormLabel, FormMessage } from '@/components/ui/form';
import { Input } from '@/components/ui/input';
import { Select, SelectContent, SelectGroup, SelectItem, SelectLabel, SelectTrigger, SelectValue } from '@/components/ui/select';
import { Skeleton } from '@/components/ui/skeleton';
import { Textarea } from '@/components/ui/textarea';
import { mapFieldErrors } from '@/lib/form-errors';
import { useCategories, useDepartments, usePriorityMatrix } from '@/lib/queries';
import { useCreateIncident } from '@/lib/mutations/incidents';
import { useLabels } from '@/lib/i18n/use-format';
import { useDescribeError } from '@/lib/i18n/errors';

/** The longest title the API takes (incidentTitleSchema). */
const TITLE_MAX = 200;

/** The report form's schema: the contract's, with the category's own words when none is chosen. */
const formSchemaWith = (chooseCategory: string) => createIncidentBodySchema.extend({ categoryId: z.uuid({ error: chooseCategory }) });
type FormSchema = ReturnType<typeof formSchemaWith>;
type Input = z.input<FormSchema>;
type Output = z.output<FormSchema>;
const FIELDS = ['title', 'description', 'categoryId', 'impact', 'urgency'] as const;

/** What each level means, in the reporter's words. */

export function NewIncidentForm() {
  const t = useTranslations('incidents.newIncidentForm');
  const describe = useDescribeError();
  const labels = useLabels();
  const router = useRouter();
  const categories = useCategories();
  const departments = useDepartments();
  // One key per form: a retried submission (a lost answer) files the incident once.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const [formError, setFormError] = useState<unknown>(null);
  const form = useForm<Input, unknown, Output>({
    resolver: useZodResolver(useMemo(() => formSchemaWith(t('chooseCategory')), [t])),
    defaultValues: { title: '', description: '', categoryId: '', impact: 'MEDIUM', urgency: 'MEDIUM' },
  });

  const created = useCreateIncident(idempotencyKey);
  const create = {
    isPending: created.isPending,
    mutate: (body: Output) =>
      created.mutate(body, {
        onSuccess: (incident) => {
          toast.success(t('reported', { key: incident.key }), { description: t('theTeamHasBeen') });
          router.push(`/incidents/${incident.key}`);
        },
        onError: (error) => {
          const { byField, other } = mapFieldErrors(error, FIELDS);
          for (const [field, message] of Object.entries(byField)) form.setError(field as (typeof FIELDS)[number], { message: message });
          if (Object.keys(byField).length === 0 || other.length > 0) setFormError(error);
        },
      }),
  };

  const matrix = usePriorityMatrix();
  const [impact, urgency] = useWatch({ control: form.control, name: ['impact', 'urgency'] });
  const priority = impact && urgency ? matrix.data?.matrix[impact][urgency] : undefined;
  const categoryId = useWatch({ control: form.control, name: 'categoryId' });
  const titleLength = (useWatch({ control: form.control, name: 'title' }) ?? '').trim().length;
  const byDepartment = new Map<string, { name: string; categories: { id: string; name: string; description: string | null }[] }>();
  for (const category of categories.data ?? []) {
    const entry = byDepartment.get(category.departmentId) ?? {
      name: departments.data?.find((department) => department.id === category.departmentId)?.name ?? 'Other',
      categories: [],
    };
    entry.categories.push(category);
    byDepartment.set(category.departmentId, entry);
  }
  const selected = categories.data?.find((category) => category.id === categoryId);

  return (
    <div className="mx-auto max-w-2xl">
      <PageHeader title={t('reportAnIncident')} description={t('tellUsWhatIs')} />
      {categories.isError ? (
        <ErrorState error={categories.error} onRetry={() => void categories.refetch()} />
      ) : (
        <Card>
          <CardContent>
            <Form {...form}>
              <form
                noValidate
                className="space-y-5"
                onSubmit={(event) =>
                  void form.handleSubmit((values) => {
                    setFormError(null);
                    create.mutate(values);
                  })(event)
                }
              >
                {formError ? (
                  <Alert variant="destructive">
                    <AlertCircle />
                    <AlertTitle>{describe(formError).title}</AlertTitle>
                    <AlertDescription>{describe(formError).detail}</AlertDescription>
                  </Alert>
                ) : null}
                <FormField
                  control={form.control}
                  name="categoryId"
                  render={({ field }) => (
                    <FormItem>
                      <FormLabel>{t('category')}</FormLabel>
                      {categories.isPending ? (
                        <Skeleton className="h-9 w-full" />
                      ) : (
                        <Select value={field.value} onValueChange={field.onChange}>
                          <FormControl>
                            <SelectTrigger className="w-full">
                              <SelectValue placeholder={t('whatIsItAbout')} />
                            </SelectTrigger>
                          </FormControl>
                          <SelectContent>
                            {[...byDepartment.entries()].map(([departmentId, department]) => (
                              <SelectGroup key={departmentId}>
                                <SelectLabel>{department.name}</SelectLabel>
                                {department.categories.map((category) => (
                                  <SelectItem key={category.id} value={category.id}>
                                    {category.name}
                                  </SelectItem>
                                ))}
                              </SelectGroup>
                            ))}
                          </SelectContent>
                        </Select>
                      )}
                      <FormDescription>{selected?.description ?? t('categoryHint')}</FormDescription>
                      <FormMessage />
                    </FormItem>
                  )}
                />
                <FormField
                  control={form.control}
                  name="title"
                  render={({ field }) => (
                    <FormItem>
                      <FormLabel>{t('title')}</FormLabel>
                      <FormControl>
                        <Input placeholder={t('eGVpnDrops')} {...field} />
                      </FormControl>
                      {/* No maxLength: a pasted title is kept whole, and the counter says how much to cut. */}
                      <FormDescription data-testid="title-counter" className={titleLength > TITLE_MAX ? 'text-destructive' : undefined}>
                        {t('characters', { length: titleLength, max: TITLE_MAX })}{titleLength > TITLE_MAX ? t('tooManyPutThe', { value: titleLength - TITLE_MAX }) : ''}
                      </FormDescription>
                      <FormMessage />
                    </FormItem>
                  )}
                />
                <FormField
                  control={form.control}
                  name="description"
                  render={({ field }) => (
                    <FormItem>
                      <FormLabel>{t('description')}</FormLabel>
                      <FormControl>
                        <Textarea rows={6} className="min-h-32" placeholder={t('whatHappensSinceWhen')} maxLength={10_000} {...field} />
                      </FormControl>
                      <FormMessage />
                    </FormItem>
                  )}
                />
                <div className="grid gap-4 sm:grid-cols-2">
                  {(['impact', 'urgency'] as const).map((name) => (
                    <FormField
                      key={name}
                      control={form.control}
                      name={name}
                      render={({ field }) => (
                        <FormItem className="min-w-0">
                          <FormLabel>{name === 'impact' ? t('whoIsAffectedImpact') : t('howPressingIsIt')}</FormLabel>
                          <Select value={field.value ?? 'MEDIUM'} onValueChange={field.onChange}>
                            <FormControl>
                              <SelectTrigger className="w-full min-w-0">
                                <SelectValue />
                              </SelectTrigger>
                            </FormControl>
                            <SelectContent>
                              {[...INCIDENT_LEVELS].reverse().map((level) => (
                                <SelectItem key={level} value={level}>
                                  {labels.level(level)} <span className="text-muted-foreground">— {t(`hint.${name}.${level}`)}</span>
                                </SelectItem>
                              ))}
                            </SelectContent>
                          </Select>
                          <FormMessage />
                        </FormItem>
                      )}
                    />
                  ))}
                </div>
                <p className="text-sm text-muted-foreground" data-testid="derived-priority">
                  {priority ? <>{t.rich('priority', { priority: labels.priority(priority), strong: (chunks) => <strong className="text-foreground">{chunks}</strong> })} </> : null}
                  {t('itSetsHowFast')}
                </p>
                <div className="flex items-center justify-end gap-2 pt-2">
                  <Button variant="ghost" asChild>
                    <Link href="/incidents">{t('cancel')}</Link>
                  </Button>
                  <Button type="submit" disabled={create.isPending}>
                    {create.isPending ? <Loader2 className="animate-spin" /> : null}
                    {t('reportIncident')}
                  </Button>
                </div>
              </form>
            </Form>
          </CardContent>
        </Card>
      )}
    </div>
  );
}
