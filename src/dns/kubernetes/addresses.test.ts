import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { canonicalIP, dashedIP, ipFromDashedLabel } from './addresses.ts';

describe('addresses', () => {
  it('canonicalIP', () => {
    assert.equal(canonicalIP('10.0.0.1'), '10.0.0.1');
    assert.equal(canonicalIP('FD00:0:0:0:0:0:0:1'), 'fd00::1');
    assert.equal(canonicalIP('010.0.0.1'), undefined);
    assert.equal(canonicalIP('None'), undefined);
    assert.equal(canonicalIP(''), undefined);
  });

  it('dashedIP writes endpoint labels as CoreDNS does', () => {
    assert.equal(dashedIP('172.0.0.2'), '172-0-0-2');
    assert.equal(dashedIP('5678:abcd::1'), '5678-abcd--1');
    assert.equal(dashedIP('fd00::'), 'fd00--0');
  });

  it('ipFromDashedLabel reads pod labels back', () => {
    assert.equal(ipFromDashedLabel('10-244-1-5'), '10.244.1.5');
    assert.equal(ipFromDashedLabel('fd00--1-5'), 'fd00::1:5');
    assert.equal(ipFromDashedLabel('fd00--0'), 'fd00::');
    assert.equal(ipFromDashedLabel('1-2-3'), undefined);
    assert.equal(ipFromDashedLabel('web-0'), undefined);
    assert.equal(ipFromDashedLabel('1-2-3-256'), undefined);
  });
});
