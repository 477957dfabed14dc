// The rendering-safe forms: at least 500 XSS vectors (classic payloads, each under several mutations)
// must come out with no script element, no event handler, no style, and no URL attribute that a browser
// would run (javascript:, vbscript:, data:), judged by parsing the output as a browser-like parser would.
import { Parser } from 'htmlparser2';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { safeHtml, safeText } from '../../src/platform/text/sanitize.ts';
import { cleanName } from '../../src/platform/text/display-name.ts';

const X = 'alert(1)';
const CORES = [
  `<script>${X}</script>`, `<script src="https://evil.example/x.js"></script>`, `<img src=x onerror=${X}>`, `<img src="x" onerror="${X}">`,
  `<svg onload=${X}>`, `<svg/onload=${X}>`, `<body onload=${X}>`, `<iframe src="javascript:${X}"></iframe>`, `<iframe srcdoc="<script>${X}</script>">`,
  `<a href="javascript:${X}">c</a>`, `<a href="JaVaScRiPt:${X}">c</a>`, `<a href="&#106;avascript:${X}">c</a>`, `<a href="jav&#x09;ascript:${X}">c</a>`,
  `<a href=" javascript:${X}">c</a>`, `<a href="vbscript:msgbox(1)">c</a>`, `<a href="javascript&colon;${X}">c</a>`,
  `<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">c</a>`, `<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058${X}">c</a>`,
  `<math><mtext><table><mglyph><style><img src=x onerror=${X}>`, `<div style="background:url(javascript:${X})">d</div>`,
  `<input autofocus onfocus=${X}>`, `<details open ontoggle=${X}>`, `<object data="javascript:${X}"></object>`, `<embed src="javascript:${X}">`,
  `<form action="javascript:${X}"><button>b</button></form>`, `<button formaction="javascript:${X}">b</button>`, `<base href="javascript:${X}//">`,
  `<meta http-equiv="refresh" content="0;url=javascript:${X}">`, `<link rel="stylesheet" href="javascript:${X}">`, `<scr<script>ipt>${X}</script>`,
  `<<script>script>${X}<</script>/script>`, `<img """><script>${X}</script>">`, `<IMG SRC=javascript:${X}>`, `<img src=\`javascript:${X}\`>`,
  `<noscript><p title="</noscript><img src=x onerror=${X}>">`, `<style><img src=x onerror=${X}></style>`, `<textarea><script>${X}</script></textarea>`,
  `<svg><script>${X}</script></svg>`, `<x onmouseover=${X}>hover</x>`, `<video><source onerror=${X}></video>`, `<audio src=x onerror=${X}>`,
  `<marquee onstart=${X}>m</marquee>`, `<select autofocus onfocus=${X}>`, `<frameset onload=${X}>`, `<table background="javascript:${X}"><tr><td>t</td></tr></table>`,
  `<td background=javascript:${X}>`, `<xss style="behavior:url(x.htc)">`, `<img src="x:gif" onerror="${X}">`, `<!--<img src="--><img src=x onerror=${X}//">`,
  `<![CDATA[<script>${X}</script>]]>`, `<svg><animate onbegin=${X} attributeName=x dur=1s>`, `<a href=javas\u0000cript:${X}>c</a>`,
  `<img src=x onerror\u000b=${X}>`, `<img/src=x/onerror=${X}>`, `<a href="\u0001javascript:${X}">c</a>`, `<img src="javascript:${X}">`,
  `<a href="//evil.example">c</a>`, `<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">`, `<p style="x:expression(${X})">p</p>`,
  `<a title="&quot;><script>${X}</script>">c</a>`, `<template><script>${X}</script></template>`, `<isindex action=javascript:${X} type=image>`,
];
const MUTATIONS: ((v: string) => string)[] = [
  (v) => v,
  (v) => v.toUpperCase().replace(/ALERT\(1\)/g, X),
  (v) => `<p>before ${v} after</p>`,
  (v) => `<a href="https://ok.example">${v}</a>`,
  (v) => v.replace(/ /g, '\n'),
  (v) => v.replace(/ /g, '\t'),
  (v) => `<table><tr><td>${v}</td></tr></table>`,
  (v) => `<b><i>${v}</i></b>`,
  (v) => v.replace(/"/g, "'"),
];

const VECTORS = [...new Set(CORES.flatMap((core) => MUTATIONS.map((m) => m(core))))];

const FORBIDDEN_TAGS = new Set(['script', 'iframe', 'frame', 'frameset', 'object', 'embed', 'svg', 'math', 'style', 'base', 'form', 'meta', 'link',
  'input', 'button', 'textarea', 'select', 'video', 'audio', 'source', 'template', 'noscript', 'isindex']);
const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'background', 'data', 'xlink:href', 'poster', 'srcdoc', 'lowsrc', 'dynsrc']);

/** Everything in `html` a browser could execute, as found by parsing it. */
function dangers(html: string): string[] {
  const found: string[] = [];
  const parser = new Parser({
    onopentag(name, attributes) {
      if (FORBIDDEN_TAGS.has(name)) found.push(`<${name}>`);
      for (const [attribute, value] of Object.entries(attributes)) {
        if (attribute.startsWith('on')) found.push(`${name}[${attribute}]`);
        if (attribute === 'style') found.push(`${name}[style]`);
        // Browsers ignore control characters and whitespace inside a scheme.
        const scheme = value.replace(/[\u0000-\u0020]/g, '').toLowerCase();
        if (URL_ATTRIBUTES.has(attribute) && /^(javascript|vbscript|data):/.test(scheme)) found.push(`${name}[${attribute}=${value}]`);
        if (URL_ATTRIBUTES.has(attribute) && scheme.startsWith('//')) found.push(`${name}[${attribute}] protocol-relative`);
      }
    },
  }, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true });
  parser.write(html);
  parser.end();
  return found;
}

const sanitize = suite('sanitize');

sanitize('the checker itself finds what the vectors carry', () => {
  const unsafe = VECTORS.filter((v) => dangers(v).length > 0);
  assert.ok(unsafe.length > 450, `most raw vectors are dangerous as given (${unsafe.length} of ${VECTORS.length})`);
});

sanitize('at least 500 XSS vectors leave nothing executable in safeHtml', () => {
  assert.ok(VECTORS.length >= 500, `${VECTORS.length} vectors`);
  const failures = VECTORS.flatMap((v) => [safeHtml(v), safeHtml(v, { remoteImages: true })].map((out) => ({ v, out })))
    .filter(({ out }) => dangers(out).length > 0);
  assert.equal(failures.slice(0, 3), [], `${failures.length} vectors got through`);
});

sanitize('formatting and safe links survive; links open apart; remote images only when the tenant keeps them', () => {
  const html = '<p>Hello <b>there</b>, see <a href="https://example.com/a?b=1">this</a> and <img src="https://example.com/i.png" alt="i"></p>';
  assert.not.ok(safeHtml(html).includes('<img'));
  const out = safeHtml(html, { remoteImages: true });
  assert.ok(out.includes('<b>there</b>'));
  assert.ok(out.includes('href="https://example.com/a?b=1"'));
  assert.ok(out.includes('rel="noopener noreferrer nofollow"'));
  assert.ok(out.includes('<img src="https://example.com/i.png" alt="i" />'));
  assert.ok(safeHtml('<a href="mailto:a@b.example">mail</a>').includes('href="mailto:a@b.example"'));
});

sanitize('a name loses all markup and comes out escaped', () => {
  assert.is(safeText('Bob <script>alert(1)</script>'), 'Bob ');
  assert.is(safeText('<img src=x onerror=alert(1)>Ann & Co'), 'Ann &amp; Co');
  assert.is(safeText('Zoë <b>Bold</b>'), 'Zoë Bold');
  for (const v of VECTORS) assert.equal(dangers(safeText(v)), [], v);
  assert.is(safeText(`"><b onmouseover='x'>`), '&quot;&gt;');
  assert.is(safeText(`O'Brien "Bob"`), 'O&#39;Brien &quot;Bob&quot;');
});

sanitize('names are NFC, without bidi overrides, invisible or control characters; joiners stay', () => {
  assert.is(cleanName('\u202Enimda'), 'nimda');
  assert.is(cleanName('a\u200Bd\u2066m\u2069i\uFEFFn\u00AD'), 'admin');
  assert.is(cleanName('Ze\u0301'), 'Z\u00e9');
  assert.is(cleanName('  Ann\u0007\t\n  Lee '), 'Ann Lee');
  assert.is(cleanName('\u3164\u115F'), '');
  assert.is(cleanName('\u{1F468}\u200D\u{1F469}'), '\u{1F468}\u200D\u{1F469}');
  assert.is(cleanName('\u0645\u06CC\u200C\u0634\u0648\u062F'), '\u0645\u06CC\u200C\u0634\u0648\u062F');
});

sanitize.run();
