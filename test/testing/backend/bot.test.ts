import { expect } from '@open-wc/testing';
import { botAnswer, botLanguage, findTopic, greeting, MAIN_TOPICS, TOPICS } from '../../../src/testing/backend/bot.js';

/** Questions a user might type, per topic and language. */
const QUESTIONS: Array<[topic: string, ja: string, en: string]> = [
  ['shipping', '商品がまだ発送されません', 'When will my item ship?'],
  ['payment', '支払い方法を教えてください', 'How can I pay for an item?'],
  ['cancel', '購入をキャンセルしたいです', 'I want to cancel my order'],
  ['returns', '返品できますか？', 'Can I return this item?'],
  ['account', '登録している住所を変更したい', 'How do I change my account email?'],
  ['not-as-described', '届いた商品が説明と違います', 'The item is not as described'],
  ['counterfeit', '偽物を見つけたので報告したい', 'I think this bag is counterfeit'],
  ['fees', '販売手数料はいくらですか', 'What are the selling fees?'],
  ['login', 'ログインできません', "I can't log in"],
  ['points', 'ポイントの有効期限は？', 'Do my points expire?'],
];

describe('bot', () => {
  it('maps locales to its two languages, English by default', () => {
    expect(['ja', 'ja-JP', 'JA', 'en', 'en-US', 'fr', 'jav'].map(botLanguage)).to.deep.equal(['ja', 'ja', 'ja', 'en', 'en', 'en', 'en']);
  });

  it('greets with the eight main topics as quick replies', () => {
    for (const locale of ['ja', 'en']) {
      const reply = greeting(locale);
      expect(reply.text).to.contain(locale === 'ja' ? '24時間' : '24 hours');
      expect(reply.quickReplies.map((q) => q.id)).to.deep.equal(MAIN_TOPICS.map((id) => `t-${id}`));
    }
    expect(MAIN_TOPICS).to.have.length(8);
  });

  for (const [topic, ja, en] of QUESTIONS) {
    for (const [locale, question] of [['ja', ja], ['en', en]] as const) {
      it(`answers "${question}" with the ${topic} topic in ${locale}`, () => {
        const answer = botAnswer(question, locale, true);
        const data = TOPICS.find((t) => t.id === topic)!;
        expect(answer.text).to.equal(data[locale].text);
        expect(answer.articles).to.have.length(1);
        expect(answer.articles![0].title).to.equal(data[locale].title);
        expect(answer.articles![0].url).to.match(/^https:\/\/[^/]+\/.*$/);
        expect(answer.quickReplies.map((q) => q.action ?? q.id)).to.deep.equal([
          `t-${data.related[0]}`,
          `t-${data.related[1]}`,
          'operator',
          'resolved',
          'unresolved',
        ]);
      });
    }
  }

  it('answers 2–4 short sentences per topic, in the markdown subset, and nothing else', () => {
    for (const topic of TOPICS) {
      for (const lang of ['ja', 'en'] as const) {
        const { text, label } = topic[lang];
        expect(text, `${topic.id} ${lang}`).to.contain('**');
        expect(text.length, `${topic.id} ${lang}`).to.be.within(60, 420);
        expect(text, `${topic.id} ${lang}`).not.to.match(/<|\]\(javascript:/i);
        // Chosen as a quick reply, a label is sent as text: it must lead back to its own topic.
        expect(findTopic(label)?.id, `${topic.id} ${lang} label`).to.equal(topic.id);
      }
    }
  });

  it('matches full-width and upper-case text', () => {
    expect(findTopic('ＳＨＩＰＰＩＮＧ')?.id).to.equal('shipping');
    expect(findTopic('ＡＴＭで払いたい')?.id).to.equal('payment');
  });

  it('prefers the specific topic when several match', () => {
    expect(findTopic('返品の送料は誰が払いますか')?.id).to.equal('returns');
    expect(findTopic('偽物が届いた')?.id).to.equal('counterfeit');
    expect(findTopic('feedback for the seller')).to.equal(undefined);
  });

  it('apologises for unknown questions and offers every topic and the operator', () => {
    const ja = botAnswer('今日の天気は？', 'ja', true);
    expect(ja.text).to.contain('申し訳ありません');
    expect(ja.articles).to.equal(undefined);
    expect(ja.quickReplies).to.have.length(9);
    expect(ja.quickReplies.at(-1)).to.deep.equal({ id: 'operator', label: 'オペレーターと話す', action: 'operator' });
    expect(botAnswer('What is the weather?', 'en', true).text).to.match(/^Sorry/);
  });

  const HUMAN: Array<[string, string]> = [
    ['オペレーターと話したい', 'ja'],
    ['人と話したい', 'ja'],
    ['担当者につないでください', 'ja'],
    ['talk to a human', 'en'],
    ['Agent please', 'en'],
    ['I want an operator', 'en'],
  ];
  for (const [text, locale] of HUMAN) {
    it(`offers the operator when asked "${text}"`, () => {
      const answer = botAnswer(text, locale, true);
      expect(answer.quickReplies[0]).to.include({ id: 'operator', action: 'operator' });
      expect(answer.articles).to.equal(undefined);
    });
  }

  it('says plainly when operators are away, and that a message can be left', () => {
    expect(botAnswer('オペレーターと話したい', 'ja', false).text).to.contain('受付時間外');
    expect(botAnswer('talk to a human', 'en', false).text).to.contain('leave them a message');
    expect(botAnswer('talk to a human', 'en', true).text).not.to.contain('away');
  });

  it('offers the operator when the answer did not help, and is glad when it did', () => {
    expect(botAnswer('解決しない', 'ja', true).quickReplies).to.deep.equal([{ id: 'operator', label: 'オペレーターと話す', action: 'operator' }]);
    expect(botAnswer('Not solved', 'en', true).text).to.match(/^I'm sorry/);
    expect(botAnswer('解決した', 'ja', true).text).to.contain('よかった');
    expect(botAnswer('Solved', 'en', true).text).to.match(/^Glad/);
  });
});
