import type { DeliveryStatus, EventConsumer, InboundMailStatus, IncidentStatus, ParkedEventStatus, WebhookDeliveryStatus } from '@desk/contracts';
import type { AnalyticsFilters } from './analytics';
import type { AuditQuery } from './audit';
import type { IncidentFilters } from './incidents';

/** Query keys: one place, so mutations invalidate exactly what they change. */
export const keys = {
  incidents: ['incidents'] as const,
  incidentList: (filters: IncidentFilters) => ['incidents', 'list', filters] as const,
  incident: (key: string) => ['incidents', 'detail', key] as const,
  incidentBoard: ['incidents', 'board'] as const,
  incidentBoardColumn: (filters: IncidentFilters, status: IncidentStatus) => ['incidents', 'board', filters, status] as const,
  dashboard: (...parts: unknown[]) => ['incidents', 'dashboard', ...parts] as const,
  comments: (id: string) => ['incidents', 'comments', id] as const,
  timeline: (id: string) => ['incidents', 'timeline', id] as const,
  attachments: (id: string) => ['incidents', 'attachments', id] as const,
  /** An image's thumbnail as an object URL (the API needs the token, so <img src> cannot ask for it). */
  thumbnail: (attachmentId: string) => ['attachments', 'thumbnail', attachmentId] as const,
  incidentPeople: (id: string) => ['incidents', 'people', id] as const,
  watchers: (id: string) => ['incidents', 'watchers', id] as const,
  satisfaction: (id: string) => ['incidents', 'satisfaction', id] as const,
  analyticsSatisfaction: (filters: unknown) => ['analytics', 'satisfaction', filters] as const,
  watcherCandidates: (id: string, q: string) => ['incidents', 'watcher-candidates', id, q] as const,
  mentionable: (id: string, q: string, internal: boolean) => ['incidents', 'mentionable', id, q, internal] as const,
  links: (id: string) => ['incidents', 'links', id] as const,
  major: (id: string) => ['incidents', 'major', id] as const,
  /** The ongoing major incidents that affect the signed-in person (the banner). */
  majorNotices: ['incidents', 'major-notices'] as const,
  /** The command palette's search for incidents by words. */
  incidentSearch: (q: string) => ['incidents', 'palette', q] as const,
  categories: (includeInactive: boolean) => ['categories', includeInactive] as const,
  departments: ['departments'] as const,
  users: (filters: Record<string, string | undefined>) => ['users', filters] as const,
  allUsers: ['users'] as const,
  /** How many people a directory filter holds (`GET /users/count`): under `users`, so every change of an account refreshes it. */
  userCount: (filters: Record<string, string | undefined>) => ['users', 'count', filters] as const,
  allCategories: ['categories'] as const,
  slaPolicies: ['sla-policies'] as const,
  escalationRules: ['escalation-rules'] as const,
  priorityMatrix: ['priority-matrix'] as const,
  calendars: ['calendars'] as const,
  /** Who takes new incidents from the routing, per department (all of them: `availability`). */
  availability: (departmentId: string | null) => ['availability', departmentId] as const,
  allAvailability: ['availability'] as const,
  notifications: ['notifications'] as const,
  notificationList: (unread: boolean) => ['notifications', 'list', unread] as const,
  unread: ['notifications', 'unread'] as const,
  preferences: ['notifications', 'preferences'] as const,
  analytics: (part: string, filters: AnalyticsFilters) => ['analytics', part, filters] as const,
  ownMfa: ['mfa'] as const,
  views: ['views'] as const,
  userMfa: (id: string) => ['users', 'mfa', id] as const,
  serviceAccounts: ['admin', 'service-accounts'] as const,
  webhooks: ['admin', 'webhooks'] as const,
  webhook: (id: string) => ['admin', 'webhooks', id] as const,
  webhookDeliveries: (id: string, status: WebhookDeliveryStatus | 'all') => ['admin', 'webhooks', id, 'deliveries', status] as const,
  mailDeliveries: (status: DeliveryStatus | 'all') => ['admin', 'deliveries', status] as const,
  inboundMails: (status: InboundMailStatus | 'all') => ['admin', 'inbound-mails', status] as const,
  /** Every read of parked events: the lists and how the consumers stand. */
  parkedEvents: ['admin', 'parked-events'] as const,
  parkedEventList: (status: ParkedEventStatus, consumer: EventConsumer | 'all') => ['admin', 'parked-events', status, consumer] as const,
  eventConsumerStates: ['admin', 'parked-events', 'summary'] as const,
  parkedEvent: (id: string) => ['admin', 'parked-event', id] as const,
  audit: (query: AuditQuery) => ['admin', 'audit', query] as const,
};
