// A free JSON object kept with a message or a conversation as given (for the channel or an integration).
import { z } from 'zod';

const METADATA_MAX_BYTES = 16_384;

export const metadataSchema = z.record(z.string(), z.unknown())
  .refine((m) => Buffer.byteLength(JSON.stringify(m), 'utf8') <= METADATA_MAX_BYTES, `metadata: at most ${METADATA_MAX_BYTES} bytes of JSON`);
