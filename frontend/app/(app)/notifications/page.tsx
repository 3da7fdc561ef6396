import { NotificationsPage } from '@/components/notifications-page';
import { titled } from '@/lib/i18n/metadata';

export const generateMetadata = titled('notifications');

export default function Page() {
  return <NotificationsPage />;
}
