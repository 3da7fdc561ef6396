'use client';

import type { Incident } from '@desk/contracts';
import type { Viewer } from '@/lib/lifecycle';
import { AttachmentsCard } from './attachments-card';
import { CommentComposer } from './comment-composer';
import { ConversationFeed } from './conversation-feed';
import { DescriptionCard } from './description-card';
import { MajorIncidentCard } from './major-incident';

/** The middle column: what was reported, then everything said and done since, then the composer. */
export function ConversationColumn({ incident, viewer, now }: { incident: Incident; viewer: Viewer; now: number }) {
  return (
    <div className="space-y-6">
      <MajorIncidentCard incident={incident} viewer={viewer} now={now} />
      <DescriptionCard incident={incident} viewer={viewer} />
      <AttachmentsCard incident={incident} viewer={viewer} />
      <ConversationFeed incident={incident} viewer={viewer} now={now} composer={<CommentComposer incident={incident} viewer={viewer} />} />
    </div>
  );
}
