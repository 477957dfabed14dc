// An inbox's keyword rules: which skills and language a first message gives a new thread.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { needsFromRules } from '../../src/routing/routing-rules.ts';

const rules = suite('routing rules');
const defaults = { requiredSkills: ['vip'], language: null };
const billing = { keywords: ['invoice', 'facture'], skills: ['billing'], language: null };
const french = { keywords: ['bonjour', 'merci beaucoup'], skills: [], language: 'fr' };
const german = { keywords: ['hallo'], skills: ['dach'], language: 'de' };

rules('no rules, no body or no match leave the defaults', () => {
  assert.equal(needsFromRules([], 'invoice', defaults), defaults);
  assert.equal(needsFromRules([billing], undefined, defaults), defaults);
  assert.equal(needsFromRules([billing], 'my bill is wrong', defaults), defaults);
});

rules('keywords match whole words and phrases in any case', () => {
  assert.equal(needsFromRules([billing], 'Where is my INVOICE?', defaults).requiredSkills, ['vip', 'billing']);
  assert.equal(needsFromRules([billing], 'I was invoiced twice', defaults).requiredSkills, ['vip']);
  assert.is(needsFromRules([french], 'Merci  beaucoup', defaults).language, null, 'a phrase is matched as written');
  assert.is(needsFromRules([french], 'merci beaucoup!', defaults).language, 'fr');
});

rules('every matching rule adds its skills once; the first matching rule with a language sets it', () => {
  const needs = needsFromRules([billing, german, french], 'Bonjour hallo, facture facture', { requiredSkills: ['billing'], language: 'en' });
  assert.equal(needs.requiredSkills, ['billing', 'dach']);
  assert.is(needs.language, 'de');
  assert.is(needsFromRules([billing], 'invoice', { requiredSkills: [], language: 'en' }).language, 'en', 'a rule without a language keeps the default');
});

rules.run();
