// The survey's page for a customer's browser: five buttons and a comment box (a plain form, no script), or a
// thank-you once answered. Every text that comes from outside is escaped.
import { safeText } from '../../platform/text/sanitize.ts';

const page = (body: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>How did we do?</title><style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}
button{font-size:1.25rem;margin:.25rem;padding:.5rem .9rem}textarea{width:100%;min-height:5rem}</style></head><body>${body}</body></html>`;

export function surveyPage(action: string): string {
  const buttons = [1, 2, 3, 4, 5].map((n) => `<button type="submit" name="rating" value="${n}" aria-label="${n} of 5">${n}</button>`).join('');
  return page(`<main><h1>How did we do?</h1><p>Rate your conversation from 1 (poor) to 5 (great).</p>
<form method="post" action="${safeText(action)}"><label for="comment">Anything to add? (optional)</label>
<textarea id="comment" name="comment" maxlength="2000"></textarea><div role="group" aria-label="Rating">${buttons}</div></form></main>`);
}

export function thanksPage(rating: number): string {
  return page(`<main><h1>Thank you</h1><p>You rated this conversation ${rating} of 5.</p></main>`);
}

export function unavailablePage(reason: string): string {
  return page(`<main><h1>Survey unavailable</h1><p>${safeText(reason)}</p></main>`);
}
