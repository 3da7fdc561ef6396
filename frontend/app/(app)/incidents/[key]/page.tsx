import type { Metadata } from 'next';
import { IncidentDetail } from '@/components/incidents/detail/incident-detail';

export async function generateMetadata({ params }: { params: Promise<{ key: string }> }): Promise<Metadata> {
  return { title: decodeURIComponent((await params).key) };
}

export default async function IncidentPage({ params }: { params: Promise<{ key: string }> }) {
  const { key } = await params;
  return <IncidentDetail incidentKey={decodeURIComponent(key)} />;
}
