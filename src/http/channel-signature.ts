// A channel's requests are signed with its inbox's webhook secret (src/features/inbound/signature.ts): the
// signature is the credential, checked here for every channel endpoint.
import type { FastifyRequest } from 'fastify';
import { Inbox } from '../../entities/index.ts';
import { SIGNATURE_HEADER, verifyRequestSignature, verifySignature } from '../features/inbound/signature.ts';
import { systemEm } from '../platform/db/tenant-scope.ts';
import { AppError } from '../platform/errors.ts';
import { idParam, type HttpDeps } from './context.ts';

const signatureHeader = (request: FastifyRequest): string | undefined => {
  const header = request.headers[SIGNATURE_HEADER];
  return typeof header === 'string' ? header : undefined;
};

/** The v1 scheme: the body signed with the time. */
export function signatureOk(request: FastifyRequest, secret: string): boolean {
  return verifySignature(secret, request.rawBody ?? Buffer.alloc(0), signatureHeader(request), Date.now() / 1000);
}

/** The v2 scheme: method and path are signed with the body, so one report cannot be replayed to another message. */
export function requestSignatureOk(request: FastifyRequest, secret: string): boolean {
  const path = request.url.split('?')[0];
  return verifyRequestSignature(secret, request.method, path, request.rawBody ?? Buffer.alloc(0), signatureHeader(request), Date.now() / 1000);
}

/** The inbox the path names, when the request is signed (v1) with its secret; found before its tenant is known. */
export async function signedInbox(deps: HttpDeps, request: FastifyRequest): Promise<Inbox> {
  const inbox = await systemEm(deps.orm).findOne(Inbox, { id: idParam(request, 'inbox') }, { filters: false });
  if (!inbox || !signatureOk(request, inbox.webhookSecret)) throw AppError.unauthorized('bad or stale signature');
  return inbox;
}
