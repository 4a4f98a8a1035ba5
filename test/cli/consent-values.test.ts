// The OpenID4VP consent prompt shows each claim that would leave the wallet as it is (issue 15,
// item 10: values were cut at 80 characters), and never lets a value drive the terminal.
import { describe, expect, it } from 'vitest';
import { showClaimValue } from '../../cli/wallet/respond.run.js';

describe('consent prompt values', () => {
  it('shows a long address whole', () => {
    const address = '浙江省衢州市柯城区荷花街道荷花中路 1 号 3 幢 2 单元 1201 室，邮政编码 324000，收件人：张三（请在工作日 9:00-17:00 之间投递）';
    expect(showClaimValue(address)).toBe(address);
    expect(showClaimValue({ locality: 'Quzhou', postal_code: '324000' })).toBe('{"locality":"Quzhou","postal_code":"324000"}');
  });

  it('names the size of a very long value (a portrait) and says it is sent whole', () => {
    const portrait = `/9j/${'A'.repeat(5000)}`;
    expect(showClaimValue(portrait)).toBe(`${portrait.slice(0, 60)}... (${portrait.length} characters, sent whole)`);
  });

  it('escapes control characters (no terminal escape sequence reaches the screen)', () => {
    const shown = showClaimValue('Ada\u001b[2J\u001b[31mLovelace');
    expect(shown).toBe('"Ada\\u001b[2J\\u001b[31mLovelace"');
    expect(shown).not.toMatch(/\u001b/);
  });
});
