import { Activity, Building2, CalendarClock, Grid3x3, History, KeyRound, Mail, Siren, Tags, Timer, Users, Webhook, type LucideIcon } from 'lucide-react';

export type AdminAreaKey = 'users' | 'departments' | 'categories' | 'sla' | 'calendars' | 'priorityMatrix' | 'escalations' | 'integrations' | 'webhooks' | 'mail' | 'events' | 'audit';

/** The areas of Administration: each is its own page under `/admin/<slug>`, so each can be linked to. */
/** Each area's label and description are the catalogue's `admin.areas.<key>.label` / `.description`. */
export const ADMIN_AREAS: { slug: string; key: AdminAreaKey; icon: LucideIcon }[] = [
  { slug: 'users', key: 'users', icon: Users },
  { slug: 'departments', key: 'departments', icon: Building2 },
  { slug: 'categories', key: 'categories', icon: Tags },
  { slug: 'sla', key: 'sla', icon: Timer },
  { slug: 'calendars', key: 'calendars', icon: CalendarClock },
  { slug: 'priority-matrix', key: 'priorityMatrix', icon: Grid3x3 },
  { slug: 'escalations', key: 'escalations', icon: Siren },
  { slug: 'integrations', key: 'integrations', icon: KeyRound },
  { slug: 'webhooks', key: 'webhooks', icon: Webhook },
  { slug: 'mail', key: 'mail', icon: Mail },
  { slug: 'events', key: 'events', icon: Activity },
  { slug: 'audit', key: 'audit', icon: History },
];
