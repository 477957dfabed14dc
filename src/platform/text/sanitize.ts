// Rendering-safe forms of text that arrives as given (sanitize-html does the parsing and filtering):
// an HTML body keeps its formatting but loses scripts, event handlers, frames, styles and any URL that
// is not http(s) or mailto; a name keeps no markup at all and comes out entity-escaped.
import sanitizeHtml from 'sanitize-html';

const HTML_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'hr', 'div', 'span', 'b', 'strong', 'i', 'em', 'u', 's', 'sub', 'sup', 'small', 'a', 'ul', 'ol', 'li',
    'blockquote', 'code', 'pre', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'img'],
  allowedAttributes: { a: ['href', 'title', 'rel', 'target'], img: ['src', 'alt', 'width', 'height'], td: ['colspan', 'rowspan'], th: ['colspan', 'rowspan'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowProtocolRelative: false,
  // Dropped with their content, not just unwrapped.
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'iframe', 'object', 'embed', 'template', 'svg', 'math'],
  transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer nofollow', target: '_blank' }) },
};

const TEXT_OPTIONS: sanitizeHtml.IOptions = { allowedTags: [], allowedAttributes: {}, nonTextTags: HTML_OPTIONS.nonTextTags };

// Without remote images: every img goes (the only sources allowed are http(s) URLs, that is, remote ones).
const HTML_WITHOUT_IMAGES: sanitizeHtml.IOptions = { ...HTML_OPTIONS, allowedTags: (HTML_OPTIONS.allowedTags as string[]).filter((t) => t !== 'img') };

/** `remoteImages` false (the default): images are dropped, so that opening a message tells its sender nothing. */
export function safeHtml(html: string, options: { remoteImages?: boolean } = {}): string {
  return sanitizeHtml(html, options.remoteImages ? HTML_OPTIONS : HTML_WITHOUT_IMAGES);
}

/** A name or other plain text, ready to put into HTML, between tags or inside a quoted attribute. */
export function safeText(text: string): string {
  return sanitizeHtml(text, TEXT_OPTIONS).replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
