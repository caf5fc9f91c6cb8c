import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatTemplate, formatValue, pythonFloat } from './python-format.js';

describe('python-format', () => {
  it('writes floats as Python repr does', () => {
    assert.equal(pythonFloat(0.25), '0.25');
    assert.equal(pythonFloat(2), '2.0');
    assert.equal(pythonFloat(1e-5), '1e-05');
    assert.equal(pythonFloat(0.0001), '0.0001');
    assert.equal(pythonFloat(1.5e16), '1.5e+16');
    assert.equal(pythonFloat(0), '0.0');
    assert.equal(pythonFloat(NaN), 'nan');
    assert.equal(pythonFloat(-Infinity), '-inf');
    assert.equal(pythonFloat(Math.fround(0.3)), '0.30000001192092896');
  });

  it('formats values with Python format specs', () => {
    const cases: [number | string, string, boolean, string][] = [
      [3, '02d', true, '03'],
      [3, '', true, '3'],
      [12, '>5', true, '   12'],
      [12, '<5', true, '12   '],
      [12, '^6', true, '  12  '],
      [-7, '05d', true, '-0007'],
      [1234567, ',', true, '1,234,567'],
      [0.123456, '.4f', false, '0.1235'],
      [0.5, '.2f', false, '0.50'],
      [0.5, '', false, '0.5'],
      [0.5, '8.3f', false, '   0.500'],
      [0.5, '+.1f', false, '+0.5'],
      [0.000123456, '.3e', false, '1.235e-04'],
      [0.000123456, 'g', false, '0.000123456'],
      [1234567, 'g', false, '1.23457e+06'],
      [0.5, 'g', false, '0.5'],
      [100, '.3g', false, '100'],
      [0.873, '.1%', false, '87.3%'],
      ['abc', '>5', false, '  abc'],
      [Infinity, '.4f', false, 'inf'],
    ];
    for (const [v, spec, isInt, want] of cases) {
      assert.equal(formatValue(v, spec, isInt), want, `format(${v}, '${spec}')`);
    }
    assert.throws(() => formatValue(0.5, 'd', false), /Unknown format code 'd'/);
  });

  it('fills a template from named values', () => {
    assert.equal(
      formatTemplate('ckpt/{epoch:02d}-{val_loss:.4f}', { epoch: 3, val_loss: 0.123456 }),
      'ckpt/03-0.1235',
    );
    assert.equal(formatTemplate('m{{x}}-{epoch}', { epoch: 12 }), 'm{x}-12');
    assert.equal(formatTemplate('{loss}', { loss: 2 }), '2.0');
    assert.throws(() => formatTemplate('{val_acc:.2f}', { epoch: 1 }), /KeyError: 'val_acc'/);
  });
});
