// The survey's link: the survey's id and an HMAC of it under the server's secret (short enough for an SMS).
// Good for 30 days after the survey went out; the route checks the age against the survey's row.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { isUuid } from '../../platform/util/uuid.ts';

export const LINK_DAYS = 30;

export interface SurveyLinks {
  /** The page a customer opens to answer. */
  linkFor(surveyId: string): string;
  /** The survey a token names, or null for a forged or malformed one. */
  surveyOf(token: string): string | null;
}

export function createSurveyLinks(secret: string, publicUrl: string): SurveyLinks {
  const mac = (surveyId: string) => createHmac('sha256', secret).update(`switchboard:csat:${surveyId}`).digest().subarray(0, 18);
  return {
    linkFor(surveyId) {
      return `${publicUrl}/v1/csat/${surveyId}.${mac(surveyId).toString('base64url')}`;
    },
    surveyOf(token) {
      const [surveyId, signature, extra] = token.split('.');
      if (extra !== undefined || !surveyId || !signature || !isUuid(surveyId)) return null;
      const given = Buffer.from(signature, 'base64url');
      const expected = mac(surveyId);
      return given.length === expected.length && timingSafeEqual(given, expected) ? surveyId : null;
    },
  };
}
