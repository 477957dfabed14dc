// `switchboard/client`: the typed client SDK (Node bots and browser apps alike).
export { connectClient, SwitchboardClient, type ClientEvents, type ClientOptions, type SendOptions, type SlaAlert } from './client.ts';
export { isRetryable, SwitchboardError, type ClientErrorCode } from './errors.ts';
export { SeqTracker } from './seq-tracker.ts';
export { TypingThrottle, type TypingTiming } from './typing-throttle.ts';
export type * from '../../contract/dto.ts';
export type * from '../../contract/events.ts';
export type { ErrorBody, ErrorCode } from '../../contract/error-codes.ts';
