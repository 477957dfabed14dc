// A conversation resolved in an inbox that surveys: the customer gets the satisfaction survey (once per resolution).
import type { EntityManager } from '@mikro-orm/core';
import type { MessageSender } from '../core/messages/send.service.ts';
import { sendSurvey } from '../features/csat/csat.service.ts';
import type { SurveyLinks } from '../features/csat/survey-link.ts';
import { reaction } from './reaction.ts';

export const sendCsatSurvey = (messages: MessageSender, links: SurveyLinks, emFor: (tenantId: string) => EntityManager) => reaction('send-csat-survey',
  ['conversation.updated'], async (e) => {
    if (e.rollUpOnly || e.conversation.status !== 'resolved') return;
    await sendSurvey(emFor(e.tenantId), messages, links, e.tenantId, e.conversation, new Date());
  });
