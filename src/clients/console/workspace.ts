// What the console's parts share: the client, the directory, who is signed in and the conversations known.
import type { ConversationDto, SwitchboardClient } from '../sdk/index.ts';
import type { Directory } from './directory.ts';

export interface Me { id: string | null; role: 'admin' | 'supervisor' | 'agent' | 'bot'; name: string }

export interface Workspace {
  client: SwitchboardClient;
  dir: Directory;
  me: Me;
  conversations: Map<string, ConversationDto>;
  /** Conversations the server warned about (an SLA deadline is near). */
  warned: Set<string>;
}

export const isSupervisor = (me: Me) => me.role === 'supervisor' || me.role === 'admin';

/** What a conversation is called: its contact's name, else the handle it came from, else its subject. */
export function conversationName(ws: Workspace, c: ConversationDto): string {
  return ws.dir.contact(c.contactId)?.name ?? c.source?.handle ?? c.subject ?? `Conversation ${c.id.slice(0, 8)}`;
}
