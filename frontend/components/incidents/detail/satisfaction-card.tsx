'use client';

import { useTranslations } from 'next-intl';
import { Loader2, Smile } from 'lucide-react';
import { useSearchParams } from 'next/navigation';
import { useState } from 'react';
import { toast } from 'sonner';
import type { Incident } from '@desk/contracts';
import { RatingChooser } from '@/components/satisfaction/rating-chooser';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { Label } from '@/components/ui/label';
import { Textarea } from '@/components/ui/textarea';
import type { Viewer } from '@/lib/lifecycle';
import { useRateIncident } from '@/lib/mutations/collaboration';
import { useSatisfaction } from '@/lib/queries';
import { useFormat } from '@/lib/i18n/use-format';
import { useDescribeError } from '@/lib/i18n/errors';

/**
 * Once an incident is resolved or closed: its reporter rates it (1–5 and a comment, changeable
 * for 7 days; a mail's `?rate=N` link chooses N ahead), everyone else who sees it reads the rating.
 */
export function SatisfactionCard({ incident, viewer }: { incident: Incident; viewer: Viewer }) {
  const tRating = useTranslations('incidents.rating');
  const t = useTranslations('incidents.satisfactionCard');
  const describe = useDescribeError();
  const format = useFormat();
  const resolved = incident.status === 'RESOLVED' || incident.status === 'CLOSED';
  const satisfaction = useSatisfaction(incident.id, resolved);
  const asked = Number(useSearchParams().get('rate'));
  const [choice, setChoice] = useState<number | null>(asked >= 1 && asked <= 5 && Number.isInteger(asked) ? asked : null);
  const [comment, setComment] = useState<string | null>(null);
  const rate = useRateIncident(incident);
  if (!resolved || !satisfaction.data) return null;
  const current = satisfaction.data;
  const isReporter = viewer.id === incident.reporterId;
  if (!isReporter && current.rating === null) return null;

  const rating = choice ?? current.rating;
  const text = comment ?? current.comment ?? '';
  const save = () =>
    rating !== null &&
    rate.mutate(
      { rating, comment: text.trim() || null },
      {
        onSuccess: () => {
          toast.success(t('thankYouRatedOf', { key: incident.key, rating }));
          setChoice(null);
          setComment(null);
        },
        onError: (error) => toast.error(describe(error).title, { description: describe(error).detail }),
      },
    );

  return (
    <Card className="gap-3">
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <Smile className="size-4" aria-hidden /> {isReporter ? t('howDidWeDo') : t('theReporterSRating')}
        </CardTitle>
      </CardHeader>
      <CardContent className="space-y-3 text-sm">
        {isReporter && current.canRate ? (
          <>
            <RatingChooser value={rating} onChange={setChoice} disabled={rate.isPending} />
            <div className="space-y-1.5">
              <Label htmlFor="satisfaction-comment">{t('tellUsMoreOptional')}</Label>
              <Textarea id="satisfaction-comment" rows={3} maxLength={2000} value={text} onChange={(event) => setComment(event.target.value)} placeholder={t('whatWentWellOr')} />
            </div>
            <Button className="w-full" onClick={save} disabled={rating === null || rate.isPending}>
              {rate.isPending ? <Loader2 className="animate-spin" /> : null}
              {current.rating === null ? t('sendMyRating') : t('changeMyRating')}
            </Button>
            {current.changeableUntil ? <p className="text-xs text-muted-foreground">{t('youCanChangeIt', { until: format.dateTime(current.changeableUntil) })}</p> : null}
          </>
        ) : current.rating !== null ? (
          <>
            <p>
              <span className="text-2xl font-semibold">{current.rating}</span> <span className="text-muted-foreground">{t('of5', { value: tRating(`word${current.rating as 1 | 2 | 3 | 4 | 5}`) })}</span>
            </p>
            {current.comment ? <p className="whitespace-pre-wrap">{current.comment}</p> : null}
            <p className="text-xs text-muted-foreground">{t('rated', { when: format.dateTime(current.ratedAt!) })}</p>
          </>
        ) : (
          <p className="text-muted-foreground">{t('theTimeToRate')}</p>
        )}
      </CardContent>
    </Card>
  );
}
