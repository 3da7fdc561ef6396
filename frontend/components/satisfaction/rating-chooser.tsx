'use client';

import { useTranslations } from 'next-intl';
import { cn } from '@/lib/utils';

/** The ratings, 1 (very dissatisfied) to 5 (very satisfied); their words are `incidents.rating.word<n>`. */
export const RATINGS = [1, 2, 3, 4, 5] as const;

/** Ratings 1 to 5 as a row of radio buttons, each with its word; arrow keys move between them. */
export function RatingChooser({ value, onChange, disabled, label }: { value: number | null; onChange: (rating: number) => void; disabled?: boolean; label?: string }) {
  const t = useTranslations('incidents.rating');
  return (
    <div role="radiogroup" aria-label={label ?? t('yourRating')} className="grid grid-cols-5 gap-1.5">
      {RATINGS.map((rating) => {
        const word = t(`word${rating}`);
        const checked = value === rating;
        return (
          <button
            key={word}
            type="button"
            role="radio"
            aria-checked={checked}
            aria-label={`${rating}: ${word}`}
            tabIndex={checked || (value === null && rating === 1) ? 0 : -1}
            disabled={disabled}
            onClick={() => onChange(rating)}
            onKeyDown={(event) => {
              if (event.key === 'ArrowRight' || event.key === 'ArrowUp') onChange(Math.min(5, (value ?? 0) + 1));
              if (event.key === 'ArrowLeft' || event.key === 'ArrowDown') onChange(Math.max(1, (value ?? 2) - 1));
            }}
            className={cn(
              'flex flex-col items-center gap-0.5 rounded-md border px-1 py-2 text-center transition-colors focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none disabled:opacity-50',
              checked ? 'border-primary bg-primary text-primary-foreground' : 'hover:bg-muted',
            )}
          >
            <span className="text-lg leading-none font-semibold">{rating}</span>
            <span className={cn('text-[10px] leading-tight', checked ? 'text-primary-foreground/90' : 'text-muted-foreground')}>{word}</span>
          </button>
        );
      })}
    </div>
  );
}
