import { z } from 'zod';
import { attachmentListSchema, attachmentSchema, attachmentUploadSchema } from './attachments.js';
import {
  createIncidentLinkBodySchema,
  declareMajorBodySchema,
  incidentLinkListSchema,
  incidentLinkSchema,
  majorIncidentNoticeListSchema,
  majorIncidentSchema,
  majorUpdateBodySchema,
  majorUpdateSchema,
  mentionableListSchema,
  postIncidentReviewBodySchema,
  postIncidentReviewSchema,
  watcherCandidateListSchema,
  watcherListSchema,
  watcherSchema,
} from './collaboration.js';
import { auditEntryPageSchema, auditEntrySchema } from './audit.js';
import { putSatisfactionBodySchema, satisfactionSchema } from './satisfaction.js';
import {
  createWebhookBodySchema,
  rotateWebhookSecretBodySchema,
  updateWebhookBodySchema,
  webhookDeliveryPageSchema,
  webhookDeliverySchema,
  webhookListSchema,
  webhookPayloadSchema,
  webhookSchema,
  webhookWithSecretSchema,
} from './webhooks.js';
import { analyticsSatisfactionSchema, analyticsSummarySchema, analyticsTrendsSchema, analyticsWorkloadSchema, rebuildResultSchema } from './analytics-api.js';
import {
  createDepartmentBodySchema,
  createdServiceAccountSchema,
  createServiceAccountBodySchema,
  createUserBodySchema,
  changePasswordBodySchema,
  departmentSchema,
  forgotPasswordBodySchema,
  loginBodySchema,
  mfaConfirmBodySchema,
  mfaEnableBodySchema,
  mfaLoginBodySchema,
  mfaLoginSetupBodySchema,
  mfaSetupBodySchema,
  mfaSetupSchema,
  mfaStatusSchema,
  mfaTokenResponseSchema,
  recoveryCodesSchema,
  registrationAcceptedSchema,
  resetPasswordBodySchema,
  verifyEmailBodySchema,
  meSchema,
  refreshBodySchema,
  logoutBodySchema,
  registerBodySchema,
  serviceAccountSchema,
  tokenResponseSchema,
  updateDepartmentBodySchema,
  updateProfileBodySchema,
  updateUserBodySchema,
  userCountSchema,
  userPageSchema,
  userSchema,
} from './identity.js';
import { localeSchema, updateLocaleBodySchema } from './locales.js';
import { inboundMailPageSchema, inboundMailSchema, inboundMailStatusSchema } from './mail-in.js';
import {
  assignIncidentBodySchema,
  categorySchema,
  commentSchema,
  createCategoryBodySchema,
  createCommentBodySchema,
  createIncidentBodySchema,
  incidentCountSchema,
  incidentPageSchema,
  incidentPeopleSchema,
  incidentSchema,
  slaPolicySchema,
  timelineEntrySchema,
  updateCategoryBodySchema,
  updateIncidentBodySchema,
  updateSlaPolicyBodySchema,
  startWaitingBodySchema,
} from './incident-api.js';
import {
  availabilityListSchema,
  availabilitySchema,
  putAvailabilityBodySchema,
  calendarAssignmentBodySchema,
  calendarAssignmentSchema,
  calendarListSchema,
  calendarSchema,
  createCalendarBodySchema,
  priorityMatrixSchema,
  updateCalendarBodySchema,
  updatePriorityMatrixBodySchema,
} from './calendars.js';
import { createEscalationRuleBodySchema, escalationRuleListSchema, escalationRuleSchema, updateEscalationRuleBodySchema } from './escalations.js';
import { createSavedViewBodySchema, savedViewListSchema, savedViewSchema, updateSavedViewBodySchema } from './saved-views.js';
import {
  deliverySchema,
  notificationPageSchema,
  notificationSchema,
  preferencesSchema,
  putPreferencesBodySchema,
  readAllResultSchema,
} from './notification-api.js';
import {
  discardParkedEventBodySchema,
  parkedEventDetailSchema,
  parkedEventListSchema,
  parkedEventSchema,
  replayParkedEventsBodySchema,
  replayParkedEventsResultSchema,
} from './events-admin.js';
import { browserTraceExportResultSchema, browserTraceExportSchema } from './browser-traces.js';
import { pageSchema } from './pagination.js';
import { problemDetailsSchema } from './problem.js';

// The public names of the API's bodies, each with an example, in one table. The OpenAPI
// documents make each named schema a component (`#/components/schemas/Incident`), so clients
// generated from the gateway's document get these names; a name is part of the API: renaming
// one breaks those clients. Names are unique across services (the gateway refuses two different
// schemas under one name).

/** Lists that are one page or the whole collection, named here because their items are. */
export const commentPageSchema = pageSchema(commentSchema);
export const timelineEntryPageSchema = pageSchema(timelineEntrySchema);
export const serviceAccountPageSchema = pageSchema(serviceAccountSchema);
export const deliveryPageSchema = pageSchema(deliverySchema);
export const categoryListSchema = z.object({ items: z.array(categorySchema) });
export const departmentListSchema = z.object({ items: z.array(departmentSchema) });
export const slaPolicyListSchema = z.object({ items: z.array(slaPolicySchema) });
/** A 202 whose only content is what happens next (password-reset requests). */
export const acceptedMessageSchema = z.object({ message: z.string() });

const ids = {
  incident: '3f1c2a9e-5b7d-4c1e-9a2b-6d8e0f1a2b3c',
  user: '0b6e4a1c-2d3f-4e5a-8b9c-1d2e3f4a5b6c',
  staff: '7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f',
  department: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
  category: 'c0ffee00-1234-4abc-9def-0123456789ab',
  comment: 'd4e5f6a7-b8c9-4d0e-9f1a-2b3c4d5e6f70',
  serviceAccount: 'e5f6a7b8-c9d0-4e1f-8a2b-3c4d5e6f7a8b',
  notification: 'f6a7b8c9-d0e1-4f2a-9b3c-4d5e6f7a8b9c',
  event: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5e',
} as const;
const at = '2026-03-02T09:15:00.000Z';
const later = '2026-03-02T10:40:00.000Z';

const user = {
  id: ids.user,
  email: 'ana.silva@example.com',
  fullName: 'Ana Silva',
  role: 'reporter',
  departmentId: null,
  isActive: true,
  locale: 'en',
  createdAt: at,
  updatedAt: at,
  version: 1,
};
const inboundMail = {
  id: '0b9c2f4e-7d1a-4c3b-9e8f-5a6b7c8d9e0f',
  messageId: '<CAF4x2=ana@mail.example.com>',
  recipient: 'desk@example.com',
  sender: 'ana.silva@example.com',
  senderName: 'Ana Silva',
  subject: 'Printer on floor 3 jams',
  sizeBytes: 48213,
  status: 'filed',
  outcome: 'incident',
  incidentId: ids.incident,
  incidentKey: 'INC-000123',
  commentId: null,
  attachmentCount: 1,
  attachmentsFiled: 1,
  skippedAttachments: [],
  attempts: 1,
  lastError: null,
  receivedAt: at,
  filedAt: at,
};
const department = { id: ids.department, name: 'IT Operations', description: 'Servers, network and workplace IT.', createdAt: at, updatedAt: at, version: 1 };
const category = { id: ids.category, name: 'Network', description: 'Wi-Fi, VPN and cabling.', departmentId: ids.department, isActive: true, assignment: 'round_robin', defaultAssigneeId: null, maxOpenPerPerson: 10, createdAt: at, updatedAt: at };
const incident = {
  id: ids.incident,
  key: 'INC-000042',
  title: 'VPN drops every few minutes',
  description: 'Since this morning the VPN disconnects about every five minutes on the office Wi-Fi.',
  status: 'IN_PROGRESS',
  priority: 'HIGH',
  reporterId: ids.user,
  departmentId: ids.department,
  categoryId: ids.category,
  assigneeId: ids.staff,
  version: 3,
  createdAt: at,
  updatedAt: later,
  respondedAt: later,
  resolvedAt: null,
  closedAt: null,
  responseDueAt: '2026-03-02T10:15:00.000Z',
  resolutionDueAt: '2026-03-02T17:15:00.000Z',
  responseBreachedAt: null,
  resolutionBreachedAt: null,
  slaBreached: false,
  reopenCount: 0,
  reopenedAt: null,
  impact: 'HIGH',
  urgency: 'MEDIUM',
  slaCalendarId: 'f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b',
  waiting: null,
  watcherIds: ['9d0e1f2a-3b4c-4d5e-8f6a-7b8c9d0e1f2a'],
  isMajor: false,
  reporterName: 'Ana Silva',
  assigneeName: 'Sam Lee',
};
const attachment = {
  id: '2b3c4d5e-6f70-4a1b-8c2d-3e4f5a6b7c8d',
  incidentId: ids.incident,
  commentId: null,
  fileName: 'vpn-error.png',
  contentType: 'image/png',
  sizeBytes: 48_213,
  sha256: '9f2c1e0b7a6d5c4b3a29180716f5e4d3c2b1a09f8e7d6c5b4a3928171605f4e3',
  isInternal: false,
  status: 'available',
  statusReason: null,
  uploadedById: ids.user,
  createdAt: later,
  contentUrl: '/attachments/2b3c4d5e-6f70-4a1b-8c2d-3e4f5a6b7c8d/content',
  thumbnailUrl: '/attachments/2b3c4d5e-6f70-4a1b-8c2d-3e4f5a6b7c8d/thumbnail',
};
const savedView = { id: 'b7c8d9e0-f1a2-4b3c-9d4e-5f6a7b8c9d0e', name: 'My urgent queue', query: 'status=OPEN%2CIN_PROGRESS&priority=CRITICAL&assignee=me', createdAt: at, updatedAt: later };
const comment = { id: ids.comment, incidentId: ids.incident, authorId: ids.staff, content: 'Replacing the access point on floor 2 now.', isInternal: false, mentionedIds: [], createdAt: later };
const watcher = { userId: '9d0e1f2a-3b4c-4d5e-8f6a-7b8c9d0e1f2a', fullName: 'Priya Natarajan', addedById: ids.user, createdAt: later };
const linkedIncident = { id: '5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b', key: 'INC-000040', title: 'Whole floor 2 offline', status: 'IN_PROGRESS', priority: 'CRITICAL', isMajor: true };
const link = { id: '6f7a8b9c-0d1e-4f2a-9b3c-4d5e6f7a8b9c', type: 'child_of', incident: linkedIncident, createdById: ids.staff, createdAt: later };
const review = { whatHappened: 'A firmware update rebooted every access point on floor 2 at once.', impact: '140 people without Wi-Fi for 2 h 10 min.', followUps: 'Stagger firmware updates (Sam, by 2026-03-09).' };
const majorUpdate = { id: '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d', message: 'Access points are coming back one by one; expect Wi-Fi on floor 2 by 11:30.', authorId: ids.staff, authorName: 'Sam Lee', createdAt: later };
const major = {
  incidentId: linkedIncident.id,
  key: linkedIncident.key,
  title: linkedIncident.title,
  status: 'IN_PROGRESS',
  summary: 'No Wi-Fi on floor 2. Use a cable or floor 3 meanwhile.',
  declaredById: ids.staff,
  declaredAt: at,
  updates: [majorUpdate],
  review: null,
};
const timelineEntry = { id: '7', action: 'status_changed', actorId: ids.staff, oldValue: 'OPEN', newValue: 'IN_PROGRESS', createdAt: later };
const slaPolicy = { priority: 'HIGH', responseMinutes: 60, resolutionMinutes: 480, updatedAt: at };
const officeHours = [{ start: '09:00', end: '12:30' }, { start: '13:30', end: '17:30' }];
const calendarWeek = { monday: officeHours, tuesday: officeHours, wednesday: officeHours, thursday: officeHours, friday: [{ start: '09:00', end: '15:00' }] };
const calendar = {
  id: 'f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b',
  name: 'Berlin office',
  timeZone: 'Europe/Berlin',
  week: calendarWeek,
  holidays: [{ date: '2026-12-25', name: 'Christmas Day' }, { date: '2026-12-26', name: 'Boxing Day' }],
  closures: [{ from: '2026-12-31T12:00:00Z', to: '2027-01-01T23:00:00Z', reason: 'Year-end closure' }],
  isDefault: false,
  departmentIds: [ids.department],
  version: 3,
  createdAt: at,
  updatedAt: later,
};
const availability = { userId: ids.staff, fullName: 'Sam Lee', role: 'staff', departmentId: ids.department, available: true, openIncidents: 6, updatedAt: later, updatedBy: ids.staff };
const escalationRule = {
  id: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  name: 'Warn at 80 %',
  priority: 'HIGH',
  target: 'resolution',
  thresholdPercent: 80,
  notify: { assignee: true, manager: true },
  raisePriority: false,
  reassign: 'none',
  isActive: true,
  createdAt: at,
  updatedAt: at,
};
const matrix = {
  HIGH: { HIGH: 'CRITICAL', MEDIUM: 'HIGH', LOW: 'MEDIUM' },
  MEDIUM: { HIGH: 'HIGH', MEDIUM: 'MEDIUM', LOW: 'LOW' },
  LOW: { HIGH: 'MEDIUM', MEDIUM: 'LOW', LOW: 'LOW' },
};
const serviceAccount = {
  id: ids.serviceAccount,
  name: 'Monitoring',
  clientId: 'sa_8f3k2m9q',
  scopes: ['incidents:read', 'incidents:write'],
  isActive: true,
  createdAt: at,
  lastUsedAt: later,
  revokedAt: null,
};
const notification = {
  id: ids.notification,
  type: 'incident.assigned',
  incidentId: ids.incident,
  incidentKey: 'INC-000042',
  headline: 'INC-000042 was assigned to you',
  detail: 'VPN drops every few minutes',
  actorId: ids.user,
  link: '/incidents/INC-000042',
  createdAt: later,
  readAt: null,
};
const delivery = {
  id: ids.notification,
  eventId: ids.event,
  eventType: 'incident.assigned',
  incidentId: ids.incident,
  incidentKey: 'INC-000042',
  userId: ids.staff,
  to: 'sam.lee@example.com',
  subject: '[INC-000042] assigned to you: VPN drops every few minutes',
  messageId: '<1a2b3c4d@desk.example.com>',
  status: 'SENT',
  attempts: 1,
  lastError: null,
  createdAt: later,
  nextAttemptAt: null,
  sentAt: later,
};
const webhook = {
  id: '5b6c7d8e-9f0a-4b1c-8d2e-3f4a5b6c7d8e',
  url: 'https://hooks.example.net/desk/incidents',
  events: ['incident.created', 'incident.status_changed'],
  description: 'Status page updater',
  status: 'ACTIVE',
  disabledReason: null,
  disabledAt: null,
  failingSince: null,
  previousSecretExpiresAt: null,
  createdById: ids.user,
  createdAt: at,
  updatedAt: at,
};
const webhookBody = JSON.stringify({ type: 'incident.status_changed', timestamp: later, data: { incident: { id: ids.incident, key: 'INC-000042' }, from: 'OPEN', to: 'IN_PROGRESS' } });
const webhookDelivery = {
  id: '6c7d8e9f-0a1b-4c2d-9e3f-4a5b6c7d8e9f',
  webhookId: webhook.id,
  messageId: ids.event,
  eventType: 'incident.status_changed',
  status: 'SUCCEEDED',
  attempts: 2,
  createdAt: later,
  nextAttemptAt: null,
  deliveredAt: later,
  request: {
    url: webhook.url,
    headers: { 'content-type': 'application/json', 'webhook-id': ids.event, 'webhook-timestamp': '1767225600', 'webhook-signature': 'v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=' },
    body: webhookBody,
  },
  attemptLog: [
    { attempt: 2, at: later, remoteAddress: '203.0.113.10', responseStatus: 204, durationMs: 84, responseBodyExcerpt: '', error: null },
    { attempt: 1, at: later, remoteAddress: '203.0.113.10', responseStatus: 503, durationMs: 120, responseBodyExcerpt: 'upstream unavailable', error: 'answered 503' },
  ],
};
const parkedEvent = {
  id: '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b',
  consumer: 'notification-service',
  eventId: ids.event,
  eventType: 'incident.assigned',
  subject: ids.incident,
  reason: 'connect ECONNREFUSED 10.0.4.12:5432',
  attempts: 9,
  firstFailedAt: at,
  parkedAt: later,
  status: 'parked',
  resolvedAt: null,
  resolvedBy: null,
  discardReason: null,
  replays: 0,
};
const auditEntry = {
  id: '1842',
  occurredAt: later,
  actor: { kind: 'user', id: ids.staff },
  sourceAddress: '203.0.113.24',
  action: 'user.updated',
  target: { type: 'user', id: ids.user },
  before: { ...user, role: 'reporter', departmentId: null },
  after: { ...user, role: 'staff', departmentId: ids.department, updatedAt: later, version: 2 },
};
const filters = { from: '2026-02-01T00:00:00.000Z', to: '2026-03-01T00:00:00.000Z', departmentId: null, categoryId: null, priority: null };
const durations = { count: 40, meanSeconds: 1800, medianSeconds: 1200, p90Seconds: 3600 };
const preferences = { items: [{ eventType: 'incident.assigned', email: true, inApp: true }, { eventType: 'incident.commented', email: false, inApp: true }] };

/** Every named schema: `[schema, name, examples]`. */
export const NAMED_SCHEMAS: [z.ZodType, string, unknown[]][] = [
  [problemDetailsSchema, 'Problem', [
    {
      type: '/problems/incident-invalid-transition',
      title: 'The incident cannot move to that status',
      status: 409,
      detail: 'An incident cannot go from CLOSED to IN_PROGRESS.',
      instance: '/incidents/INC-000042/status',
      code: 'INCIDENT.INVALID_TRANSITION',
      requestId: '5f0c6a1e9b2d4c3a',
    },
  ]],
  [userSchema, 'User', [user]],
  [userPageSchema, 'UserPage', [{ items: [user], nextCursor: null }]],
  [userCountSchema, 'UserCount', [{ count: 240, capped: false }]],
  [registerBodySchema, 'RegisterBody', [{ email: 'ana.silva@example.com', password: 'correct horse battery', fullName: 'Ana Silva', locale: 'de' }]],
  [registrationAcceptedSchema, 'RegistrationAccepted', [{ registration: 'verified', message: 'Check your mail: we sent the address a link to finish registering. The link lasts 24 hours.' }]],
  [verifyEmailBodySchema, 'VerifyEmailBody', [{ token: 'Vf3kT0q9aZ1yXbW2cD8eR7sU6gH5jL4mN0pQ1rS2tU3' }]],
  [changePasswordBodySchema, 'ChangePasswordBody', [{ currentPassword: 'correct horse battery', newPassword: 'kettle-orbit-meadow' }]],
  [forgotPasswordBodySchema, 'ForgotPasswordBody', [{ email: 'ana.silva@example.com' }]],
  [resetPasswordBodySchema, 'ResetPasswordBody', [{ token: 'Rp8mK2x7bQ4wZ9cV1nL6tY3hG5dF0sA2eJ7uI4oP8kM', newPassword: 'kettle-orbit-meadow' }]],
  [acceptedMessageSchema, 'AcceptedMessage', [{ message: 'If an active account has this address, we mailed it a link to choose a new password. The link lasts 30 minutes.' }]],
  [loginBodySchema, 'LoginBody', [{ email: 'ana.silva@example.com', password: 'correct horse battery' }]],
  [refreshBodySchema, 'RefreshTokenBody', [{ refreshToken: 'rt_9d8c7b6a5f4e3d2c1b0a' }]],
  [logoutBodySchema, 'LogoutBody', [{ refreshToken: 'rt_9d8c7b6a5f4e3d2c1b0a' }, {}]],
  [tokenResponseSchema, 'TokenResponse', [{ accessToken: 'eyJhbGciOiJFZERTQSJ9.e30.c2lnbmF0dXJl', refreshToken: 'rt_9d8c7b6a5f4e3d2c1b0a', tokenType: 'Bearer', expiresIn: 900, user }]],
  [mfaLoginBodySchema, 'MfaLoginBody', [{ challengeToken: 'Ch4lL3nG3t0k3nZ1yXbW2cD8eR7sU6gH5jL4mN0pQ1rS', code: '492039' }, { challengeToken: 'Ch4lL3nG3t0k3nZ1yXbW2cD8eR7sU6gH5jL4mN0pQ1rS', recoveryCode: 'k7pqm-3xw9t' }]],
  [mfaLoginSetupBodySchema, 'MfaLoginSetupBody', [{ challengeToken: 'Ch4lL3nG3t0k3nZ1yXbW2cD8eR7sU6gH5jL4mN0pQ1rS' }]],
  [mfaTokenResponseSchema, 'MfaTokenResponse', [{ accessToken: 'eyJhbGciOiJFZERTQSJ9.e30.c2lnbmF0dXJl', refreshToken: 'rt_9d8c7b6a5f4e3d2c1b0a', tokenType: 'Bearer', expiresIn: 900, user }]],
  [mfaSetupSchema, 'MfaSetup', [{ secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', otpauthUri: 'otpauth://totp/Service%20desk%20(desk.example.com):ana.silva%40example.com?issuer=Service%20desk%20(desk.example.com)&secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&algorithm=SHA1&digits=6&period=30', qrCode: 'data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=', expiresAt: '2026-03-02T09:30:00.000Z' }]],
  [mfaStatusSchema, 'MfaStatus', [{ enabled: true, enabledAt: '2026-03-02T09:16:00.000Z', recoveryCodesLeft: 9, required: false }]],
  [mfaSetupBodySchema, 'MfaSetupBody', [{ currentPassword: 'correct horse battery' }]],
  [mfaEnableBodySchema, 'MfaEnableBody', [{ code: '492039' }]],
  [mfaConfirmBodySchema, 'MfaConfirmBody', [{ currentPassword: 'correct horse battery', code: '492039' }]],
  [recoveryCodesSchema, 'RecoveryCodes', [{ recoveryCodes: ['k7pqm-3xw9t', 'h2rvn-8cja4'] }]],
  [meSchema, 'Me', [{ ...user, kind: 'user' }, { ...serviceAccount, kind: 'service' }]],
  [createUserBodySchema, 'CreateUserBody', [{ email: 'sam.lee@example.com', password: 'a long password', fullName: 'Sam Lee', role: 'staff', departmentId: ids.department }]],
  [updateUserBodySchema, 'UpdateUserBody', [{ role: 'manager' }]],
  [updateProfileBodySchema, 'UpdateProfileBody', [{ fullName: 'Ana Lima' }]],
  [localeSchema, 'Locale', ['de']],
  [updateLocaleBodySchema, 'UpdateLocaleBody', [{ locale: 'de' }]],
  [inboundMailStatusSchema, 'InboundMailStatus', ['filed']],
  [inboundMailSchema, 'InboundMail', [inboundMail]],
  [inboundMailPageSchema, 'InboundMailPage', [{ items: [inboundMail], nextCursor: null }]],
  [departmentSchema, 'Department', [department]],
  [departmentListSchema, 'DepartmentList', [{ items: [department] }]],
  [createDepartmentBodySchema, 'CreateDepartmentBody', [{ name: 'IT Operations', description: 'Servers, network and workplace IT.' }]],
  [updateDepartmentBodySchema, 'UpdateDepartmentBody', [{ description: 'Servers, network, telephony and workplace IT.' }]],
  [serviceAccountSchema, 'ServiceAccount', [serviceAccount]],
  [serviceAccountPageSchema, 'ServiceAccountPage', [{ items: [serviceAccount], nextCursor: null }]],
  [auditEntrySchema, 'AuditEntry', [auditEntry]],
  [auditEntryPageSchema, 'AuditEntryPage', [{ items: [auditEntry], nextCursor: 'eyJpZCI6IjE4NDIifQ' }]],
  [createServiceAccountBodySchema, 'CreateServiceAccountBody', [{ name: 'Monitoring', scopes: ['incidents:read', 'incidents:write'] }]],
  [createdServiceAccountSchema, 'CreatedServiceAccount', [{ ...serviceAccount, lastUsedAt: null, clientSecret: 'cs_Zq8x1Vw4n7Rt2Yp5Ks9Lm3Hd' }]],
  [incidentSchema, 'Incident', [incident]],
  [incidentPageSchema, 'IncidentPage', [{ items: [incident], nextCursor: null }]],
  [incidentCountSchema, 'IncidentCount', [{ count: 12, capped: false }]],
  [createIncidentBodySchema, 'CreateIncidentBody', [{ title: 'VPN drops every few minutes', description: 'Since this morning the VPN disconnects about every five minutes.', categoryId: ids.category, priority: 'HIGH' }]],
  [updateIncidentBodySchema, 'UpdateIncidentBody', [{ status: 'RESOLVED', reason: 'Access point replaced.', version: 3 }]],
  [assignIncidentBodySchema, 'AssignIncidentBody', [{ assigneeId: ids.staff, version: 3 }]],
  [savedViewSchema, 'SavedView', [savedView]],
  [savedViewListSchema, 'SavedViewList', [{ items: [savedView] }]],
  [createSavedViewBodySchema, 'CreateSavedViewBody', [{ name: 'My urgent queue', query: 'status=OPEN%2CIN_PROGRESS&priority=CRITICAL&assignee=me' }]],
  [updateSavedViewBodySchema, 'UpdateSavedViewBody', [{ name: 'Critical, mine' }]],
  [incidentPeopleSchema, 'IncidentPeople', [{ items: [{ id: ids.user, fullName: 'Ana Silva' }, { id: ids.staff, fullName: 'Sam Lee' }] }]],
  [commentSchema, 'Comment', [comment]],
  [commentPageSchema, 'CommentPage', [{ items: [comment], nextCursor: null }]],
  [createCommentBodySchema, 'CreateCommentBody', [{ content: 'Replacing the access point on floor 2 now.', isInternal: false }]],
  [watcherSchema, 'Watcher', [watcher]],
  [watcherListSchema, 'WatcherList', [{ items: [watcher] }]],
  [watcherCandidateListSchema, 'WatcherCandidates', [{ items: [{ id: watcher.userId, fullName: watcher.fullName, departmentName: 'Finance' }] }]],
  [mentionableListSchema, 'MentionablePeople', [{ items: [{ id: ids.staff, fullName: 'Sam Lee', relation: 'department' }] }]],
  [incidentLinkSchema, 'IncidentLink', [link]],
  [incidentLinkListSchema, 'IncidentLinkList', [{ items: [link] }]],
  [createIncidentLinkBodySchema, 'CreateIncidentLinkBody', [{ type: 'child_of', targetId: 'INC-000040' }, { type: 'duplicate_of', targetId: linkedIncident.id }]],
  [declareMajorBodySchema, 'DeclareMajorIncidentBody', [{ summary: major.summary }]],
  [majorUpdateBodySchema, 'MajorUpdateBody', [{ message: majorUpdate.message }]],
  [majorUpdateSchema, 'MajorUpdate', [majorUpdate]],
  [majorIncidentSchema, 'MajorIncident', [major, { ...major, status: 'RESOLVED', review: { ...review, writtenById: ids.staff, writtenAt: later, updatedAt: later } }]],
  [postIncidentReviewBodySchema, 'PostIncidentReviewBody', [review]],
  [postIncidentReviewSchema, 'PostIncidentReview', [{ ...review, writtenById: ids.staff, writtenAt: later, updatedAt: later }]],
  [majorIncidentNoticeListSchema, 'MajorIncidentNoticeList', [{ items: [{ incidentId: major.incidentId, key: major.key, title: major.title, status: major.status, summary: major.summary, declaredAt: at, latestUpdate: majorUpdate, canOpen: false, childKey: 'INC-000042' }] }]],
  [attachmentSchema, 'Attachment', [attachment, { ...attachment, id: '3c4d5e6f-7081-4b2c-9d3e-4f5a6b7c8d9e', fileName: 'vpn-client.log', contentType: 'text/plain', isInternal: true, status: 'scanning', contentUrl: null, thumbnailUrl: null }]],
  [attachmentListSchema, 'AttachmentList', [{ items: [attachment] }]],
  [attachmentUploadSchema, 'AttachmentUpload', [{ file: '(the file\'s bytes)', isInternal: 'false' }]],
  [timelineEntrySchema, 'TimelineEntry', [timelineEntry]],
  [timelineEntryPageSchema, 'TimelineEntryPage', [{ items: [timelineEntry], nextCursor: null }]],
  [categorySchema, 'Category', [category]],
  [categoryListSchema, 'CategoryList', [{ items: [category] }]],
  [createCategoryBodySchema, 'CreateCategoryBody', [{ name: 'Network', description: 'Wi-Fi, VPN and cabling.', departmentId: ids.department }]],
  [updateCategoryBodySchema, 'UpdateCategoryBody', [{ isActive: false }, { assignment: 'least_loaded', maxOpenPerPerson: 8 }]],
  [slaPolicySchema, 'SlaPolicy', [slaPolicy]],
  [slaPolicyListSchema, 'SlaPolicyList', [{ items: [slaPolicy] }]],
  [updateSlaPolicyBodySchema, 'UpdateSlaPolicyBody', [{ responseMinutes: 30, resolutionMinutes: 240 }]],
  [calendarSchema, 'Calendar', [calendar]],
  [calendarListSchema, 'CalendarList', [{ items: [calendar] }]],
  [createCalendarBodySchema, 'CreateCalendarBody', [{ name: 'Berlin office', timeZone: 'Europe/Berlin', week: calendarWeek, holidays: calendar.holidays }]],
  [updateCalendarBodySchema, 'UpdateCalendarBody', [{ holidays: [...calendar.holidays, { date: '2027-01-01', name: "New Year's Day" }], version: 3 }, { isDefault: true }]],
  [calendarAssignmentBodySchema, 'CalendarAssignmentBody', [{ calendarId: calendar.id }, { calendarId: null }]],
  [calendarAssignmentSchema, 'CalendarAssignment', [{ departmentId: ids.department, calendarId: calendar.id, effectiveCalendarId: calendar.id }]],
  [priorityMatrixSchema, 'PriorityMatrix', [{ matrix, updatedAt: at }]],
  [updatePriorityMatrixBodySchema, 'UpdatePriorityMatrixBody', [{ matrix: { ...matrix, LOW: { HIGH: 'HIGH', MEDIUM: 'LOW', LOW: 'LOW' } } }]],
  [availabilitySchema, 'Availability', [availability]],
  [availabilityListSchema, 'AvailabilityList', [{ items: [availability] }]],
  [putAvailabilityBodySchema, 'PutAvailabilityBody', [{ available: false }]],
  [escalationRuleSchema, 'EscalationRule', [escalationRule]],
  [escalationRuleListSchema, 'EscalationRuleList', [{ items: [escalationRule] }]],
  [createEscalationRuleBodySchema, 'CreateEscalationRuleBody', [{ name: 'Warn at 80 %', priority: 'HIGH', target: 'resolution', thresholdPercent: 80 }, { name: 'Critical breach', priority: 'CRITICAL', target: 'response', thresholdPercent: 100, raisePriority: false, reassign: 'manager' }]],
  [updateEscalationRuleBodySchema, 'UpdateEscalationRuleBody', [{ thresholdPercent: 75 }, { isActive: false }]],
  [startWaitingBodySchema, 'StartWaitingBody', [{ message: 'Which version of the VPN client do you run? (Help → About)' }]],
  [notificationSchema, 'Notification', [notification]],
  [notificationPageSchema, 'NotificationPage', [{ items: [notification], nextCursor: null, unreadCount: 1 }]],
  [readAllResultSchema, 'ReadAllResult', [{ updated: 3, unreadCount: 0 }]],
  [preferencesSchema, 'Preferences', [preferences]],
  [putPreferencesBodySchema, 'PutPreferencesBody', [preferences]],
  [deliverySchema, 'Delivery', [delivery]],
  [deliveryPageSchema, 'DeliveryPage', [{ items: [delivery], nextCursor: null }]],
  [satisfactionSchema, 'Satisfaction', [{ incidentId: ids.incident, incidentKey: 'INC-000042', rating: 4, comment: 'Fixed the same morning, thanks.', ratedAt: later, updatedAt: later, changeableUntil: '2026-03-09T10:40:00.000Z', canRate: true }]],
  [putSatisfactionBodySchema, 'PutSatisfactionBody', [{ rating: 4, comment: 'Fixed the same morning, thanks.' }, { rating: 2 }]],
  [webhookSchema, 'Webhook', [webhook]],
  [webhookListSchema, 'WebhookList', [{ items: [webhook] }]],
  [webhookWithSecretSchema, 'WebhookWithSecret', [{ ...webhook, secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw+4wz5MHlT6E=' }]],
  [createWebhookBodySchema, 'CreateWebhookBody', [{ url: webhook.url, events: webhook.events, description: webhook.description }]],
  [updateWebhookBodySchema, 'UpdateWebhookBody', [{ events: ['incident.created', 'incident.status_changed', 'incident.commented'] }, { status: 'ACTIVE' }]],
  [rotateWebhookSecretBodySchema, 'RotateWebhookSecretBody', [{ overlapSeconds: 86_400 }, {}]],
  [webhookDeliverySchema, 'WebhookDelivery', [webhookDelivery]],
  [webhookDeliveryPageSchema, 'WebhookDeliveryPage', [{ items: [webhookDelivery], nextCursor: null }]],
  [webhookPayloadSchema, 'WebhookPayload', [JSON.parse(webhookBody)]],
  [analyticsSummarySchema, 'AnalyticsSummary', [
    {
      filters,
      total: 120,
      byStatus: { OPEN: 12, IN_PROGRESS: 8, RESOLVED: 30, CLOSED: 65, CANCELLED: 5 },
      byPriority: { LOW: 20, MEDIUM: 60, HIGH: 30, CRITICAL: 10 },
      openBacklog: 20,
      mtta: durations,
      mttr: { ...durations, meanSeconds: 28_800, medianSeconds: 21_600, p90Seconds: 64_800 },
      sla: { response: { met: 90, breached: 10, pending: 20, compliance: 0.9 }, resolution: { met: 85, breached: 15, pending: 20, compliance: 0.85 } },
      reopen: { resolved: 95, reopened: 4, rate: 0.042 },
      generatedAt: later,
    },
  ]],
  [analyticsTrendsSchema, 'AnalyticsTrends', [{ filters, interval: 'week', points: [{ start: '2026-02-02', created: 31, resolved: 28 }], generatedAt: later }]],
  [analyticsSatisfactionSchema, 'AnalyticsSatisfaction', [
    {
      filters,
      overall: { responses: 40, average: 4.1, csat: 0.8, distribution: [2, 2, 4, 12, 20] },
      byDepartment: [{ departmentId: ids.department, name: 'IT Operations', responses: 40, average: 4.1, csat: 0.8 }],
      byCategory: [{ categoryId: ids.category, responses: 25, average: 4.3, csat: 0.84 }],
      byAssignee: [{ assigneeId: ids.staff, name: 'Sam Lee', responses: 18, average: 4.5, csat: 0.89 }],
      trend: [{ start: '2026-02-23', responses: 11, average: 3.9, csat: 0.73 }, { start: '2026-03-02', responses: 29, average: 4.2, csat: 0.83 }],
      generatedAt: later,
    },
  ]],
  [analyticsWorkloadSchema, 'AnalyticsWorkload', [
    {
      filters,
      departments: [{ departmentId: ids.department, name: 'IT Operations', open: 20, breached: 2, oldestCreatedAt: at, oldestAgeSeconds: 86_400 }],
      assignees: [{ assigneeId: ids.staff, name: 'Sam Lee', departmentId: ids.department, open: 6, breached: 1, oldestCreatedAt: at, oldestAgeSeconds: 43_200 }],
      generatedAt: later,
    },
  ]],
  [parkedEventSchema, 'ParkedEvent', [parkedEvent]],
  [parkedEventDetailSchema, 'ParkedEventDetail', [{ ...parkedEvent, event: { specversion: '1.0', id: ids.event, type: 'incident.assigned', source: '/incident-service', subject: ids.incident, time: at, dataversion: 1, datacontenttype: 'application/json', data: {} } }]],
  [parkedEventListSchema, 'ParkedEventList', [{ items: [parkedEvent], consumers: { 'incident-service': { waiting: 0, eventBus: { status: 'up' } }, 'notification-service': { waiting: 1, eventBus: { status: 'up' } }, 'analytics-service': { waiting: 0, eventBus: { status: 'down', detail: 'reconnecting: connect ECONNREFUSED 10.0.4.20:5672' } } }, unavailable: [] }]],
  [replayParkedEventsBodySchema, 'ReplayParkedEventsBody', [{ consumer: 'notification-service', type: 'incident.assigned' }]],
  [replayParkedEventsResultSchema, 'ReplayParkedEventsResult', [{ requested: 1, byConsumer: { 'incident-service': 0, 'notification-service': 1, 'analytics-service': 0 }, unavailable: [] }]],
  [discardParkedEventBodySchema, 'DiscardParkedEventBody', [{ reason: 'The incident was deleted by hand; nothing to tell anyone.' }]],
  [browserTraceExportSchema, 'BrowserTraceExport', [
    {
      resourceSpans: [{
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'portal' } }] },
        scopeSpans: [{
          scope: { name: 'portal' },
          spans: [
            { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', name: 'Report an incident', kind: 1, startTimeUnixNano: '1767600000000000000', endTimeUnixNano: '1767600000350000000', attributes: [{ key: 'desk.action', value: { stringValue: 'Report an incident' } }] },
            { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '53995c3f42cd8ad8', parentSpanId: '00f067aa0ba902b7', name: 'HTTP POST', kind: 3, startTimeUnixNano: '1767600000010000000', endTimeUnixNano: '1767600000340000000', attributes: [{ key: 'http.response.status_code', value: { intValue: 201 } }], status: { code: 0 } },
          ],
        }],
      }],
    },
  ]],
  [browserTraceExportResultSchema, 'BrowserTraceExportResult', [{}, { partialSuccess: { rejectedSpans: 1, errorMessage: 'Spans that ended before they started, or too far from now, were dropped.' } }]],
  [rebuildResultSchema, 'AnalyticsRebuildResult', [{ incidents: 120, durationMs: 850, rebuiltAt: later }]],
];

for (const [schema, id, examples] of NAMED_SCHEMAS) z.globalRegistry.add(schema, { ...z.globalRegistry.get(schema), id, examples });
