import { describe, expect, it } from 'vitest';
import { fullAddress } from '../../web/src/features/account-page/full-address.ts';

describe("the account page's one-line address", () => {
  const place = { province: '浙江省', city: '宁波市', district: '慈溪市' };

  it('does not repeat the places a vendor address already names', () => {
    expect(fullAddress({ ...place, address: '宁波市慈溪市人民路274号' })).toBe(
      '浙江省 宁波市慈溪市人民路274号',
    );
    expect(fullAddress({ ...place, address: '浙江省宁波市慈溪市人民路274号' })).toBe(
      '浙江省宁波市慈溪市人民路274号',
    );
  });

  it('puts the places before a street address that names none of them', () => {
    expect(fullAddress({ ...place, address: '人民路274号' })).toBe('浙江省 宁波市 慈溪市 人民路274号');
    expect(
      fullAddress({ province: 'California', city: 'Cupertino', district: null, address: '1 Apple Park Way' }),
    ).toBe('California Cupertino 1 Apple Park Way');
    expect(
      fullAddress({
        province: 'CA',
        city: 'Cupertino',
        district: null,
        address: '1 Apple Park Way, Cupertino',
      }),
    ).toBe('CA 1 Apple Park Way, Cupertino');
  });

  it('names a municipality once, and shows the places alone without an address', () => {
    expect(fullAddress({ province: '上海市', city: '上海市', district: '浦东新区', address: null })).toBe(
      '上海市 浦东新区',
    );
    expect(fullAddress({ province: ' ', city: null, district: null, address: '  ' })).toBe('');
  });
});
