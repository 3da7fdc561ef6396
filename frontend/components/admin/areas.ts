import { Activity, Building2, CalendarClock, Grid3x3, History, KeyRound, Mail, Siren, Tags, Timer, Users, Webhook, type LucideIcon } from 'lucide-react';

/** The areas of Administration: each is its own page under `/admin/<slug>`, so each can be linked to. */
export const ADMIN_AREAS: { slug: string; label: string; icon: LucideIcon; description: string }[] = [
  { slug: 'users', label: 'Users', icon: Users, description: 'The people who can sign in, their roles and departments.' },
  { slug: 'departments', label: 'Departments', icon: Building2, description: 'The teams incidents are routed to.' },
  { slug: 'categories', label: 'Categories', icon: Tags, description: 'What reporters choose from; each category belongs to a department.' },
  { slug: 'sla', label: 'SLA policies', icon: Timer, description: 'How quickly the desk responds to and resolves each priority.' },
  { slug: 'calendars', label: 'Calendars', icon: CalendarClock, description: 'Business hours and holidays the SLA clock counts in, per department.' },
  { slug: 'priority-matrix', label: 'Priority matrix', icon: Grid3x3, description: 'The priority each impact and urgency gives.' },
  { slug: 'escalations', label: 'Escalations', icon: Siren, description: 'Who is told before a target passes, and what happens when it is missed.' },
  { slug: 'integrations', label: 'Integrations', icon: KeyRound, description: 'Service accounts that let other systems report incidents.' },
  { slug: 'webhooks', label: 'Webhooks', icon: Webhook, description: 'Other systems told about events as they happen, and every delivery to them.' },
  { slug: 'mail', label: 'Mail', icon: Mail, description: 'The mail the desk has sent and received, and what became of each.' },
  { slug: 'events', label: 'Event health', icon: Activity, description: 'The events between the desk’s services, and any that are stuck.' },
  { slug: 'audit', label: 'Audit', icon: History, description: 'Every administrative change: who made it and when.' },
];
