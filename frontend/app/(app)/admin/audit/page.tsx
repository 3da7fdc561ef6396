import { AuditPage } from '@/components/audit-page';
import { titled } from '@/lib/i18n/metadata';

export const generateMetadata = titled('audit');

export default function Page() {
  return <AuditPage />;
}
