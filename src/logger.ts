// The pino logger; credentials are redacted wherever they could appear.
import { pino, type Logger } from 'pino';

export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: {
      paths: [
        'req.headers.authorization', 'req.headers["x-admin-key"]', 'req.headers["x-switchboard-signature"]',
        'token', '*.token', 'webhookSecret', '*.webhookSecret', 'adminKey', 'jwtSecret',
      ],
      censor: '[redacted]',
    },
  });
}
