export { notificationConfigSchema, SERVICE_NAME, type NotificationConfig } from './config.js';
export { createNotificationService, type NotificationService, type NotificationServiceOptions } from './service.js';
export { notificationApi } from './openapi.js';
