'use client';

import { useState } from 'react';
import { ThemePicker } from '@/components/shell/theme';
import { Label } from '@/components/ui/label';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import { DATE_FORMATS, dateFormatLocale, dateTime, setDateFormatLocale, type DateFormatLocale } from '@/lib/format';

/** Theme, language and how dates are written: this browser's settings. */
export function AppearanceSettings() {
  const [locale, setLocale] = useState<DateFormatLocale>(() => dateFormatLocale());
  return (
    <div className="grid gap-5 sm:grid-cols-2">
      <div className="space-y-2">
        <div className="text-sm font-medium" id="theme-label">
          Theme
        </div>
        <ThemePicker />
        <p className="text-xs text-muted-foreground">System follows your device’s light or dark setting.</p>
      </div>
      <div className="space-y-2">
        <div className="text-sm font-medium">Language</div>
        <p className="text-sm">English</p>
        <p className="text-xs text-muted-foreground">The portal and its mails are in English; more languages are not offered yet.</p>
      </div>
      <div className="space-y-2 sm:col-span-2">
        <Label htmlFor="date-format">Dates and times</Label>
        <Select
          value={locale}
          onValueChange={(value) => {
            setDateFormatLocale(value as DateFormatLocale);
            setLocale(value as DateFormatLocale);
          }}
        >
          <SelectTrigger id="date-format" className="w-full max-w-xs">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            {DATE_FORMATS.map((format) => (
              <SelectItem key={format.value} value={format.value}>
                {format.label}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
        <p className="text-xs text-muted-foreground" data-testid="date-format-example">
          Now: {dateTime(new Date().toISOString())} · kept in this browser, in your time zone.
        </p>
      </div>
    </div>
  );
}
