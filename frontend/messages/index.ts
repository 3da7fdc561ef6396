import type { Locale } from '@desk/contracts';
import deAccount from './de/account.json';
import deAdmin from './de/admin.json';
import deAnalytics from './de/analytics.json';
import deAudit from './de/audit.json';
import deAuth from './de/auth.json';
import deCommon from './de/common.json';
import deDashboard from './de/dashboard.json';
import deIncidents from './de/incidents.json';
import deIntegrations from './de/integrations.json';
import deShell from './de/shell.json';
import enAccount from './en/account.json';
import enAdmin from './en/admin.json';
import enAnalytics from './en/analytics.json';
import enAudit from './en/audit.json';
import enAuth from './en/auth.json';
import enCommon from './en/common.json';
import enDashboard from './en/dashboard.json';
import enIncidents from './en/incidents.json';
import enIntegrations from './en/integrations.json';
import enShell from './en/shell.json';

// The message catalogue: one file per area and language (messages/<locale>/<area>.json), each
// file a namespace (`useTranslations('incidents')`), so areas are translated apart. English is
// the reference; messages.test.ts holds every other language to its keys and placeholders.

const en = {
  common: enCommon,
  shell: enShell,
  incidents: enIncidents,
  auth: enAuth,
  account: enAccount,
  dashboard: enDashboard,
  analytics: enAnalytics,
  audit: enAudit,
  admin: enAdmin,
  integrations: enIntegrations,
};

export type Messages = typeof en;

const de: Messages = {
  common: deCommon,
  shell: deShell,
  incidents: deIncidents,
  auth: deAuth,
  account: deAccount,
  dashboard: deDashboard,
  analytics: deAnalytics,
  audit: deAudit,
  admin: deAdmin,
  integrations: deIntegrations,
};

export const MESSAGES: Record<Locale, Messages> = { en, de };

export function messagesFor(locale: Locale): Messages {
  return MESSAGES[locale];
}
