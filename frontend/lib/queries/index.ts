// The portal's reads: TanStack Query hooks by area, with every query key in `keys.ts`.
// Import them from `@/lib/queries`.

export { keys } from './keys';
export {
  DEFAULT_INCIDENT_FILTERS,
  DUE_SOON_HOURS,
  incidentFilterQuery,
  incidentQuery,
  useBoardColumn,
  useComments,
  useIncident,
  useIncidentCount,
  useIncidentCounts,
  useIncidents,
  useIncidentSearch,
  useIncidentSample,
  useSavedViews,
  useTimeline,
  type IncidentFilters,
} from './incidents';
export { useAvailability, useCalendars, useCategories, useDepartments, usePriorityMatrix, useSlaPolicies } from './organisation';
export { allUsers, useOwnMfa, usePeopleDirectory, useUserMfa, useUsers } from './people';
export { useNotificationPreferences, useNotifications, useUnreadCount } from './notifications';
export { analyticsQuery, useAnalyticsSatisfaction, useAnalyticsSummaries, useAnalyticsSummary, useAnalyticsTrends, useAnalyticsWorkload, type AnalyticsFilters } from './analytics';
export { useInboundMails, useMailDeliveries, useServiceAccounts } from './integrations';
export { useWebhook, useWebhookDeliveries, useWebhooks } from './webhooks';
export { useEventConsumerStates, useParkedEvent, useParkedEvents, type ParkedEventFilters } from './events';
export { useActiveUserCount, useDailyTrend, useEventHealth, useFailedMailPage, useServiceAccountPage } from './dashboard';
export { useAuditTrail, useRecentChanges, type AuditQuery } from './audit';
export { useEscalationRules } from './escalations';
export { useIncidentLinks, useMajorIncident, useMajorNotices, useMentionable, useSatisfaction, useWatcherCandidates, useWatchers } from './collaboration';
