// Changes that may have written webhook deliveries (the outbox, in their transaction): send them now rather
// than at the dispatcher's next tick.
import { reaction } from './reaction.ts';

export const kickWebhooks = (dispatcher: { kick(): void }) => reaction('kick-webhooks',
  ['message.created', 'conversation.updated', 'assignment.changed', 'sla.alert'], () => dispatcher.kick());
