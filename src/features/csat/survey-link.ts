// The survey's link: a signed token naming the survey and its tenant, good for 30 days. Signed with the
// server's JWT secret under its own audience, so it is never a credential for anything else.
import { jwtVerify, SignJWT } from 'jose';

const AUDIENCE = 'switchboard:csat';
const TTL_SECONDS = 30 * 86_400;

export interface SurveyLinks {
  /** The page a customer opens to answer. */
  linkFor(surveyId: string, tenantId: string): Promise<string>;
  /** The survey a token names, or null for a bad, expired or foreign one. */
  verify(token: string): Promise<{ surveyId: string; tenantId: string } | null>;
}

export function createSurveyLinks(secret: string, publicUrl: string): SurveyLinks {
  const key = new TextEncoder().encode(secret);
  return {
    async linkFor(surveyId, tenantId) {
      const token = await new SignJWT({ tid: tenantId }).setProtectedHeader({ alg: 'HS256' }).setSubject(surveyId).setAudience(AUDIENCE)
        .setIssuedAt().setExpirationTime(`${TTL_SECONDS}s`).sign(key);
      return `${publicUrl}/v1/csat/${token}`;
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, key, { audience: AUDIENCE, algorithms: ['HS256'] });
        if (typeof payload.sub !== 'string' || typeof payload.tid !== 'string') return null;
        return { surveyId: payload.sub, tenantId: payload.tid };
      } catch {
        return null;
      }
    },
  };
}
