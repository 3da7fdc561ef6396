import type { IncidentLevel, IncidentPriority, IncidentStatus, UserRole } from '@desk/contracts';

export const STATUS_LABELS: Record<IncidentStatus, string> = {
  OPEN: 'Open',
  IN_PROGRESS: 'In progress',
  RESOLVED: 'Resolved',
  CLOSED: 'Closed',
  CANCELLED: 'Cancelled',
};

export const PRIORITY_LABELS: Record<IncidentPriority, string> = {
  LOW: 'Low',
  MEDIUM: 'Medium',
  HIGH: 'High',
  CRITICAL: 'Critical',
};

/** Impact and urgency, as the report form and the incident page say them. */
export const LEVEL_LABELS: Record<IncidentLevel, string> = { LOW: 'Low', MEDIUM: 'Medium', HIGH: 'High' };

export const ROLE_LABELS: Record<UserRole, string> = {
  reporter: 'Reporter',
  staff: 'Staff',
  manager: 'Manager',
  admin: 'Administrator',
};

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['week', 7 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** "in 3 hours", "2 days ago", "just now". */
export function relativeTime(iso: string, now: number): string {
  const difference = Date.parse(iso) - now;
  const magnitude = Math.abs(difference);
  if (magnitude < 45_000) return 'just now';
  const format = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (magnitude >= size || unit === 'minute') return format.format(Math.round(difference / size), unit);
  }
  return format.format(0, 'minute');
}

/** How dates and times are written, chosen on the profile page and kept in this browser. */
export const DATE_FORMATS = [
  { value: 'en-GB', label: '12 Mar 2026, 14:05' },
  { value: 'en-US', label: 'Mar 12, 2026, 2:05 PM' },
  { value: 'de-DE', label: '12. März 2026, 14:05' },
  { value: 'fr-FR', label: '12 mars 2026, 14:05' },
  { value: 'es-ES', label: '12 mar 2026, 14:05' },
] as const;
export type DateFormatLocale = (typeof DATE_FORMATS)[number]['value'];
const DATE_FORMAT_KEY = 'desk.dateFormat';
let dateLocale: DateFormatLocale | undefined;

export function dateFormatLocale(): DateFormatLocale {
  if (dateLocale) return dateLocale;
  const stored = typeof window === 'undefined' ? null : window.localStorage.getItem(DATE_FORMAT_KEY);
  dateLocale = DATE_FORMATS.find((format) => format.value === stored)?.value ?? 'en-GB';
  return dateLocale;
}

export function setDateFormatLocale(locale: DateFormatLocale): void {
  dateLocale = locale;
  window.localStorage.setItem(DATE_FORMAT_KEY, locale);
}

/** "12 Mar 2026, 14:05" in the viewer's time zone, written as the viewer chose. */
export function dateTime(iso: string): string {
  return new Intl.DateTimeFormat(dateFormatLocale(), { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}

/** 90 → "1 min 30 s"; 5400 → "1 h 30 min"; 200000 → "2 d 7 h". */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  const total = Math.round(seconds);
  if (total < 60) return `${total} s`;
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3_600);
  const minutes = Math.floor((total % 3_600) / 60);
  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`;
  const rest = total % 60;
  return rest > 0 && minutes < 10 ? `${minutes} min ${rest} s` : `${minutes} min`;
}

/** 0.934 → "93.4 %"; null → "—". */
export function percent(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined) return '—';
  return `${(ratio * 100).toFixed(ratio === 1 || ratio === 0 ? 0 : 1)} %`;
}

/** "Ana Lima" → "AL". */
export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return ((parts[0]?.[0] ?? '') + (parts.length > 1 ? (parts.at(-1)?.[0] ?? '') : '')).toUpperCase() || '?';
}

/** A file's size as people read it: `820 bytes`, `48 KB`, `24.9 MB` (binary units, as the API's limits count). */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 2) return `${+(bytes / 1024 ** 2).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}
