import { expect } from '@open-wc/testing';
import { catalogs, resolveLocale, translator } from '../../src/i18n/index.js';

describe('i18n', () => {
  it('resolves the first candidate with a catalog, by base language', () => {
    expect(resolveLocale([null, 'ja-JP', 'en'])).to.equal('ja');
    expect(resolveLocale(['fr', 'EN-us'])).to.equal('en');
    expect(resolveLocale(['de', undefined])).to.equal('en');
  });

  it('translates and fills parameters', () => {
    const t = translator('ja');
    expect(t('launcher.unread', { count: 3 })).to.equal('チャットサポート（未読 3 件）');
    expect(translator('en')('launcher.unread', { count: 3 })).to.equal('Chat support, 3 unread');
    // A particle follows a name directly, as Japanese is written.
    expect(t('flow.operator', { name: '佐藤' })).to.equal('佐藤が対応しています。');
    expect(t('flow.operatorTyping', { name: '佐藤' })).to.equal('佐藤が入力中です…');
  });

  it('lets a host override single strings', () => {
    const t = translator('en', { 'panel.title': 'Help' });
    expect(t('panel.title')).to.equal('Help');
    expect(t('composer.send')).to.equal('Send');
  });

  it('has every key, non-empty, in every language', () => {
    const keys = Object.keys(catalogs.en);
    for (const [lang, catalog] of Object.entries(catalogs)) {
      expect(Object.keys(catalog).sort(), lang).to.deep.equal([...keys].sort());
      for (const key of keys) expect(catalog[key as keyof typeof catalog], `${lang} ${key}`).to.be.a('string').and.not.empty;
    }
  });
});
