import { AnalyticsPage } from '@/components/analytics/analytics-page';
import { titled } from '@/lib/i18n/metadata';

export const generateMetadata = titled('analytics');

export default function Page() {
  return <AnalyticsPage />;
}
