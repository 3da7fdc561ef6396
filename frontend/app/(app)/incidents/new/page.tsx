import type { Metadata } from 'next';
import { NewIncidentForm } from '@/components/incidents/new-incident-form';

export const metadata: Metadata = { title: 'Report an incident' };

export default function NewIncidentPage() {
  return <NewIncidentForm />;
}
