import type { Metadata } from 'next';
import { AdminArea } from '@/components/admin/admin-area';
import { EscalationRulesTab } from '@/components/admin/escalation-rules';

export const metadata: Metadata = { title: 'Escalations · Administration' };

export default function Page() {
  return (
    <AdminArea slug="escalations">
      <EscalationRulesTab />
    </AdminArea>
  );
}
