import { expect } from '@open-wc/testing';
import { launcherStyles } from '../../src/element/styles.js';
import { deleteWidgetDatabases } from '../helpers/harness.js';
import { enter, STATES } from './states.js';

/** A CSS color (hex or rgb[a]) as 0–255 channels. */
function rgb(color: string): [number, number, number] {
  const hex = color.trim().match(/^#([0-9a-f]{3}|[0-9a-f]{6})$/i)?.[1];
  if (hex) {
    const full = hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex;
    return [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16)) as [number, number, number];
  }
  const m = color.match(/rgba?\((\d+),\s*(\d+),\s*(\d+)(?:,\s*([\d.]+))?\)/);
  if (!m) throw new Error(`not a color: ${color}`);
  if (m[4] !== undefined && Number(m[4]) !== 1) throw new Error(`translucent: ${color}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** WCAG 2 contrast ratio. */
export function contrast(a: string, b: string): number {
  const lum = (c: string) =>
    rgb(c)
      .map((v) => v / 255)
      .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4))
      .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** Text pairs (≥ 4.5:1) and shape pairs (borders, focus rings, filled buttons: ≥ 3:1), by token. */
const TEXT = [
  ['fg', 'bg'],
  ['fg', 'surface'],
  ['fg', 'operator-bg'],
  ['muted', 'bg'],
  ['muted', 'surface'],
  ['error', 'bg'],
  ['error', 'surface'],
  ['on-accent', 'accent'],
  ['user-fg', 'user-bg'],
] as const;
const SHAPES = [
  ['focus', 'bg'],
  ['focus', 'surface'],
  ['border', 'bg'],
  ['border', 'surface'],
  ['accent', 'bg'],
  // The focus ring in the header is drawn in the header's text color.
  ['on-accent', 'accent'],
] as const;

describe('themes', () => {
  let restore = () => {};
  afterEach(async () => {
    restore();
    restore = () => {};
    await deleteWidgetDatabases();
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`meets AA contrast with the default ${theme} tokens, placeholder included`, async () => {
      const { chat } = await enter('open', { theme });
      const style = getComputedStyle(chat.panel);
      const token = (name: string) => style.getPropertyValue(`--_${name}`);
      const failures: string[] = [];
      for (const [fg, bg] of TEXT) if (contrast(token(fg), token(bg)) < 4.5) failures.push(`${fg} on ${bg}: ${contrast(token(fg), token(bg)).toFixed(2)}`);
      for (const [fg, bg] of SHAPES) if (contrast(token(fg), token(bg)) < 3) failures.push(`${fg} on ${bg}: ${contrast(token(fg), token(bg)).toFixed(2)}`);
      const placeholder = getComputedStyle(chat.input, '::placeholder').color;
      if (contrast(placeholder, token('bg')) < 4.5) failures.push(`placeholder ${placeholder} on bg: ${contrast(placeholder, token('bg')).toFixed(2)}`);
      expect(failures).to.deep.equal([]);
      expect(style.backgroundColor).to.equal(theme === 'light' ? 'rgb(255, 255, 255)' : 'rgb(28, 28, 30)');
    });
  }

  it('lets the host override a token in both themes', async () => {
    for (const theme of ['light', 'dark'] as const) {
      const { chat } = await enter('closed', { theme });
      chat.el.style.setProperty('--mcs-accent', '#004d99');
      expect(getComputedStyle(chat.launcher).backgroundColor, theme).to.equal('rgb(0, 77, 153)');
      chat.el.remove();
    }
  });

  describe('forced colors (Windows High Contrast)', () => {
    /** The rules inside `@media (forced-colors: active)`, applied unconditionally: the UA's own color forcing aside, this is what the mode adds. */
    const forced = () => {
      const media = [...launcherStyles.cssRules].find((r): r is CSSMediaRule => r instanceof CSSMediaRule && r.conditionText.includes('forced-colors'));
      const sheet = new CSSStyleSheet();
      sheet.replaceSync([...media!.cssRules].map((r) => r.cssText).join('\n'));
      return sheet;
    };

    for (const state of STATES.filter((s) => s !== 'closed')) {
      it(`gives every button and bubble a visible border: ${state}`, async () => {
        const entered = await enter(state);
        restore = entered.restore;
        const { chat } = entered;
        chat.root.adoptedStyleSheets = [...chat.root.adoptedStyleSheets, forced()];
        const borderless = chat
          .$$<HTMLElement>('button, .attach, .bubble:not(.system .bubble), textarea')
          .filter((el) => el.getClientRects().length)
          .filter((el) => {
            const s = getComputedStyle(el);
            return s.borderTopStyle === 'none' || parseFloat(s.borderTopWidth) < 1;
          })
          .map((el) => el.outerHTML.slice(0, 60));
        expect(borderless).to.deep.equal([]);
      });
    }

    it('draws focus rings in a system color and leaves the score radios native (the UA colors them)', async () => {
      const { chat } = await enter('survey');
      chat.root.adoptedStyleSheets = [...chat.root.adoptedStyleSheets, forced()];
      const text = [...forced().cssRules].map((r) => r.cssText).join('\n');
      expect(text).to.match(/:focus-visible[^{]*\{[^}]*outline-color: highlight/i);
      const radios = chat.$$<HTMLInputElement>('.survey input[type="radio"]');
      expect(radios).to.have.length(5);
      for (const radio of radios) expect(getComputedStyle(radio).appearance).to.equal('auto');
    });
  });
});
