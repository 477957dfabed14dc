// The pino logger. Credentials and message text never reach a log line: known secret fields are
// redacted wherever they could appear, request URLs lose their query string (a client may put a token
// there), and a database error keeps its message but not the statement and parameters (they carry
// message bodies).
import { pino, type DestinationStream, type Logger } from 'pino';

const REDACTED = [
  'req.headers.authorization', 'req.headers.cookie', 'req.headers["x-admin-key"]', 'req.headers["x-switchboard-signature"]',
  'token', '*.token', 'apiKey', '*.apiKey', 'secret', '*.secret', 'webhookSecret', '*.webhookSecret', 'adminKey', 'jwtSecret',
  'body', '*.body', 'err.query', 'err.params', 'err.sql', 'err.parameters',
];

interface RequestLike { method?: string; url?: string; id?: string; ip?: string }

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino({
    level,
    redact: { paths: REDACTED, censor: '[redacted]' },
    serializers: {
      err: pino.stdSerializers.err,
      req: (req: RequestLike) => ({ id: req.id, method: req.method, url: req.url?.split('?')[0], ip: req.ip }),
    },
  }, destination);
}
