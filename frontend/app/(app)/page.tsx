import { Dashboard } from '@/components/dashboard/dashboard';
import { titled } from '@/lib/i18n/metadata';

export const generateMetadata = titled('home');

export default function Page() {
  return <Dashboard />;
}
