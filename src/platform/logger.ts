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

/** How long a log line may wait in the buffer when fewer than MIN_WRITE bytes have come. */
const FLUSH_MS = 250;
/** Lines are written to stdout in writes of this many bytes at least (or every FLUSH_MS). */
const MIN_WRITE = 4096;

let stdout: ReturnType<typeof pino.destination> | undefined;
/** A line has been buffered since the last flush. */
let unflushed = false;

/**
 * Standard output, buffered: a write system call per request's log line was 5–15 % of a node's write time under
 * load (docs/performance.md). pino writes what is buffered when the process exits, crashes included; the timer makes
 * a quiet node's lines appear within FLUSH_MS.
 */
function bufferedStdout() {
  if (!stdout) {
    const destination = pino.destination({ dest: 1, minLength: MIN_WRITE, sync: false });
    setInterval(() => {
      if (!unflushed) return;
      unflushed = false;
      // Without a callback: one would wait for the write to drain (listeners pile up behind a slowly read pipe) and
      // then fsync standard output. A write under way takes the rest when it ends, or the next tick does.
      try {
        destination.flush();
      } catch {
        // Standard output is closed: there is nowhere left to write the lines.
      }
    }, FLUSH_MS).unref();
    stdout = destination;
  }
  return stdout;
}

/** Marks the buffer for the next timed flush (pino's hook just before a line goes to the stream). */
const noteWrite = (line: string) => {
  unflushed = true;
  return line;
};

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino({
    level,
    ...(destination ? {} : { hooks: { streamWrite: noteWrite } }),
    redact: { paths: REDACTED, censor: '[redacted]' },
    serializers: {
      err: pino.stdSerializers.err,
      req: (req: RequestLike) => ({ id: req.id, method: req.method, url: req.url?.split('?')[0], ip: req.ip }),
    },
  }, destination ?? bufferedStdout());
}
