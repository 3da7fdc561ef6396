import { AdminArea } from '@/components/admin/admin-area';
import { EscalationRulesTab } from '@/components/admin/escalation-rules';
import { titled } from '@/lib/i18n/metadata';

export const generateMetadata = titled('adminEscalations');

export default function Page() {
  return (
    <AdminArea slug="escalations">
      <EscalationRulesTab />
    </AdminArea>
  );
}
