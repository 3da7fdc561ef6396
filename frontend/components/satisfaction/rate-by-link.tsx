'use client';

import { useTranslations } from 'next-intl';
import { CheckCircle2, Loader2 } from 'lucide-react';
import { useParams, useSearchParams } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import type { Satisfaction } from '@desk/contracts';
import { FormError, MobileBrand } from '@/components/auth-forms';
import { Button } from '@/components/ui/button';
import { Label } from '@/components/ui/label';
import { Textarea } from '@/components/ui/textarea';
import { ApiError } from '@/lib/api-client';
import { useApiUrl } from '@/lib/session';
import { RatingChooser } from './rating-chooser';
import { useFormat } from '@/lib/i18n/use-format';

async function putRating(apiUrl: string, token: string, body: { rating: number; comment?: string | null }): Promise<Satisfaction> {
  let response: Response;
  try {
    response = await fetch(`${apiUrl}/satisfaction/${encodeURIComponent(token)}`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  } catch (cause) {
    throw ApiError.unreachable(cause);
  }
  if (!response.ok) throw await ApiError.fromResponse(response);
  return (await response.json()) as Satisfaction;
}

/**
 * The page a resolution mail's rating link opens: the rating in the link is recorded as soon as
 * the page has loaded (a request the page makes, not the link itself, so mail scanners that
 * follow links record nothing), then the reporter may add a comment or choose again.
 */
export function RateByLink() {
  const format = useFormat();
  const t = useTranslations('auth.rate');
  const apiUrl = useApiUrl();
  const { token } = useParams<{ token: string }>();
  const asked = Number(useSearchParams().get('rating'));
  const [rating, setRating] = useState<number | null>(asked >= 1 && asked <= 5 && Number.isInteger(asked) ? asked : null);
  const [comment, setComment] = useState('');
  const [saved, setSaved] = useState<Satisfaction | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [thanked, setThanked] = useState(false);
  const started = useRef(false);

  const save = async (value: number, withComment?: string) => {
    setBusy(true);
    setError(null);
    try {
      const result = await putRating(apiUrl, token, { rating: value, ...(withComment !== undefined ? { comment: withComment.trim() || null } : {}) });
      setSaved(result);
      setRating(result.rating);
      if (withComment !== undefined) setThanked(true);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    if (started.current || rating === null) return;
    started.current = true;
    void save(rating);
    // Once, with the rating the link carries.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  if (thanked && saved) {
    return (
      <>
        <MobileBrand />
        <h1 className="flex items-center gap-2 text-2xl font-semibold tracking-tight">
          <CheckCircle2 className="size-6 text-primary" aria-hidden />{' '}{t('thankYou')}
        </h1>
        <p className="mt-2 text-sm text-muted-foreground" data-testid="done-message">
          {saved.changeableUntil ? t('savedUntil', { key: saved.incidentKey, until: format.date(saved.changeableUntil) }) : t('saved', { key: saved.incidentKey })}
        </p>
      </>
    );
  }
  return (
    <>
      <MobileBrand />
      <h1 className="text-2xl font-semibold tracking-tight">{t('howDidWeDo')}</h1>
      <p className="mt-1 mb-6 text-sm text-muted-foreground">
        {saved ? t('yourRatingOfIs', { incidentKey: saved.incidentKey }) : t('rateHowYourIncident')}
      </p>
      <div className="space-y-4">
        <FormError error={error} />
        <RatingChooser value={rating} onChange={(value) => void save(value)} disabled={busy || (error instanceof ApiError && error.status === 404)} />
        <div className="space-y-1.5">
          <Label htmlFor="rating-comment">{t('tellUsMoreOptional')}</Label>
          <Textarea id="rating-comment" value={comment} onChange={(event) => setComment(event.target.value)} maxLength={2000} rows={4} placeholder={t('whatWentWellOr')} />
        </div>
        <Button className="w-full" disabled={busy || rating === null} onClick={() => rating !== null && void save(rating, comment)}>
          {busy ? <Loader2 className="animate-spin" /> : null}
          {saved ? t('saveTheComment') : t('saveMyRating')}
        </Button>
      </div>
    </>
  );
}
