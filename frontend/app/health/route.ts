import { NextResponse } from 'next/server';

export const dynamic = 'force-dynamic';

/** Liveness of the portal's server itself (the image's HEALTHCHECK, Kubernetes probes). */
export function GET(): NextResponse {
  return NextResponse.json({ status: 'ok', service: 'frontend', uptimeSeconds: Math.round(process.uptime()) }, { headers: { 'Cache-Control': 'no-store' } });
}
